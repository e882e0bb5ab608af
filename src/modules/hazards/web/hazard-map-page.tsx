/** The hazard map page: active warning areas, an uploaded typhoon track with its swaths, sites by exposure. */
import { Anchor, Badge, Card, Checkbox, Grid, Group, Select, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useConfig } from '../../../web/api/queries.js';
import { useFormat } from '../../../web/format.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { useActiveAreas, useMatches, useSiteRisks, useSwath, useTrack, useTracks, type WindKt } from './hazards-api.js';
import { exposureColor, HazardsHeader, LegendItem, SeverityBadge, severityColor, swathColor, useDistance, type Exposure } from './hazards-ui.js';
import type { MapSite } from './hazard-map.js';
import { useNames } from '../../../web/names.js';
import { AccountName } from '../../../web/ui/account-name.js';
import { orderTracks, splitAtNow } from './track-now.js';

const HazardMap = lazy(() => import('./hazard-map.js'));
const thresholds: WindKt[] = [34, 50, 64];

export function HazardMapPage() {
  const { t, i18n } = useTranslation();
  const names = useNames();
  const f = useFormat();
  const dist = useDistance();
  const lang = i18n.language;
  const config = useConfig();
  const areas = useActiveAreas(lang);
  const matches = useMatches();
  // The exposed sites come with the matches; the whole site list loads only when asked for.
  const [showSafe, setShowSafe] = useState(false);
  const sites = useSiteRisks(showSafe);
  const tracks = useTracks();
  // The map opens on what is happening now: a current storm's track, else none (an old storm is one choice away).
  const nowMs = useMemo(() => Date.now(), [tracks.data]); // eslint-disable-line react-hooks/exhaustive-deps
  const ordered = useMemo(() => orderTracks(tracks.data ?? [], nowMs), [tracks.data, nowMs]);
  const [trackId, setTrackId] = useState<string | null | undefined>(undefined);
  // No swath until asked for: a big storm's swath covers whole provinces.
  const [kts, setKts] = useState<string[]>([]);
  const chosenTrack = trackId === undefined ? ordered.current[0]?.id ?? null : trackId;
  const chosenIsCurrent = ordered.current.some((x) => x.id === chosenTrack);
  const track = useTrack(chosenTrack);
  const trackNow = useMemo(() => (track.data && chosenIsCurrent ? splitAtNow(track.data.fixes, nowMs) : null), [track.data, chosenIsCurrent, nowMs]);
  const s34 = useSwath(chosenTrack, 34, kts.includes('34'));
  const s50 = useSwath(chosenTrack, 50, kts.includes('50'));
  const s64 = useSwath(chosenTrack, 64, kts.includes('64'));

  const exposureBySite = useMemo(() => {
    const m = new Map<string, { exposure: Exposure; distanceM: number }>();
    for (const x of matches.data ?? []) {
      const prev = m.get(x.siteId);
      const e: Exposure = x.inside ? 'inside' : 'buffer';
      if (!prev || (prev.exposure === 'buffer' && e === 'inside') || (prev.exposure === e && x.distanceM < prev.distanceM)) m.set(x.siteId, { exposure: e, distanceM: x.distanceM });
    }
    return m;
  }, [matches.data]);

  const mapSites = useMemo<MapSite[]>(() => {
    const out = new Map<string, MapSite>();
    for (const m of matches.data ?? []) {
      const e = exposureBySite.get(m.siteId)!;
      if (m.lat === null || m.lng === null || out.has(m.siteId)) continue;
      out.set(m.siteId, { id: m.siteId, name: m.siteName, detail: `${names.primary(m)} · ${t(`hazards.exposure.${e.exposure}`)}`, lat: m.lat, lng: m.lng, exposure: e.exposure });
    }
    if (showSafe) {
      for (const s of sites.data ?? []) {
        if (s.lat === null || s.lng === null || out.has(s.siteId)) continue;
        out.set(s.siteId, { id: s.siteId, name: s.siteName, detail: `${names.primary(s)} · ${t('hazards.exposure.safe')}`, lat: s.lat, lng: s.lng, exposure: 'safe' });
      }
    }
    return [...out.values()];
  }, [matches.data, sites.data, showSafe, exposureBySite, t, names]);

  const mapAreas = useMemo(() => (areas.data ?? []).map((a) => ({ id: a.id, severity: a.severity, label: a.headline ?? a.event ?? a.identifier, geojson: a.areasGeoJson })), [areas.data]);
  const swaths = useMemo(() => [[34, s34], [50, s50], [64, s64]].flatMap(([kt, q]) => {
    const d = (q as typeof s34).data;
    return d && kts.includes(String(kt)) ? [{ kt: kt as WindKt, feature: d.feature }] : [];
  }), [s34, s50, s64, kts]);

  const atRisk = useMemo(() => (matches.data ?? []).filter((m, i, all) => all.findIndex((x) => x.siteId === m.siteId) === i)
    .map((m) => ({ ...m, exposure: exposureBySite.get(m.siteId)! })).sort((a, b) => (a.exposure.exposure === b.exposure.exposure ? a.exposure.distanceM - b.exposure.distanceM : a.exposure.exposure === 'inside' ? -1 : 1)), [matches.data, exposureBySite]);
  const counts = { inside: 0, buffer: 0, safe: 0 };
  for (const s of mapSites) counts[s.exposure as Exposure]++;

  const error = areas.error ?? matches.error ?? (showSafe ? sites.error : null);
  const loading = config.isPending || areas.isPending || matches.isPending || (showSafe && sites.isPending);

  return (
    <>
      <HazardsHeader title={t('hazards.map.title')} subtitle={t('hazards.map.subtitle')} />
      {error ? <ErrorState error={error} onRetry={() => { void areas.refetch(); void matches.refetch(); void sites.refetch(); }} /> : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Card padding="sm" mb="sm">
              <Group gap="md" align="flex-end" wrap="wrap">
                <Select w={{ base: '100%', sm: 320 }} label={t('hazards.map.track')} placeholder={tracks.data?.length ? t('hazards.map.noCurrentTrack') : t('hazards.map.noTracks')} disabled={!tracks.data?.length}
                  value={chosenTrack} onChange={(v) => setTrackId(v)} clearable data-testid="track-select"
                  data={([[t('hazards.map.currentTracks'), ordered.current], [t('hazards.map.pastTracks'), ordered.past]] as const).filter(([, list]) => list.length).map(([group, list]) => ({
                    group, items: list.map((x) => ({ value: x.id, label: `${x.name} · ${x.agency}${x.firstFixAt ? ` · ${f.date(x.firstFixAt)}` : ''}` })),
                  }))} />
                <Checkbox label={t('hazards.map.showSafe')} checked={showSafe} onChange={(e) => setShowSafe(e.currentTarget.checked)} mb={6} data-testid="show-safe" />
                <Checkbox.Group label={t('hazards.map.swaths')} value={kts} onChange={setKts}>
                  <Group gap="sm" mt={6}>
                    {thresholds.map((kt) => <Checkbox key={kt} value={String(kt)} label={t('hazards.map.kt', { kt })} disabled={!chosenTrack} color={swathColor[kt]} />)}
                  </Group>
                </Checkbox.Group>
              </Group>
            </Card>
            {loading ? <Loading /> : (
              <Suspense fallback={<Loading />}>
                <HazardMap tileUrl={config.data?.tileUrl ?? null} areas={mapAreas} swaths={swaths} sites={mapSites}
                  track={!chosenTrack ? null : trackNow ? trackNow.past : track.data?.fixes ?? null} forecast={trackNow?.future ?? null} center={trackNow?.now ?? null}
                  fitKey={`${mapAreas.map((a) => a.id).join()}|${chosenTrack ?? ''}`} height={520} />
              </Suspense>
            )}
            <Card padding="sm" mt="sm" component="section" aria-label={t('hazards.map.legend')}>
              <Group gap="lg" wrap="wrap" data-testid="hazard-legend">
                <Text size="xs" fw={600}>{t('hazards.map.legend')}</Text>
                {(['Extreme', 'Severe', 'Moderate', 'Minor'] as const).map((s) => <LegendItem key={s} shape="area" color={severityColor[s]!} label={t(`hazards.severity.${s}`)} />)}
                {thresholds.map((kt) => <LegendItem key={kt} shape="area" color={swathColor[kt]} label={t('hazards.map.swath', { kt })} />)}
                {trackNow ? (
                  <>
                    <Group gap={6} wrap="nowrap"><span aria-hidden="true" style={{ display: 'inline-block', width: 18, borderTop: '3px solid #343a40' }} /><Text size="xs">{t('hazards.map.trackLine')}</Text></Group>
                    <LegendItem shape="line" color="#343a40" label={t('hazards.map.forecastLine')} />
                  </>
                ) : <LegendItem shape="line" color="#343a40" label={t('hazards.map.trackLine')} />}
                {(showSafe ? ['inside', 'buffer', 'safe'] as const : ['inside', 'buffer'] as const).map((e) => <LegendItem key={e} color={exposureColor[e]} label={`${t(`hazards.exposure.${e}`)} (${f.number(counts[e])})`} />)}
              </Group>
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Title order={2} size="h5" mb="xs">{t('hazards.map.activeWarnings', { count: areas.data?.length ?? 0 })}</Title>
            {!loading && !areas.data?.length ? <Card padding="sm" mb="md"><Text size="sm" c="dimmed">{t('hazards.map.noWarnings')}</Text></Card> : (
              <Stack gap="xs" mb="md">
                {(areas.data ?? []).map((a) => (
                  <Card key={a.id} padding="sm">
                    <Group gap={6} mb={4}><SeverityBadge severity={a.severity} /><Badge variant="light" size="sm" color="gray">{t('hazards.map.matchedSites', { count: a.matchedSites })}</Badge></Group>
                    <Anchor component={Link} to={`/hazards/warnings?alert=${a.id}`} size="sm" fw={600}>{a.headline ?? a.event}</Anchor>
                    <Text size="xs" c="dimmed">{t('hazards.warnings.expires')}: {f.dateTime(a.expiresAt)}</Text>
                  </Card>
                ))}
              </Stack>
            )}
            <Title order={2} size="h5" mb="xs">{t('hazards.map.sitesAtRisk', { count: atRisk.length })}</Title>
            {!loading && !atRisk.length ? <Empty title={t('hazards.map.noSitesAtRisk')} /> : (
              <Stack gap={6} data-testid="sites-at-risk">
                {atRisk.slice(0, 50).map((m) => (
                  <Card key={m.siteId} padding="xs">
                    <Group justify="space-between" wrap="nowrap" gap="xs">
                      <div style={{ minWidth: 0 }}>
                        <Text size="sm" fw={600} truncate>{m.siteName}</Text>
                        <Anchor component={Link} to={`/accounts/${m.accountId}?tab=risk`} size="xs"><AccountName account={m} /></Anchor>
                      </div>
                      <Stack gap={2} align="flex-end">
                        <Badge size="sm" variant="filled" autoContrast color={m.exposure.exposure === 'inside' ? 'red.8' : 'orange.4'}>{t(`hazards.exposure.${m.exposure.exposure}`)}</Badge>
                        {m.exposure.exposure === 'buffer' && <Text size="xs" c="dimmed">{dist(m.exposure.distanceM)}</Text>}
                        {m.inventory && <Text size="xs" className="ok-stat">{f.money(m.inventory.amountMinor, m.inventory.currency)}</Text>}
                      </Stack>
                    </Group>
                  </Card>
                ))}
              </Stack>
            )}
          </Grid.Col>
        </Grid>
      )}
    </>
  );
}
