/**
 * Replay of a past typhoon, hour by hour: which of today's sites would have been warned when. A
 * track is uploaded right here (no dead end when there is none yet); the warned sites are paged.
 */
import { ActionIcon, Alert, Anchor, Badge, Button, Card, CloseButton, FileButton, Grid, Group, List, SegmentedControl, Select, Slider, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlayerPause, IconPlayerPlay, IconRoute } from '@tabler/icons-react';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useConfig } from '../../../web/api/queries.js';
import { useFormat } from '../../../web/format.js';
import { useSession } from '../../../web/session.js';
import { useProblemText } from '../../../web/ui/errors.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { trackContentType, uploadRaw, UploadRejected, useInvalidateHazards, useReplay, useSwath, useTrack, useTracks, type CapIssue, type Track, type WindKt } from './hazards-api.js';
import { exposureColor, HazardsHeader, LegendItem, Pager, swathColor, useCanWrite, usePaged } from './hazards-ui.js';

const SITES_PAGE = 15;

/**
 * "Upload typhoon track" (JTWC CSV, IBTrACS CSV or GeoJSON): the new track is chosen at once; a
 * file that cannot be read says why.
 */
function TrackUpload({ onStored, variant = 'default' }: { onStored: (t: Track) => void; variant?: 'default' | 'filled' }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const problem = useProblemText();
  const invalidate = useInvalidateHazards();
  const [busy, setBusy] = useState(false);
  const [rejected, setRejected] = useState<{ file: string; reasons: CapIssue[]; detail: string } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  async function upload(file: File | null) {
    if (!file) return;
    setBusy(true);
    setRejected(null);
    setFailure(null);
    try {
      const stored = await uploadRaw<Track[]>('/hazards/tracks', file, trackContentType(file), me?.csrfToken ?? null);
      await invalidate();
      notifications.show({ color: 'teal', message: `${t('hazards.upload.trackStored', { count: stored.length })}: ${stored.map((x) => `${x.name} (${x.agency})`).join(', ')}` });
      if (stored[0]) onStored(stored[0]);
    } catch (e) {
      if (e instanceof UploadRejected) setRejected({ file: file.name, reasons: e.reasons, detail: e.detail });
      else setFailure(problem(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Stack gap="xs" align="flex-start">
      <FileButton onChange={(file) => void upload(file)} accept=".csv,.json,.geojson,text/csv,application/json,application/geo+json">
        {(props) => <Button {...props} variant={variant} leftSection={<IconRoute size={16} />} loading={busy} data-testid="replay-upload-track">{t('hazards.upload.track')}</Button>}
      </FileButton>
      {rejected && (
        <Alert color="red" role="alert" data-testid="replay-upload-rejected" withCloseButton={false}
          title={<Group justify="space-between" wrap="nowrap" w="100%"><span>{t('hazards.upload.trackRejected', { file: rejected.file })}</span><CloseButton size="sm" onClick={() => setRejected(null)} aria-label={t('hazards.common.close')} /></Group>}>
          {rejected.reasons.length ? (
            <List size="sm">{rejected.reasons.map((r, i) => <List.Item key={i}><b>{t(`hazards.capCodes.${r.code}`, { defaultValue: r.code })}</b> — {r.message}</List.Item>)}</List>
          ) : <Text size="sm">{rejected.detail}</Text>}
        </Alert>
      )}
      {failure && <Alert color="red" role="alert">{failure}</Alert>}
    </Stack>
  );
}
import type { MapSite } from './hazard-map.js';
import { useNames } from '../../../web/names.js';
import { AccountName } from '../../../web/ui/account-name.js';

const HazardMap = lazy(() => import('./hazard-map.js'));

export function ReplayPage() {
  const { t } = useTranslation();
  const names = useNames();
  const f = useFormat();
  const config = useConfig();
  const canWrite = useCanWrite();
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
  const sitePage = usePaged(replay.data?.sites ?? [], SITES_PAGE, 'sitesPage');
  const onStored = (x: Track) => { setTrackId(x.id); sitePage.setPage(1); };

  return (
    <>
      <HazardsHeader title={t('hazards.replay.title')} subtitle={t('hazards.replay.subtitle')}
        actions={canWrite && !!tracks.data?.length && <TrackUpload onStored={onStored} />} />
      {tracks.isPending ? <Loading /> : tracks.isError ? <ErrorState error={tracks.error} onRetry={() => void tracks.refetch()} /> : !tracks.data.length ? (
        <Card>
          <Empty title={t('hazards.replay.noTracks')}>{t(canWrite ? 'hazards.replay.noTracksUpload' : 'hazards.replay.noTracksAsk')}</Empty>
          {canWrite && <Group justify="center" pb="md"><TrackUpload onStored={onStored} variant="filled" /></Group>}
        </Card>
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
                <Title order={2} size="h5" mb="xs" id="replay-sites-title">{t('hazards.replay.warnedList', { count: replay.data.sites.length })}</Title>
                {replay.data.sites.length === 0 ? <Empty title={t('hazards.replay.noneWarned')} /> : (
                  <Card padding={0}>
                    <Table verticalSpacing={6} horizontalSpacing="sm" data-testid="replay-sites">
                      <Table.Thead><Table.Tr><Table.Th>{t('hazards.risk.site')}</Table.Th><Table.Th>{t('hazards.replay.warnedAt')}</Table.Th></Table.Tr></Table.Thead>
                      <Table.Tbody>
                        {sitePage.rows.map((s) => {
                          const inside = current?.siteIds.includes(s.siteId);
                          return (
                            // Warned by now: shaded (not faded: text keeps its contrast either way).
                            <Table.Tr key={s.siteId} data-warned={(warnedBy.get(s.siteId) ?? Infinity) <= frame} style={(warnedBy.get(s.siteId) ?? Infinity) <= frame ? { background: 'var(--mantine-color-orange-0)' } : undefined}>
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
                <Pager {...sitePage} anchor="replay-sites-title" testId="replay-sites-pager" />
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
