/**
 * One request (/service/requests/:id for staff, /portal/requests/:id for the dealer): its header
 * and service-level targets in the reader's time zone, the thread (customer, company, system;
 * internal notes marked and never sent to a dealer), a reply box, and the queue's actions.
 */
import { Alert, Anchor, Badge, Button, Card, Grid, Group, Menu, Modal, Paper, Select, Stack, Switch, Text, Textarea, ThemeIcon, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle, IconArrowBackUp, IconArrowUpRight, IconBolt, IconCheck, IconChevronDown, IconClockPause, IconHandGrab, IconLock, IconPlayerPlay,
  IconRefresh, IconRobot, IconSend, IconUserShare, IconX,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../../web/api/client.js';
import { useFormat } from '../../../web/format.js';
import { usePhone } from '../../../web/forms/kit.js';
import { useSession } from '../../../web/session.js';
import { AccountName } from '../../../web/ui/account-name.js';
import { useProblemText } from '../../../web/ui/errors.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import { isOpenStatus, MAX_ESCALATION, nextStatuses, type RequestStatus } from '../services.domain.js';
import { invalidateServices, requestActions, useDepartmentPeople, useRequest, type RequestEvent, type ServiceRequestDetail } from './services-api.js';
import { AMBER_TEXT, PriorityBadge, RequestStatusBadge, SlaClock, useKindName } from './services-ui.js';
import { useServiceKinds } from './services-api.js';
import { canWorkQueue } from './services-roles.js';

/** A write refused because the request changed meanwhile (409 or 412): reloading is the way on. */
const isConflict = (err: unknown) => err instanceof ApiError && (err.status === 409 || err.status === 412 || err.status === 428);

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>{label}</Text>
      <Text size="sm" ta="right" component="div" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>{children}</Text>
    </Group>
  );
}

/** An SLA event's body as the clock job writes it: "resolution due 2026-12-04T10:00:00.000Z". */
const slaTarget = (body: string | null): { target: 'response' | 'resolution'; due: string | null } => {
  const m = /^(response|resolution) due (\S+)$/.exec(body ?? '');
  return { target: m?.[1] === 'response' ? 'response' : 'resolution', due: m?.[2] ?? null };
};

/** A line said by the system or about a change (status, assignment, escalation, SLA warnings). */
function SystemLine({ e, portal }: { e: RequestEvent; portal: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const who = e.author && e.author.side !== 'system' ? e.author.name : t('services.thread.system');
  const status = (s: string | null) => (s ? t(portal ? `services.statusPortal.${s}` : `services.status.${s}`, { defaultValue: s }) : '');
  const sla = slaTarget(e.body);
  const slaDue = sla.due && !Number.isNaN(Date.parse(sla.due)) ? f.dateTime(sla.due) : '';
  let text: string;
  // The body shown under the line: a status note, an escalation's reason; an assignment's body is the name, said in the line.
  let body: string | null = e.body;
  if (e.kind === 'status') text = t('services.thread.statusChanged', { who, from: status(e.fromStatus), to: status(e.toStatus) });
  else if (e.kind === 'assigned') {
    text = !e.body ? t('services.thread.assignedSomeone', { who }) : e.body === 'queue' ? t('services.thread.unassigned', { who })
      : e.body === e.author?.name ? t('services.thread.took', { who }) : t('services.thread.assigned', { who, name: e.body });
    body = null;
  } else if (e.kind === 'escalated') text = e.toStatus ? t('services.thread.escalatedTo', { who, level: e.toStatus }) : t('services.thread.escalated', { who });
  else { text = t(e.kind === 'sla_warning' ? `services.thread.slaWarning.${sla.target}` : `services.thread.slaBreach.${sla.target}`, { due: slaDue }); body = null; }
  const tone = e.kind === 'sla_breach' ? 'red' : e.kind === 'sla_warning' || e.kind === 'escalated' ? 'orange' : 'gray';
  const Icon = e.kind === 'sla_breach' || e.kind === 'sla_warning' ? IconAlertTriangle : e.kind === 'escalated' ? IconArrowUpRight : e.kind === 'assigned' ? IconUserShare : IconRobot;
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" py={4} data-testid="thread-event" data-kind={e.kind} data-internal={e.internal ? '1' : '0'}>
      <ThemeIcon size={22} radius="xl" variant="light" color={tone}><Icon size={13} aria-hidden /></ThemeIcon>
      <div style={{ minWidth: 0 }}>
        <Text size="sm" component="div" c={tone === 'gray' ? 'dimmed' : tone === 'orange' ? AMBER_TEXT : `${tone}.9`}>
          {/* The clock's own lines are internal too; only what people wrote or did gets the mark. */}
          {text}{e.internal && e.kind !== 'sla_warning' && e.kind !== 'sla_breach' && <InternalBadge />}
        </Text>
        {body && <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{body}</Text>}
        <Text size="xs" c="dimmed" className="ok-timeline-time">{f.dateTime(e.at)}</Text>
      </div>
    </Group>
  );
}

function InternalBadge() {
  const { t } = useTranslation();
  return <Badge ml={6} size="xs" color={AMBER_TEXT} variant="filled" radius="sm" tt="none" leftSection={<IconLock size={10} aria-hidden />} data-testid="internal-badge">{t('services.thread.internal')}</Badge>;
}

/** A message (or the opening text): the customer on the left, the company on the right; an internal note on yellow. */
function Message({ e, portal }: { e: RequestEvent; portal: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const side = e.author?.side ?? 'system';
  // The reader's own side sits on the right, as in a chat.
  const mine = portal ? side === 'customer' : side === 'company';
  const internal = e.internal || e.kind === 'note';
  const bg = internal ? 'var(--mantine-color-yellow-0)' : side === 'customer' ? 'var(--mantine-color-gray-0)' : 'var(--mantine-color-brand-0)';
  const border = internal ? 'var(--mantine-color-yellow-5)' : side === 'customer' ? 'var(--mantine-color-gray-3)' : 'var(--mantine-color-brand-2)';
  // Each reader calls its own side "us": the company's people see "Customer" and "Our side", the dealer "You" and "Service team".
  const sideLabel = side === 'system' ? t('services.thread.system')
    : portal ? t(side === 'customer' ? 'services.thread.you' : 'services.thread.serviceTeam')
    : t(side === 'customer' ? 'services.thread.customer' : 'services.thread.company');
  return (
    <Group justify={mine ? 'flex-end' : 'flex-start'} wrap="nowrap" data-testid="thread-event" data-kind={e.kind} data-side={side} data-internal={internal ? '1' : '0'}>
      <Paper p="sm" maw="min(640px, 92%)" style={{ background: bg, border: `1px ${internal ? 'dashed' : 'solid'} ${border}` }}>
        <Group gap={6} mb={4} wrap="wrap">
          <Text size="sm" fw={600}>{e.author?.name ?? sideLabel}</Text>
          <Text size="xs" c="dimmed">{sideLabel}</Text>
          {e.kind === 'opened' && <Badge size="xs" variant="light" color="gray" tt="none">{t('services.thread.opened')}</Badge>}
          {internal && <InternalBadge />}
        </Group>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{e.body}</Text>
        <Text size="xs" c="dimmed" mt={4} className="ok-timeline-time">{f.dateTime(e.at)}</Text>
      </Paper>
    </Group>
  );
}

function Thread({ events, portal }: { events: RequestEvent[]; portal: boolean }) {
  return (
    <Stack gap="sm" data-testid="thread">
      {events.map((e) => (e.kind === 'opened' || e.kind === 'message' || e.kind === 'note') && e.body
        ? <Message key={e.id} e={e} portal={portal} />
        : <SystemLine key={e.id} e={e} portal={portal} />)}
    </Stack>
  );
}

/** What went wrong with an action: a conflict asks to reload; anything else in plain words. */
function ActionProblem({ error, onReload, reloading }: { error: unknown; onReload: () => void; reloading: boolean }) {
  const { t } = useTranslation();
  const text = useProblemText();
  if (!error) return null;
  if (isConflict(error)) {
    // The server's words are English only: say it from the code.
    const code = error instanceof ApiError ? error.code : '';
    const body = code === 'no_change' ? 'services.request.noChange' : code === 'invalid_transition' ? 'services.request.invalidTransition'
      : code === 'invalid_state' ? 'services.request.invalidState' : 'services.request.conflictBody';
    return (
      <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={t('services.request.conflictTitle')} role="alert" data-testid="conflict-alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{t(body)}</Text>
          <Button size="xs" color="red.9" leftSection={<IconRefresh size={14} />} loading={reloading} onClick={onReload} data-testid="conflict-reload">{t('forms.reload')}</Button>
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} role="alert" data-testid="action-error">
      <Text size="sm">{error instanceof ApiError && error.fieldErrors.some((e) => e.path === 'body.assigneeId') ? t('services.actions.notInDepartment') : text(error)}</Text>
    </Alert>
  );
}

/** What a status change is called where it is offered (one status can be reached by several: resume, reopen, start). */
type Verb = 'start' | 'wait' | 'resume' | 'resolve' | 'reopen' | 'close' | 'confirm' | 'withdraw';
type Dialog = { kind: 'status'; to: RequestStatus; verb: Verb } | { kind: 'escalate' } | { kind: 'assign' } | null;

/** The dialog of an action that wants a note (status changes: optional; escalation: required) or a person (assign). */
function ActionDialog({ dialog, request, onClose, run, busy, problem }: {
  dialog: Dialog; request: ServiceRequestDetail; onClose: () => void; run: (fn: () => Promise<unknown>) => Promise<boolean>; busy: boolean; problem: ReactNode;
}) {
  const { t } = useTranslation();
  const phone = usePhone();
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState<string | null>(request.assignee?.id ?? null);
  const [error, setError] = useState<string | null>(null);
  // The server takes members of the request's department (and admins) only.
  const staff = useDepartmentPeople(request.department, dialog?.kind === 'assign');
  const people = useMemo(() => (staff.data ?? []).map((u) => ({ value: u.id, label: `${u.name} · ${t(`roles.${u.role}`)}` })), [staff.data, t]);
  if (!dialog) return null;
  const close = () => { setNote(''); setError(null); onClose(); };
  const title = dialog.kind === 'escalate' ? t('services.actions.escalateTitle', { level: request.escalationLevel + 1 })
    : dialog.kind === 'assign' ? t('services.actions.assignTitle')
    : t(`services.actions.verbTitle.${dialog.verb}`);
  const confirm = async () => {
    if (dialog.kind === 'escalate' && !note.trim()) { setError(t('errors.field.required')); return; }
    const ok = await run(() => dialog.kind === 'escalate' ? requestActions.escalate(request.id, note.trim(), request.version)
      : dialog.kind === 'assign' ? requestActions.assign(request.id, assignee === 'none' ? null : assignee, request.version)
      : requestActions.status(request.id, dialog.to, note.trim() || null, request.version));
    if (ok) close();
  };
  return (
    <Modal opened onClose={close} title={<Text fw={700} component="span">{title}</Text>} size="md" centered={!phone} fullScreen={phone} closeButtonProps={{ 'aria-label': t('forms.close') }} data-testid="action-dialog">
      <Stack>
        {dialog.kind === 'escalate' && <Text size="sm">{t(`services.actions.escalateWho.${Math.min(request.escalationLevel + 1, MAX_ESCALATION)}`)}</Text>}
        {dialog.kind === 'assign' ? (
          <Select label={t('services.actions.assignee')} searchable data={[{ value: 'none', label: t('services.actions.backToQueue') }, ...people]} value={assignee ?? 'none'}
            onChange={setAssignee} nothingFoundMessage={staff.isPending ? t('common.loading') : t('common.noMatches')} comboboxProps={{ withinPortal: true }} data-testid="assignee-select" />
        ) : (
          <Textarea label={t(dialog.kind === 'escalate' ? 'services.actions.escalateNote' : 'services.actions.note')} required={dialog.kind === 'escalate'} autosize minRows={3} maxRows={8}
            value={note} onChange={(e) => { setNote(e.currentTarget.value); setError(null); }} error={error} data-autofocus data-testid="action-note"
            description={dialog.kind === 'status' ? t('services.actions.noteHint') : undefined} />
        )}
        {problem}
        <Group justify="flex-end" wrap="nowrap" grow={phone}>
          <Button variant="default" onClick={close}>{t('common.cancel')}</Button>
          <Button color={dialog.kind === 'escalate' ? 'orange' : undefined} loading={busy} onClick={() => void confirm()} data-testid="action-confirm">
            {dialog.kind === 'escalate' ? t('services.actions.escalate') : dialog.kind === 'assign' ? t('services.actions.assign') : t(`services.actions.verb.${dialog.verb}`)}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function Reply({ request, portal, run, busy }: { request: ServiceRequestDetail; portal: boolean; run: (fn: () => Promise<unknown>) => Promise<boolean>; busy: boolean }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const send = async () => {
    if (!body.trim()) return;
    if (await run(() => requestActions.message(request.id, body.trim(), !portal && internal))) {
      setBody('');
      notifications.show({ color: 'teal', message: t(internal && !portal ? 'services.reply.noted' : 'services.reply.sent') });
    }
  };
  if (request.status === 'closed') return <Text size="sm" c="dimmed" data-testid="reply-closed">{t(portal ? 'services.reply.closedPortal' : 'services.reply.closed')}</Text>;
  return (
    <Stack gap="xs" data-testid="reply-box">
      <Textarea label={t(internal && !portal ? 'services.reply.noteLabel' : 'services.reply.label')} autosize minRows={3} maxRows={10} value={body} maxLength={10_000}
        onChange={(e) => setBody(e.currentTarget.value)} placeholder={portal ? t('services.reply.placeholderPortal') : internal ? t('services.reply.notePlaceholder')
          : request.openedVia === 'portal' ? t('services.reply.placeholder') : t('services.reply.placeholderTo', { name: request.openedBy.name })}
        styles={internal && !portal ? { input: { background: 'var(--mantine-color-yellow-0)', borderColor: 'var(--mantine-color-yellow-5)' } } : undefined} data-testid="reply-body" />
      <Group justify="space-between" gap="xs">
        {!portal ? (
          <Switch checked={internal} onChange={(e) => setInternal(e.currentTarget.checked)} label={t('services.reply.internal')} description={t('services.reply.internalHint')} data-testid="reply-internal" />
        ) : <span />}
        <Button leftSection={internal && !portal ? <IconLock size={16} /> : <IconSend size={16} />} color={internal && !portal ? AMBER_TEXT : undefined} loading={busy} disabled={!body.trim()} onClick={() => void send()} data-testid="reply-send">
          {t(internal && !portal ? 'services.reply.addNote' : 'services.reply.send')}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * The requester's side (a dealer, or staff outside the department): confirm a resolved request and
 * close it, or reopen it; withdraw one's own open request.
 */
function RequesterActions({ request, meId, onDialog }: { request: ServiceRequestDetail; meId: string; onDialog: (d: Dialog) => void }) {
  const { t } = useTranslation();
  if (request.status === 'resolved') {
    return (
      <Alert color="teal" variant="light" icon={<IconCheck size={18} />} title={t('services.requester.resolvedTitle')} data-testid="requester-actions">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{t('services.requester.resolvedBody')}</Text>
          <Group gap="xs">
            <Button size="xs" color="teal" leftSection={<IconCheck size={14} />} onClick={() => onDialog({ kind: 'status', to: 'closed', verb: 'confirm' })} data-testid="requester-close">{t('services.requester.confirm')}</Button>
            <Button size="xs" variant="default" leftSection={<IconArrowBackUp size={14} />} onClick={() => onDialog({ kind: 'status', to: 'in_progress', verb: 'reopen' })} data-testid="requester-reopen">{t('services.requester.reopen')}</Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  if (isOpenStatus(request.status) && request.openedBy.id === meId) {
    return (
      <Group gap="xs">
        <Button size="xs" variant="subtle" color="gray" leftSection={<IconX size={14} />} onClick={() => onDialog({ kind: 'status', to: 'closed', verb: 'withdraw' })} data-testid="requester-withdraw">{t('services.requester.withdraw')}</Button>
      </Group>
    );
  }
  return null;
}

/** The queue's buttons: Take, Assign, Waiting on customer / Resume, Resolve, Close, Reopen, Escalate (where the status allows). */
function Actions({ request, canQueue, meId, onDialog, run, busy }: {
  request: ServiceRequestDetail; canQueue: boolean; meId: string; onDialog: (d: Dialog) => void; run: (fn: () => Promise<unknown>) => Promise<boolean>; busy: boolean;
}) {
  const { t } = useTranslation();
  const next = nextStatuses[request.status];
  const open = isOpenStatus(request.status);
  const buttons: ReactNode[] = [];
  if (canQueue && open && request.assignee?.id !== meId) {
    buttons.push(<Button key="take" leftSection={<IconHandGrab size={16} />} loading={busy} onClick={() => void run(() => requestActions.take(request.id, request.version))} data-testid="action-take">{t('services.actions.take')}</Button>);
  }
  if (canQueue && request.status === 'open') buttons.push(<Button key="start" variant="light" leftSection={<IconPlayerPlay size={16} />} onClick={() => onDialog({ kind: 'status', to: 'in_progress', verb: 'start' })} data-testid="action-start">{t('services.actions.verb.start')}</Button>);
  if (canQueue && next.includes('waiting_customer')) buttons.push(<Button key="wait" variant="light" color="yellow" c={AMBER_TEXT} leftSection={<IconClockPause size={16} />} onClick={() => onDialog({ kind: 'status', to: 'waiting_customer', verb: 'wait' })} data-testid="action-wait">{t('services.actions.verb.wait')}</Button>);
  if (canQueue && request.status === 'waiting_customer') buttons.push(<Button key="resume" variant="light" leftSection={<IconPlayerPlay size={16} />} onClick={() => onDialog({ kind: 'status', to: 'in_progress', verb: 'resume' })} data-testid="action-resume">{t('services.actions.verb.resume')}</Button>);
  if (canQueue && next.includes('resolved')) buttons.push(<Button key="resolve" variant="light" color="teal" leftSection={<IconCheck size={16} />} onClick={() => onDialog({ kind: 'status', to: 'resolved', verb: 'resolve' })} data-testid="action-resolve">{t('services.actions.verb.resolve')}</Button>);
  if (canQueue && request.status === 'resolved') buttons.push(<Button key="reopen" variant="light" leftSection={<IconArrowBackUp size={16} />} onClick={() => onDialog({ kind: 'status', to: 'in_progress', verb: 'reopen' })} data-testid="action-reopen">{t('services.actions.verb.reopen')}</Button>);
  const more: ReactNode[] = [];
  if (canQueue && open) more.push(<Menu.Item key="assign" leftSection={<IconUserShare size={16} />} onClick={() => onDialog({ kind: 'assign' })} data-testid="action-assign">{t('services.actions.assign')}…</Menu.Item>);
  if (open && request.escalationLevel < MAX_ESCALATION) more.push(<Menu.Item key="escalate" color="orange.9" leftSection={<IconBolt size={16} />} onClick={() => onDialog({ kind: 'escalate' })} data-testid="action-escalate">{t('services.actions.escalate')}…</Menu.Item>);
  if (canQueue && next.includes('closed')) more.push(<Menu.Item key="close" leftSection={<IconX size={16} />} onClick={() => onDialog({ kind: 'status', to: 'closed', verb: 'close' })} data-testid="action-close">{t('services.actions.verb.close')}…</Menu.Item>);
  if (!buttons.length && !more.length) return null;
  return (
    <Group gap="xs" wrap="wrap" data-testid="request-actions">
      {buttons}
      {more.length > 0 && (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target><Button variant="default" rightSection={<IconChevronDown size={14} />} data-testid="action-more">{t('services.actions.more')}</Button></Menu.Target>
          <Menu.Dropdown>{more}</Menu.Dropdown>
        </Menu>
      )}
    </Group>
  );
}

export function RequestView({ portal }: { portal: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { id } = useParams();
  const { me } = useSession();
  const qc = useQueryClient();
  const q = useRequest(id);
  const kinds = useServiceKinds(!portal);
  const kindName = useKindName();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ err: unknown; where: 'actions' | 'reply' } | null>(null);
  const [reloading, setReloading] = useState(false);

  const run = (where: 'actions' | 'reply') => async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      const out = await fn();
      if (out && typeof out === 'object' && 'events' in out) qc.setQueryData(['services', 'request', id ?? ''], out);
      await invalidateServices(qc);
      return true;
    } catch (err) {
      setError({ err, where });
      return false;
    } finally {
      setBusy(false);
    }
  };
  // After a conflict: the fresh request (and its version); an open dialog starts again on it.
  const reload = async () => { setReloading(true); try { await q.refetch(); setError(null); setDialog(null); } finally { setReloading(false); } };

  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const r = q.data;
  const problem = <ActionProblem error={error?.where === 'actions' ? error.err : null} onReload={() => void reload()} reloading={reloading} />;
  const replyProblem = <ActionProblem error={error?.where === 'reply' ? error.err : null} onReload={() => void reload()} reloading={reloading} />;
  const canQueue = !portal && canWorkQueue(me?.role);
  const kind = r.serviceKindId ? kinds.data?.find((k) => k.id === r.serviceKindId) : undefined;
  const back = portal ? { to: '/', label: t('services.portal.backHome') } : { to: `/accounts/${r.accountId}?tab=services`, label: t('services.request.backAccount') };
  return (
    <>
      <Anchor component={Link} to={back.to} size="sm" mb="xs" display="inline-block">← {back.label}</Anchor>
      <PageHeader
        title={r.subject}
        badge={<>
          <Badge variant="outline" color="gray" radius="sm" tt="none" className="ok-code">{r.number}</Badge><RequestStatusBadge status={r.status} size="md" portal={portal} /><PriorityBadge priority={r.priority} size="md" />
          {(isOpenStatus(r.status) || r.slaState === 'missed') && <SlaClock request={r} />}
        </>}
        subtitle={<>
          {portal ? t(`services.typePortal.${r.type}`) : <><Anchor component={Link} to={`/accounts/${r.accountId}`} size="sm"><AccountName account={r} /></Anchor> · {t(`services.type.${r.type}`)}</>}
          {kind && ` · ${kindName(kind)}`}
        </>}
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            {!portal && <Actions request={r} canQueue={canQueue} meId={me?.id ?? ''} onDialog={setDialog} run={run('actions')} busy={busy} />}
            {!canQueue && <RequesterActions request={r} meId={me?.id ?? ''} onDialog={setDialog} />}
            {!dialog && problem}
            <Card padding="md">
              <Title order={2} size="h4" mb="sm">{t('services.thread.title')}</Title>
              <Thread events={r.events} portal={portal} />
            </Card>
            <Card padding="md"><Stack gap="sm"><Reply request={r} portal={portal} run={run('reply')} busy={busy} />{replyProblem}</Stack></Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card padding="md" data-testid="request-facts">
            <Stack gap={8}>
              {isOpenStatus(r.status) || !portal ? (
                <Group justify="space-between" gap="xs"><Text size="sm" fw={600}>{t('services.request.sla')}</Text><SlaClock request={r} /></Group>
              ) : null}
              <Fact label={t('services.request.responseDue')}>{f.dateTime(r.responseDueAt)}</Fact>
              <Fact label={t('services.request.firstResponse')}>{r.firstResponseAt ? f.dateTime(r.firstResponseAt) : <Text span size="sm" c="dimmed">{t('services.request.notYet')}</Text>}</Fact>
              <Fact label={t('services.request.resolutionDue')}>{f.dateTime(r.resolutionDueAt)}</Fact>
              {r.resolvedAt && <Fact label={t('services.request.resolvedAt')}>{f.dateTime(r.resolvedAt)}</Fact>}
              {r.waitingSince && r.status === 'waiting_customer' && <Fact label={t('services.request.waitingSince')}>{f.dateTime(r.waitingSince)}</Fact>}
              <Fact label={t('services.request.department')}>{t(`services.department.${r.department}`)}</Fact>
              <Fact label={t('services.request.assignee')}>{r.assignee?.name ?? <Text span size="sm" c="dimmed">{t('services.queue.unassigned')}</Text>}</Fact>
              {!portal && r.escalationLevel > 1 && <Fact label={t('services.request.escalation')}><Badge color="orange" variant="light" size="sm" tt="none" c={AMBER_TEXT}>{t('services.request.level', { level: r.escalationLevel })}</Badge></Fact>}
              <Fact label={t('services.request.openedBy')}>{r.openedBy.name} · {t(`services.request.via.${r.openedVia}`)}</Fact>
              <Fact label={t('services.request.openedAt')}>{f.dateTime(r.createdAt)}</Fact>
              <Text size="xs" c="dimmed">{t('services.request.timeZoneNote', { zone: me?.timeZone ?? '' })}</Text>
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
      <ActionDialog key={dialog ? JSON.stringify(dialog) : 'none'} dialog={dialog} request={r} onClose={() => { setDialog(null); setError(null); }} run={run('actions')} busy={busy} problem={problem} />
    </>
  );
}

export function RequestPage() { return <RequestView portal={false} />; }
export function PortalRequestPage() { return <RequestView portal />; }
