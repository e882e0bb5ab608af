/** Replay of a past typhoon, hour by hour: which of today's sites would have been warned when. */
import { ActionIcon, Anchor, Badge, Card, Grid, Group, SegmentedControl, Select, Slider, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useConfig } from '../../../web/api/queries.js';
import { useFormat } from '../../../web/format.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { useReplay, useSwath, useTrack, useTracks, type WindKt } from './hazards-api.js';
import { exposureColor, HazardsHeader, LegendItem, swathColor } from './hazards-ui.js';
import type { MapSite } from './hazard-map.js';
import { useNames } from '../../../web/names.js';
import { AccountName } from '../../../web/ui/account-name.js';

const HazardMap = lazy(() => import('./hazard-map.js'));

export function ReplayPage() {
  const { t } = useTranslation();
  const names = useNames();
  const f = useFormat();
  const config = useConfig();
  const tracks = useTracks();
  const [trackId, setTrackId] = useState<string | null>(null);
  const [kt, setKt] = useState<WindKt>(34);
  const chosen = trackId ?? tracks.data?.[0]?.id ?? null;
  const replay = useReplay(chosen, kt);
  const track = useTrack(chosen);
  const swath = useSwath(chosen, kt, true);
  const [frame, setFrame] = useState(0);
  const [playing, setPlaying] = useState(false);
  const frames = replay.data?.frames ?? [];
  const current = frames[Math.min(frame, Math.max(frames.length - 1, 0))];

  useEffect(() => { setFrame(0); setPlaying(false); }, [chosen, kt]);
  useEffect(() => {
    if (!playing) return;
    const id = setInterval(() => setFrame((i) => { if (i + 1 >= frames.length) { setPlaying(false); return i; } return i + 1; }), 600);
    return () => clearInterval(id);
  }, [playing, frames.length]);

  const warnedBy = useMemo(() => {
    // Sites already warned at each frame index: first frame they were inside.
    const m = new Map<string, number>();
    frames.forEach((fr, i) => { for (const id of fr.entered) if (!m.has(id)) m.set(id, i); });
    return m;
  }, [frames]);

  // Replay sites carry their coordinates: no need for the whole site list.
  const mapSites = useMemo<MapSite[]>(() => (replay.data?.sites ?? []).map((s) => {
    const inside = current?.siteIds.includes(s.siteId) ?? false;
    const warned = (warnedBy.get(s.siteId) ?? Infinity) <= frame;
    return { id: s.siteId, name: s.siteName, detail: names.primary(s), lat: s.lat, lng: s.lng, exposure: inside ? 'inside' : warned ? 'buffer' : 'muted' } satisfies MapSite;
  }), [replay.data, current, warnedBy, frame, names]);

  const entered = new Set(current?.entered ?? []);
  const warnedSoFar = (replay.data?.sites ?? []).filter((s) => (warnedBy.get(s.siteId) ?? Infinity) <= frame);

  return (
    <>
      <HazardsHeader title={t('hazards.replay.title')} subtitle={t('hazards.replay.subtitle')} />
      {tracks.isPending ? <Loading /> : tracks.isError ? <ErrorState error={tracks.error} onRetry={() => void tracks.refetch()} /> : !tracks.data.length ? (
        <Card><Empty title={t('hazards.replay.noTracks')}>{t('hazards.replay.noTracksBody')}</Empty></Card>
      ) : (
        <>
          <Card padding="sm" mb="sm">
            <Group gap="md" align="flex-end" wrap="wrap">
              <Select w={{ base: '100%', sm: 280 }} label={t('hazards.map.track')} value={chosen} onChange={setTrackId} allowDeselect={false}
                data={tracks.data.map((x) => ({ value: x.id, label: `${x.name} · ${x.agency}${x.firstFixAt ? ` · ${f.date(x.firstFixAt)}` : ''}` }))} />
              <div>
                <Text size="sm" fw={500} mb={4} id="replay-kt">{t('hazards.replay.wind')}</Text>
                <SegmentedControl aria-labelledby="replay-kt" value={String(kt)} onChange={(v) => setKt(Number(v) as WindKt)} data={[34, 50, 64].map((k) => ({ value: String(k), label: t('hazards.map.kt', { kt: k }) }))} />
              </div>
            </Group>
          </Card>
          {replay.isPending ? <Loading /> : replay.isError ? <ErrorState error={replay.error} onRetry={() => void replay.refetch()} /> : (
            <Grid gap="lg">
              <Grid.Col span={{ base: 12, md: 8 }}>
                <Card padding="sm" mb="sm">
                  <Group gap="sm" wrap="nowrap" align="center">
                    <ActionIcon size="lg" variant="filled" onClick={() => { if (frame >= frames.length - 1) setFrame(0); setPlaying((p) => !p); }} aria-label={playing ? t('hazards.replay.pause') : t('hazards.replay.play')} disabled={frames.length < 2}>
                      {playing ? <IconPlayerPause size={18} /> : <IconPlayerPlay size={18} />}
                    </ActionIcon>
                    <Slider style={{ flex: 1 }} min={0} max={Math.max(frames.length - 1, 0)} step={1} value={frame} onChange={(v) => { setPlaying(false); setFrame(v); }}
                      label={(v) => (frames[v] ? f.dateTime(frames[v].time) : '')} thumbLabel={t('hazards.replay.time')} disabled={frames.length < 2} data-testid="replay-slider" />
                  </Group>
                  <Text size="sm" mt="xs" aria-live="polite" data-testid="replay-time">
                    {current ? t('hazards.replay.at', { time: f.dateTime(current.time), inside: current.siteIds.length, warned: warnedSoFar.length }) : t('hazards.replay.noFrames')}
                  </Text>
                </Card>
                <Suspense fallback={<Loading />}>
                  <HazardMap tileUrl={config.data?.tileUrl ?? null} swaths={swath.data ? [{ kt, feature: swath.data.feature }] : []} track={track.data?.fixes ?? null}
                    center={current?.center ?? null} sites={mapSites} fitKey={`${chosen}`} height={480} testId="replay-map" />
                </Suspense>
                <Group gap="lg" mt="xs" wrap="wrap">
                  <LegendItem color={exposureColor.inside} label={t('hazards.replay.insideNow')} />
                  <LegendItem color={exposureColor.buffer} label={t('hazards.replay.warnedEarlier')} />
                  <LegendItem color="#adb5bd" label={t('hazards.replay.later')} />
                  <LegendItem shape="area" color={swathColor[kt]} label={t('hazards.map.swath', { kt })} />
                  <LegendItem shape="line" color="#343a40" label={t('hazards.map.trackLine')} />
                </Group>
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 4 }}>
                <Title order={2} size="h5" mb="xs">{t('hazards.replay.warnedList', { count: replay.data.sites.length })}</Title>
                {replay.data.sites.length === 0 ? <Empty title={t('hazards.replay.noneWarned')} /> : (
                  <Card padding={0}>
                    <Table verticalSpacing={6} horizontalSpacing="sm" data-testid="replay-sites">
                      <Table.Thead><Table.Tr><Table.Th>{t('hazards.risk.site')}</Table.Th><Table.Th>{t('hazards.replay.warnedAt')}</Table.Th></Table.Tr></Table.Thead>
                      <Table.Tbody>
                        {replay.data.sites.map((s) => {
                          const inside = current?.siteIds.includes(s.siteId);
                          return (
                            <Table.Tr key={s.siteId} style={{ opacity: (warnedBy.get(s.siteId) ?? Infinity) <= frame ? 1 : 0.55 }}>
                              <Table.Td>
                                <Text size="sm" fw={600}>{s.siteName}</Text>
                                <Anchor component={Link} to={`/accounts/${s.accountId}?tab=risk`} size="xs"><AccountName account={s} /></Anchor>
                                {s.managerName && <Text size="xs" c="dimmed">{s.managerName}</Text>}
                              </Table.Td>
                              <Table.Td>
                                <Text size="xs" style={{ whiteSpace: 'nowrap' }}>{f.dateTime(s.firstInsideAt)}</Text>
                                <Text size="xs" c="dimmed">{t('hazards.replay.hours', { count: Math.round(s.hoursInside) })}</Text>
                                {entered.has(s.siteId) ? <Badge size="xs" color="red">{t('hazards.replay.warnedNow')}</Badge> : inside ? <Badge size="xs" color="red" variant="light">{t('hazards.replay.insideNow')}</Badge> : null}
                              </Table.Td>
                            </Table.Tr>
                          );
                        })}
                      </Table.Tbody>
                    </Table>
                  </Card>
                )}
                <Stack gap={2} mt="sm">
                  <Text size="xs" c="dimmed">{t('hazards.replay.note')}</Text>
                </Stack>
              </Grid.Col>
            </Grid>
          )}
        </>
      )}
    </>
  );
}
