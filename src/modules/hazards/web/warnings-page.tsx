/** The warning list (in force / all), a detail drawer, and uploads of CAP and track files with the server's reasons on rejection. */
import { Accordion, Alert, Anchor, Badge, Button, Card, CloseButton, Drawer, FileButton, Group, List, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconAlertTriangle, IconCloudUpload, IconRoute } from '@tabler/icons-react';
import { lazy, Suspense, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useConfig } from '../../../web/api/queries.js';
import { useFormat } from '../../../web/format.js';
import { useSession } from '../../../web/session.js';
import { useProblemText } from '../../../web/ui/errors.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import {
  capContentType, trackContentType, uploadRaw, UploadRejected, useAlert, useAlerts, useInvalidateHazards,
  type AlertDetail, type AlertSummary, type CapIssue, type Track, type UploadResult,
} from './hazards-api.js';
import { AlertStateBadge, CertaintyBadge, HazardsHeader, Pager, SeverityBadge, UrgencyBadge, usePaged, useCanWrite } from './hazards-ui.js';
import { AMBER_TEXT } from '../../../web/theme.js';

const PAGE = 20;

const HazardMap = lazy(() => import('./hazard-map.js'));

type UploadOutcome =
  | { kind: 'cap'; result: UploadResult }
  | { kind: 'track'; tracks: Track[] }
  | { kind: 'rejected'; what: 'cap' | 'track'; file: string; code: string; detail: string; reasons: CapIssue[] }
  | { kind: 'error'; error: unknown };

function Reasons({ reasons, testId = 'upload-reasons' }: { reasons: CapIssue[]; testId?: string }) {
  const { t } = useTranslation();
  return (
    <List size="sm" spacing={4} data-testid={testId}>
      {reasons.map((r, i) => (
        <List.Item key={i}>
          <Text size="sm" span fw={600}>{t(`hazards.capCodes.${r.code}`, { defaultValue: r.code })}</Text>
          <Text size="sm" span> — {r.message}</Text>
          <Text size="xs" c="dimmed" className="ok-code" style={{ display: 'block' }}>{t('hazards.upload.where')}: {r.where}</Text>
        </List.Item>
      ))}
    </List>
  );
}

function UploadMessage({ outcome, onClose }: { outcome: UploadOutcome; onClose: () => void }) {
  const { t } = useTranslation();
  const text = useProblemText();
  const close = <CloseButton size="sm" onClick={onClose} aria-label={t('hazards.common.close')} />;
  if (outcome.kind === 'rejected') {
    return (
      <Alert color="red" role="alert" mb="md" data-testid="upload-rejected" title={<Group justify="space-between" wrap="nowrap" w="100%"><span>{t(outcome.what === 'cap' ? 'hazards.upload.capRejected' : 'hazards.upload.trackRejected', { file: outcome.file })}</span>{close}</Group>}>
        {outcome.reasons.length ? <Reasons reasons={outcome.reasons} /> : <Text size="sm">{t(`hazards.upload.codes.${outcome.code}`, { defaultValue: outcome.detail })}</Text>}
      </Alert>
    );
  }
  if (outcome.kind === 'error') return <Alert color="red" role="alert" mb="md" title={<Group justify="space-between" wrap="nowrap" w="100%"><span>{t('errors.title')}</span>{close}</Group>}>{text(outcome.error)}</Alert>;
  if (outcome.kind === 'track') {
    return (
      <Alert color="teal" mb="md" role="status" title={<Group justify="space-between" wrap="nowrap" w="100%"><span>{t('hazards.upload.trackStored', { count: outcome.tracks.length })}</span>{close}</Group>}>
        <Text size="sm">{outcome.tracks.map((x) => `${x.name} (${x.agency})`).join(', ')}</Text>
      </Alert>
    );
  }
  const r = outcome.result;
  return (
    <Alert color={r.stored.length ? 'teal' : 'yellow'} mb="md" role="status" data-testid="upload-result"
      title={<Group justify="space-between" wrap="nowrap" w="100%"><span>{r.stored.length ? t('hazards.upload.stored', { count: r.stored.length }) : t('hazards.upload.nothingNew')}</span>{close}</Group>}>
      <Stack gap={4}>
        {r.duplicates > 0 && <Text size="sm">{t('hazards.upload.duplicates', { count: r.duplicates })}</Text>}
        <Text size="sm">{t('hazards.upload.matching', { matches: r.matching.matches, opened: r.matching.opened })}</Text>
        {r.rejected.length > 0 && <><Text size="sm" fw={600}>{t('hazards.upload.rejectedAlerts', { count: r.rejected.length })}</Text><Reasons reasons={r.rejected.flatMap((x) => x.reasons)} testId="upload-rejected-alerts" /></>}
        {r.warnings.length > 0 && <><Text size="sm" fw={600}>{t('hazards.upload.warnings', { count: r.warnings.length })}</Text><Reasons reasons={r.warnings} /></>}
      </Stack>
    </Alert>
  );
}

/** Text on Mantine's light orange and yellow: their own shade is too light for WCAG AA at small sizes. */

/** The parser kept the warning but could place none of its areas: a person has to look at it. */
function NeedsReviewBadge() {
  const { t } = useTranslation();
  return <Badge color="orange" variant="light" size="sm" style={{ color: AMBER_TEXT }} leftSection={<IconAlertTriangle size={12} aria-hidden />} data-testid="needs-review">{t('hazards.warnings.needsReview')}</Badge>;
}

function AlertDrawerBody({ alert }: { alert: AlertDetail }) {
  const { t } = useTranslation();
  const f = useFormat();
  const config = useConfig();
  const [first, ...others] = alert.infos;
  const languageName = (code: string) => { try { return new Intl.DisplayNames([f.locale], { type: 'language' }).of(code) ?? code; } catch { return code; } };
  const info = (i: NonNullable<typeof first>) => (
    <Stack gap="xs">
      <Group gap={6}><SeverityBadge severity={i.severity} /><UrgencyBadge urgency={i.urgency} /><CertaintyBadge certainty={i.certainty} /></Group>
      <Table variant="vertical" withTableBorder={false} layout="fixed">
        <Table.Tbody>
          <Table.Tr><Table.Th w={120}>{t('hazards.warnings.event')}</Table.Th><Table.Td>{i.event}</Table.Td></Table.Tr>
          {i.senderName && <Table.Tr><Table.Th>{t('hazards.warnings.sender')}</Table.Th><Table.Td>{i.senderName}</Table.Td></Table.Tr>}
          <Table.Tr><Table.Th>{t('hazards.warnings.effective')}</Table.Th><Table.Td>{f.dateTime(i.effective)}</Table.Td></Table.Tr>
          {i.onset && <Table.Tr><Table.Th>{t('hazards.warnings.onset')}</Table.Th><Table.Td>{f.dateTime(i.onset)}</Table.Td></Table.Tr>}
          <Table.Tr><Table.Th>{t('hazards.warnings.expires')}</Table.Th><Table.Td>{i.expires ? f.dateTime(i.expires) : f.dateTime(alert.expiresAt)}</Table.Td></Table.Tr>
        </Table.Tbody>
      </Table>
      {i.description && <><Text size="sm" fw={600}>{t('hazards.warnings.description')}</Text><Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{i.description}</Text></>}
      {i.instruction && <><Text size="sm" fw={600}>{t('hazards.warnings.instruction')}</Text><Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{i.instruction}</Text></>}
      {i.areas.length > 0 && <><Text size="sm" fw={600}>{t('hazards.warnings.areas')}</Text><List size="sm">{i.areas.map((a, k) => <List.Item key={k}>{a.areaDesc}</List.Item>)}</List></>}
      {i.web && <Anchor href={i.web} target="_blank" rel="noreferrer" size="sm">{t('hazards.warnings.moreInfo')}</Anchor>}
    </Stack>
  );
  return (
    <Stack gap="md">
      <Group gap={6}><AlertStateBadge state={alert.state} /><Badge variant="light" color="gray" size="sm">{t('hazards.map.matchedSites', { count: alert.matchedSites })}</Badge></Group>
      {alert.needsReview && (
        <Alert color="orange" icon={<IconAlertTriangle size={18} aria-hidden />} title={t('hazards.warnings.needsReview')} styles={{ title: { color: AMBER_TEXT } }} data-testid="needs-review-detail">
          {t('hazards.warnings.needsReviewHint')}
        </Alert>
      )}
      {alert.areasGeoJson.features.length > 0 && (
        <Suspense fallback={<Loading />}>
          <HazardMap tileUrl={config.data?.tileUrl ?? null} areas={[{ id: alert.id, severity: alert.severity, label: alert.headline ?? alert.event ?? '', geojson: alert.areasGeoJson }]} sites={[]} fitKey={alert.id} height={220} testId="alert-map" />
        </Suspense>
      )}
      {first && info(first)}
      {others.length > 0 && (
        <Accordion variant="contained">
          {others.map((i, k) => (
            <Accordion.Item key={k} value={String(k)}>
              <Accordion.Control>{t('hazards.warnings.otherLanguage', { language: languageName(i.language) })}</Accordion.Control>
              <Accordion.Panel>{info(i)}</Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
      {alert.unresolvedAreas.length > 0 && (
        <Alert color="yellow" title={t('hazards.warnings.unresolved', { count: alert.unresolvedAreas.length })} styles={{ title: { color: AMBER_TEXT } }}>
          <List size="sm">{alert.unresolvedAreas.map((a) => <List.Item key={a.areaId}>{a.areaDesc}</List.Item>)}</List>
        </Alert>
      )}
      {alert.warnings.length > 0 && (
        <Accordion variant="contained" defaultValue={alert.needsReview ? 'notes' : null}>
          <Accordion.Item value="notes">
            <Accordion.Control>{t('hazards.warnings.readingNotes', { count: alert.warnings.length })}</Accordion.Control>
            <Accordion.Panel><Reasons reasons={alert.warnings} testId="alert-reading-notes" /></Accordion.Panel>
          </Accordion.Item>
        </Accordion>
      )}
      <Text size="xs" c="dimmed"><span className="ok-code">{alert.sender} · {alert.identifier}</span> · {t('hazards.warnings.sent')}: {f.dateTime(alert.sentAt)}</Text>
    </Stack>
  );
}

/** When the warning takes effect and, when given, when the hazard is expected to begin. */
function InEffect({ alert, table = false }: { alert: AlertSummary; table?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  // Effective defaults to sent: say it only when it differs.
  const effective = alert.effective && alert.effective !== alert.sentAt ? alert.effective : null;
  if (!effective && !alert.onset) return table ? <Text size="sm" c="dimmed">—</Text> : null;
  const parts = [
    ...(effective ? [`${t('hazards.warnings.effective')}: ${f.dateTime(effective)}`] : []),
    ...(alert.onset ? [`${t('hazards.warnings.onset')}: ${f.dateTime(alert.onset)}`] : []),
  ];
  return table
    ? <Stack gap={0}>{parts.map((p) => <Text key={p} size="xs" style={{ whiteSpace: 'nowrap' }}>{p}</Text>)}</Stack>
    : <Text size="xs" c="dimmed">{parts.join(' · ')}</Text>;
}

export function WarningsPage() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const { me } = useSession();
  const canWrite = useCanWrite();
  const phone = useMediaQuery('(max-width: 48em)');
  const [params, setParams] = useSearchParams();
  const state = params.get('state') === 'all' ? 'all' : 'active';
  const openId = params.get('alert');
  const alerts = useAlerts(state, i18n.language);
  const detail = useAlert(openId, i18n.language);
  const invalidate = useInvalidateHazards();
  const [busy, setBusy] = useState<'cap' | 'track' | null>(null);
  const [outcome, setOutcome] = useState<UploadOutcome | null>(null);

  // Switching between "in force" and "all" starts on the first page; opening a warning keeps the page.
  const setParam = (k: string, v: string | null) => { const p = new URLSearchParams(params); if (v) p.set(k, v); else p.delete(k); if (k === 'state') p.delete('page'); setParams(p, { replace: true }); };

  async function upload(what: 'cap' | 'track', file: File | null) {
    if (!file) return;
    setBusy(what);
    setOutcome(null);
    try {
      if (what === 'cap') setOutcome({ kind: 'cap', result: await uploadRaw<UploadResult>('/hazards/alerts', file, capContentType(file), me?.csrfToken ?? null) });
      else setOutcome({ kind: 'track', tracks: await uploadRaw<Track[]>('/hazards/tracks', file, trackContentType(file), me?.csrfToken ?? null) });
      await invalidate();
    } catch (e) {
      setOutcome(e instanceof UploadRejected ? { kind: 'rejected', what, file: file.name, code: e.code, detail: e.detail, reasons: e.reasons } : { kind: 'error', error: e });
    } finally {
      setBusy(null);
    }
  }

  const all = alerts.data ?? [];
  const paged = usePaged(all, PAGE);
  const rows = paged.rows;
  const title = (a: AlertSummary) => a.headline ?? a.event ?? a.identifier;
  return (
    <>
      <HazardsHeader title={t('hazards.warnings.title')} subtitle={t('hazards.warnings.subtitle')}
        actions={canWrite && <>
          <FileButton onChange={(file) => void upload('cap', file)} accept=".xml,.cap,.atom,.rss,application/xml,application/cap+xml,text/xml">
            {(props) => <Button {...props} leftSection={<IconCloudUpload size={16} />} loading={busy === 'cap'} data-testid="upload-cap">{t('hazards.upload.cap')}</Button>}
          </FileButton>
          <FileButton onChange={(file) => void upload('track', file)} accept=".csv,.json,.geojson,text/csv,application/json,application/geo+json">
            {(props) => <Button {...props} variant="default" leftSection={<IconRoute size={16} />} loading={busy === 'track'} data-testid="upload-track">{t('hazards.upload.track')}</Button>}
          </FileButton>
        </>} />
      {outcome && <UploadMessage outcome={outcome} onClose={() => setOutcome(null)} />}
      <Group mb="md" justify="space-between">
        <SegmentedControl value={state} onChange={(v) => setParam('state', v === 'all' ? 'all' : null)} aria-label={t('hazards.warnings.show')}
          data={[{ value: 'active', label: t('hazards.warnings.active') }, { value: 'all', label: t('hazards.warnings.all') }]} />
      </Group>
      <div id="warning-list-top" />
      {alerts.isPending ? <Loading /> : alerts.isError ? <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} /> : rows.length === 0 ? (
        <Card><Empty title={state === 'active' ? t('hazards.warnings.emptyActive') : t('hazards.warnings.empty')}>{canWrite ? t('hazards.warnings.emptyHint') : undefined}</Empty></Card>
      ) : phone ? (
        <Stack gap="xs" data-testid="warning-list">
          {rows.map((a) => (
            <Card key={a.id} padding="sm" component="button" type="button" onClick={() => setParam('alert', a.id)} style={{ textAlign: 'left', cursor: 'pointer' }} data-testid="warning-row">
              <Group gap={6} mb={4}><SeverityBadge severity={a.severity} /><UrgencyBadge urgency={a.urgency} /><CertaintyBadge certainty={a.certainty} />{state === 'all' && <AlertStateBadge state={a.state} />}{a.needsReview && <NeedsReviewBadge />}</Group>
              <Text fw={600} size="sm">{title(a)}</Text>
              <Text size="xs" c="dimmed">{t('hazards.warnings.sent')}: {f.dateTime(a.sentAt)} · {t('hazards.warnings.expires')}: {f.dateTime(a.expiresAt)}</Text>
              <InEffect alert={a} />
            </Card>
          ))}
        </Stack>
      ) : (
        <Card padding={0}>
          <Table.ScrollContainer minWidth={920}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="warning-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('hazards.warnings.headline')}</Table.Th>
                  <Table.Th>{t('hazards.warnings.severity')}</Table.Th>
                  <Table.Th>{t('hazards.warnings.urgencyCertainty')}</Table.Th>
                  <Table.Th>{t('hazards.warnings.sent')}</Table.Th>
                  <Table.Th>{t('hazards.warnings.effectiveOnset')}</Table.Th>
                  <Table.Th>{t('hazards.warnings.expires')}</Table.Th>
                  {state === 'all' && <Table.Th>{t('hazards.warnings.state')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((a) => (
                  <Table.Tr key={a.id} className="ok-table-row" onClick={() => setParam('alert', a.id)} data-testid="warning-row">
                    <Table.Td>
                      <Anchor component="button" type="button" fw={600} size="sm" ta="left" onClick={(e: MouseEvent) => { e.stopPropagation(); setParam('alert', a.id); }}>{title(a)}</Anchor>
                      {a.headline && a.event && <Text size="xs" c="dimmed">{a.event}</Text>}
                      {a.needsReview && <NeedsReviewBadge />}
                    </Table.Td>
                    {/* A badge clips its text when its column is squeezed: these keep their width, the headline wraps instead. */}
                    <Table.Td><div style={{ minWidth: 'max-content' }}><SeverityBadge severity={a.severity} /></div></Table.Td>
                    <Table.Td><Group gap={4} miw="max-content"><UrgencyBadge urgency={a.urgency} /><CertaintyBadge certainty={a.certainty} /></Group></Table.Td>
                    <Table.Td><Text size="sm" style={{ whiteSpace: 'nowrap' }}>{f.dateTime(a.sentAt)}</Text></Table.Td>
                    <Table.Td><InEffect alert={a} table /></Table.Td>
                    <Table.Td><Text size="sm" style={{ whiteSpace: 'nowrap' }}>{f.dateTime(a.expiresAt)}</Text></Table.Td>
                    {state === 'all' && <Table.Td><AlertStateBadge state={a.state} /></Table.Td>}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      {all.length > 0 && <Pager {...paged} anchor="warning-list-top" testId="warnings-pager" />}
      <Drawer opened={!!openId} onClose={() => setParam('alert', null)} position="right" size={phone ? '100%' : 'lg'}
        // The drawer's title is already an <h2>: plain text inside, styled as an h4.
        title={detail.data ? title(detail.data) : t('hazards.warnings.detail')} styles={{ title: { fontSize: 'var(--mantine-h4-font-size)', fontWeight: 700, lineHeight: 1.3 } }} closeButtonProps={{ 'aria-label': t('hazards.common.close') }}>
        {detail.isPending ? <Loading /> : detail.isError ? <ErrorState error={detail.error} onRetry={() => void detail.refetch()} /> : <AlertDrawerBody alert={detail.data} />}
      </Drawer>
    </>
  );
}
