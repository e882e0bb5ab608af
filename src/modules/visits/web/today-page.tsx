import { ActionIcon, Alert, Anchor, Button, Card, Group, Modal, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconCalendarPlus, IconCurrentLocation, IconLogin2, IconLogout2, IconMapPin, IconPlus, IconTag, IconTrash, IconX } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountFact } from '../../../platform/contributions.contract.js';
import { ApiError, api } from '../../../web/api/client.js';
import { FactGrid } from '../../../web/contributions/fact-card.js';
import { accountPaths } from '../../../web/pages/account-first-load.js';
import { useSession } from '../../../web/session.js';
import { ToneBadge, useNotify } from './notify.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { haversineMetres, type LatLng } from '../../../shared/geo.js';
import { parseAmountToMinor } from '../../../shared/money.js';
import { ManagerPicker, useSelectedManager } from './manager-picker.js';
import { useToday, useVisitAction, type Visit } from './use-visits.js';
import { useVisitFormat } from './visits-format.js';
import { useNames } from '../../../web/names.js';
import { AccountName } from '../../../web/ui/account-name.js';

type Fix = LatLng & { accuracy: number };
type GeoState = { status: 'idle' | 'locating' | 'ok' | 'denied' | 'unavailable'; fix: Fix | null };

/**
 * The phone's position. Asked once when the page opens (for the distance to the next stop) and
 * again at check-in and check-out; a refusal is remembered so the page can say so.
 */
function useGeolocation() {
  const [state, setState] = useState<GeoState>({ status: 'idle', fix: null });
  const locate = useCallback((): Promise<Fix | null> => new Promise((resolve) => {
    if (!('geolocation' in navigator)) { setState({ status: 'unavailable', fix: null }); resolve(null); return; }
    setState((s) => ({ ...s, status: 'locating' }));
    navigator.geolocation.getCurrentPosition(
      (p) => { const fix = { lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy }; setState({ status: 'ok', fix }); resolve(fix); },
      (err) => { setState((s) => ({ status: err.code === err.PERMISSION_DENIED ? 'denied' : 'unavailable', fix: s.fix })); resolve(null); },
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  }), []);
  useEffect(() => { void locate(); }, [locate]);
  return { ...state, locate };
}

/**
 * Check-in and check-out need a position; when the phone gives none the visit is recorded at
 * 0,0 with the widest accuracy (the API has no "no position" yet), and shown as "no position".
 */
type Located = { lat?: number; lng?: number; accuracyMetres?: number; positionUnavailable?: 'denied' | 'unavailable' };
const noPosition = (status: string): Located => ({ positionUnavailable: status === 'denied' ? 'denied' : 'unavailable' });
const withoutPosition = (p: { lat: number | null; lng: number | null } | null) => !p || p.lat === null || p.lng === null;

const statusColor: Record<Visit['status'], string> = { planned: 'blue', checked_in: 'orange', completed: 'teal', missed: 'red', cancelled: 'gray' };

function VisitStatus({ v }: { v: Visit }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      <ToneBadge variant="light" color={statusColor[v.status]}>{t(`visits.status.${v.status}`)}</ToneBadge>
      {v.punctuality && <ToneBadge variant="outline" color={v.punctuality === 'late' ? 'red' : 'teal'}>{t(`visits.outcomes.${v.punctuality}`)}</ToneBadge>}
      {v.moved && <ToneBadge variant="outline" color="grape">{t('visits.outcomes.moved')}</ToneBadge>}
    </Group>
  );
}

type IssueDraft = { text: string; severity: 'low' | 'medium' | 'high' };

function CheckOutForm({ visit, geo, onDone }: { visit: Visit; geo: ReturnType<typeof useGeolocation>; onDone: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const checkOut = useVisitAction<Record<string, unknown>>('check-out');
  const [notes, setNotes] = useState('');
  const [order, setOrder] = useState('');
  const [issues, setIssues] = useState<IssueDraft[]>([]);
  const [issueText, setIssueText] = useState('');
  const [severity, setSeverity] = useState<IssueDraft['severity']>('medium');
  const [orderError, setOrderError] = useState<string | undefined>();
  const [askNoPosition, setAskNoPosition] = useState(false);

  const addIssue = () => { if (!issueText.trim()) return; setIssues((l) => [...l, { text: issueText.trim(), severity }]); setIssueText(''); };
  const send = (position: Located) => {
    const amountMinor = order.trim() ? parseAmountToMinor(order, 'CNY') : null;
    checkOut.mutate({
      id: visit.id,
      body: { ...position, ...(notes.trim() && { outcomeNotes: notes.trim() }), ...(amountMinor !== null && { order: { amountMinor, currency: 'CNY' } }), ...(issues.length > 0 && { issues }) },
    }, {
      onSuccess: () => { notify.ok(t('visits.today.checkedOut')); onDone(); },
      onError: (err) => notify.fail(err),
    });
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (order.trim()) {
      const minor = parseAmountToMinor(order, 'CNY');
      if (minor === null || minor < 0) { setOrderError(t('visits.today.orderInvalid')); return; }
    }
    setOrderError(undefined);
    const fix = await geo.locate();
    if (fix) send({ lat: fix.lat, lng: fix.lng });
    else setAskNoPosition(true);
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Textarea label={t('visits.today.outcomeNotes')} autosize minRows={3} maxLength={5000} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
        <TextInput label={t('visits.today.order')} description={t('visits.today.orderHint')} inputMode="decimal" leftSection="¥" placeholder="0.00"
          value={order} onChange={(e) => setOrder(e.currentTarget.value)} error={orderError} />
        <div>
          <Text size="sm" fw={500} mb={4}>{t('visits.today.issues')}</Text>
          <Stack gap={4} mb={issues.length ? 'xs' : 0}>
            {issues.map((i, n) => (
              <Group key={n} gap="xs" wrap="nowrap" justify="space-between">
                <Text size="sm" component="div" style={{ minWidth: 0 }}><ToneBadge size="xs" mr={6} color={i.severity === 'high' ? 'red' : i.severity === 'medium' ? 'orange' : 'gray'} variant="light">{t(`visits.severity.${i.severity}`)}</ToneBadge>{i.text}</Text>
                <ActionIcon variant="subtle" color="red" aria-label={t('visits.today.removeIssue', { text: i.text })} onClick={() => setIssues((l) => l.filter((_, k) => k !== n))}><IconTrash size={14} /></ActionIcon>
              </Group>
            ))}
          </Stack>
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <TextInput style={{ flex: 1, minWidth: 0 }} label={t('visits.today.issueText')} value={issueText} maxLength={1000} onChange={(e) => setIssueText(e.currentTarget.value)}
              onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); addIssue(); } }} />
            <Select w={110} label={t('visits.today.severity')} value={severity} allowDeselect={false} onChange={(v) => v && setSeverity(v as IssueDraft['severity'])}
              data={(['low', 'medium', 'high'] as const).map((s) => ({ value: s, label: t(`visits.severity.${s}`) }))} />
            <ActionIcon size="lg" variant="light" aria-label={t('visits.today.addIssue')} onClick={addIssue} disabled={!issueText.trim()}><IconPlus size={18} /></ActionIcon>
          </Group>
        </div>
        <Button type="submit" size="lg" fullWidth className="ok-checkin-button" leftSection={<IconLogout2 size={22} />} loading={checkOut.isPending || geo.status === 'locating'}>
          {t('visits.today.checkOut')}
        </Button>
      </Stack>
      <NoPositionDialog opened={askNoPosition} status={geo.status} action="checkOut" onCancel={() => setAskNoPosition(false)} onConfirm={() => { setAskNoPosition(false); send(noPosition(geo.status)); }} />
    </form>
  );
}

function NoPositionDialog({ opened, status, action, onCancel, onConfirm }: { opened: boolean; status: GeoState['status']; action: 'checkIn' | 'checkOut'; onCancel: () => void; onConfirm: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal className="ok-visits" closeButtonProps={{ 'aria-label': t('visits.close') }} opened={opened} onClose={onCancel} title={t('visits.today.noPositionTitle')}>
      <Stack>
        <Text size="sm">{status === 'denied' ? t('visits.today.positionDenied') : t('visits.today.positionUnavailable')}</Text>
        <Text size="sm">{t('visits.today.noPositionRecorded')}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>{t('common.cancel')}</Button>
          <Button onClick={onConfirm}>{action === 'checkIn' ? t('visits.today.checkInWithout') : t('visits.today.checkOutWithout')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function MissedDialog({ visit, onClose }: { visit: Visit | null; onClose: () => void }) {
  const { t } = useTranslation();
  const n = useNames();
  const notify = useNotify();
  const missed = useVisitAction<{ reason: string }>('missed');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  useEffect(() => { setReason(''); setError(undefined); }, [visit]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim().length < 3) { setError(t('visits.today.missedReasonRequired')); return; }
    missed.mutate({ id: visit!.id, body: { reason: reason.trim() } }, {
      onSuccess: () => { notify.ok(t('visits.today.markedMissed')); onClose(); },
      onError: (err) => notify.fail(err),
    });
  };
  return (
    <Modal className="ok-visits" closeButtonProps={{ 'aria-label': t('visits.close') }} opened={!!visit} onClose={onClose} title={visit ? t('visits.today.missedTitle', { account: n.primary(visit) }) : ''}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Textarea label={t('visits.today.missedReason')} withAsterisk autosize minRows={3} maxLength={2000} value={reason} error={error} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" color="red" loading={missed.isPending}>{t('visits.today.markMissed')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The visit in focus: what to do now (check in, check out, or mark missed). */
function FocusCard({ visit, geo, mine, onMissed }: { visit: Visit; geo: ReturnType<typeof useGeolocation>; mine: boolean; onMissed: (v: Visit) => void }) {
  const { t } = useTranslation();
  const f = useVisitFormat();
  const notify = useNotify();
  const checkIn = useVisitAction<Located>('check-in');
  const [askNoPosition, setAskNoPosition] = useState(false);
  const target = visit.site;
  const distance = geo.fix && target ? haversineMetres(geo.fix, target) : null;
  const begun = new Date(visit.scheduledStart).getTime() <= Date.now();

  // A check-in counts from two hours before the slot to the end of its day (the server says so too).
  const opensAt = new Date(visit.checkInWindow.opensAt).getTime();
  const closed = Date.now() >= new Date(visit.checkInWindow.closesAt).getTime();
  const tooEarly = Date.now() < opensAt;
  const send = (body: Located, positionless: boolean) => checkIn.mutate({ id: visit.id, body }, {
    onSuccess: () => notify.ok(positionless ? t('visits.today.checkedInWithoutPosition') : t('visits.today.checkedIn'), positionless ? 'orange' : 'teal'),
    onError: (err) => notify.fail(err, err instanceof ApiError && err.code === 'check_in_too_early' ? t('visits.today.checkInOpensAt', { time: f.time(visit.checkInWindow.opensAt) }) : undefined),
  });
  const onCheckIn = async () => {
    const fix = await geo.locate();
    if (fix) send({ lat: fix.lat, lng: fix.lng, accuracyMetres: Math.min(100_000, Math.round(fix.accuracy)) }, false);
    else setAskNoPosition(true);
  };

  return (
    <Card className="ok-today-next" padding="lg" data-testid="today-focus">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Text size="sm" fw={700} c="brand.8" tt="uppercase">{visit.status === 'checked_in' ? t('visits.today.inProgress') : t('visits.today.nextStop')}</Text>
          <VisitStatus v={visit} />
        </Group>
        <Title order={2} size="h2" style={{ overflowWrap: 'anywhere' }}><AccountName account={visit} secondary block /></Title>
        <Group gap={6} wrap="nowrap" align="flex-start">
          <IconMapPin size={18} style={{ flexShrink: 0, marginTop: 2 }} aria-hidden="true" />
          <div>
            <Text fw={500}>{visit.siteName ?? t('visits.today.noSite')}</Text>
            {visit.siteAddress && <Text size="sm" c="dimmed">{visit.siteAddress}</Text>}
          </div>
        </Group>
        <Group gap="lg">
          <div>
            <Text size="xs" c="dimmed">{t('visits.today.slot')}</Text>
            <Text size="xl" fw={700} className="ok-timeline-time">{f.time(visit.scheduledStart)}–{f.time(visit.scheduledEnd)}</Text>
            {visit.status === 'planned' && <Text size="xs" c="dimmed">{f.relative(visit.scheduledStart)}</Text>}
          </div>
          <div>
            <Text size="xs" c="dimmed">{t('visits.today.distance')}</Text>
            <Text size="xl" fw={700} data-testid="today-distance">{distance !== null ? f.distance(distance) : '—'}</Text>
            {geo.status === 'locating' && <Text size="xs" c="dimmed">{t('visits.today.locating')}</Text>}
          </div>
        </Group>
        {(geo.status === 'denied' || geo.status === 'unavailable') && (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} p="xs">
            <Text size="sm">{geo.status === 'denied' ? t('visits.today.positionDenied') : t('visits.today.positionUnavailable')}</Text>
            <Anchor component="button" type="button" size="sm" onClick={() => void geo.locate()}><IconCurrentLocation size={14} style={{ verticalAlign: 'middle' }} aria-hidden="true" /> {t('visits.today.retryPosition')}</Anchor>
          </Alert>
        )}
        {visit.checkIn && (
          <Text size="sm">
            {t('visits.today.checkedInAt', { time: f.time(visit.checkIn.at) })}
            {withoutPosition(visit.checkIn) ? ` · ${t('visits.today.noPosition')}` : visit.checkIn.distanceMetres !== null ? ` · ${t('visits.today.fromSite', { distance: f.distance(visit.checkIn.distanceMetres) })}` : ''}
          </Text>
        )}
        {mine && visit.status === 'planned' && (
          <>
            <Button size="xl" fullWidth className="ok-checkin-button" leftSection={<IconLogin2 size={24} />} loading={checkIn.isPending || geo.status === 'locating'}
              disabled={tooEarly || closed} aria-describedby={tooEarly || closed ? `check-in-window-${visit.id}` : undefined} onClick={() => void onCheckIn()}>
              {t('visits.today.checkIn')}
            </Button>
            {(tooEarly || closed) && (
              <Text size="sm" c="dimmed" ta="center" id={`check-in-window-${visit.id}`} data-testid="check-in-window">
                {tooEarly ? t('visits.today.checkInOpensAt', { time: f.time(visit.checkInWindow.opensAt) }) : t('visits.today.checkInClosed')}
              </Text>
            )}
          </>
        )}
        {mine && visit.status === 'checked_in' && <VisitAccountFacts accountId={visit.accountId} />}
        {mine && visit.status === 'checked_in' && (
          <Button component={Link} to={`/competition/record?accountId=${visit.accountId}&visitId=${visit.id}`} variant="light" leftSection={<IconTag size={18} />} data-testid="visit-competitor-price">
            {t('visits.today.competitorPrice')}
          </Button>
        )}
        {mine && visit.status === 'checked_in' && <CheckOutForm key={visit.id} visit={visit} geo={geo} onDone={() => undefined} />}
        <Group justify="space-between">
          <Anchor href={`/api/v1/visits/${visit.id}/calendar.ics`} size="sm"><IconCalendarPlus size={14} style={{ verticalAlign: 'middle' }} aria-hidden="true" /> {t('visits.today.addToCalendar')}</Anchor>
          {mine && visit.status === 'planned' && begun && (
            <Button variant="subtle" color="red" size="sm" leftSection={<IconX size={16} />} onClick={() => onMissed(visit)}>{t('visits.today.markMissed')}</Button>
          )}
        </Group>
      </Stack>
      <NoPositionDialog opened={askNoPosition} status={geo.status} action="checkIn" onCancel={() => setAskNoPosition(false)}
        onConfirm={() => { setAskNoPosition(false); send(noPosition(geo.status), true); }} />
    </Card>
  );
}

export function TodayPage() {
  const { t } = useTranslation();
  const n = useNames();
  const f = useVisitFormat();
  const { me } = useSession();
  const selection = useSelectedManager();
  const mine = !selection.managerId || selection.managerId === me?.id;
  const today = useToday(mine ? undefined : selection.managerId);
  const geo = useGeolocation();
  const [focusId, setFocusId] = useState<string | null>(null);
  const [missing, setMissing] = useState<Visit | null>(null);
  const visits = today.data?.visits ?? [];
  const inProgress = visits.find((v) => v.status === 'checked_in');
  const focus = visits.find((v) => v.id === focusId) ?? inProgress ?? today.data?.next ?? null;
  const now = Date.now();

  let body;
  if (today.isPending || selection.loading) body = <Loading />;
  else if (today.isError) body = <ErrorState error={today.error} onRetry={() => void today.refetch()} />;
  else if (visits.length === 0) body = <Empty title={t('visits.today.empty')}>{t('visits.today.emptyHint')}</Empty>;
  else {
    body = (
      <Stack gap="md">
        {focus ? <FocusCard visit={focus} geo={geo} mine={mine} onMissed={setMissing} />
          : <Alert color="teal" variant="light">{t('visits.today.allDone')}</Alert>}
        <Title order={2} size="h4">{t('visits.today.allVisits', { count: visits.length })}</Title>
        <Stack gap="xs" data-testid="today-list">
          {visits.map((v, i) => {
            const needsReason = mine && v.status === 'planned' && !v.moved && new Date(v.scheduledEnd).getTime() <= now;
            return (
              <Card key={v.id} padding="sm" withBorder style={v.id === focus?.id ? { borderColor: 'var(--mantine-color-brand-6)' } : undefined}>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Group gap="sm" wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
                    <ToneBadge circle size="lg" variant={v.id === focus?.id ? 'filled' : 'light'}>{i + 1}</ToneBadge>
                    <div style={{ minWidth: 0 }}>
                      <Text fw={600} size="sm" className="ok-timeline-time">{f.time(v.scheduledStart)}–{f.time(v.scheduledEnd)}</Text>
                      <Text size="sm">{n.primary(v)}</Text>
                      {v.siteName && <Text size="xs" c="dimmed">{v.siteName}</Text>}
                      {v.missedReason && <Text size="xs" c="dimmed">{t('visits.today.missedBecause', { reason: v.missedReason })}</Text>}
                      {v.order && <Text size="xs" c="dimmed">{t('visits.account.orderTaken', { amount: f.money(v.order.amountMinor, v.order.currency) })}</Text>}
                      {v.outcomeNotes && <Text size="xs" c="dimmed" lineClamp={2}>{v.outcomeNotes}</Text>}
                    </div>
                  </Group>
                  <Stack gap={4} align="flex-end">
                    <VisitStatus v={v} />
                    {v.id !== focus?.id && (v.status === 'planned' || v.status === 'checked_in') && (
                      <Button size="compact-xs" variant="subtle" onClick={() => setFocusId(v.id)} aria-label={t('visits.today.openVisit', { account: n.primary(v) })}>{t('visits.today.open')}</Button>
                    )}
                    {needsReason && <Button size="compact-xs" variant="subtle" color="red" onClick={() => setMissing(v)}>{t('visits.today.giveReason')}</Button>}
                  </Stack>
                </Group>
              </Card>
            );
          })}
        </Stack>
      </Stack>
    );
  }

  return (
    <>
      <PageHeader
        title={t('visits.today.title')}
        subtitle={today.data ? f.weekdayDate(new Date().toISOString()) : undefined}
        actions={<ManagerPicker state={selection} />}
      />
      {body}
      <MissedDialog visit={missing} onClose={() => setMissing(null)} />
    </>
  );
}

const FACTS_ON_VISIT = 6;

/**
 * The account's header figures on the visit in progress (every module's: rebate progress, open
 * requests, warnings, revenue), what needs attention first, so the manager has them in hand at the
 * counter. The same request as the account page's header, so a later visit to it is instant.
 */
function VisitAccountFacts({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const facts = useQuery({ queryKey: ['account-facts', accountId], queryFn: () => api<{ items: AccountFact[]; unavailable: string[] }>(accountPaths.facts(accountId)) });
  const rank = { act: 0, watch: 1, ok: 2, info: 3 } as const;
  const items = [...(facts.data?.items ?? [])].sort((a, b) => rank[a.status] - rank[b.status] || a.order - b.order).slice(0, FACTS_ON_VISIT);
  if (!items.length) return null;
  return (
    <Stack gap={4} data-testid="visit-account-facts">
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={600}>{t('visits.today.atThisAccount')}</Text>
        <Anchor component={Link} to={`/accounts/${accountId}`} size="sm">{t('visits.today.allOnAccount')}</Anchor>
      </Group>
      <FactGrid facts={items} onTab={(tab) => navigate(`/accounts/${accountId}?tab=${tab}`)} />
    </Stack>
  );
}
