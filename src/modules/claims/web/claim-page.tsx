/**
 * One claim: where it stands, its service levels, the lines and shipments it is about, its evidence
 * (add a file), its history, and the next steps (investigate, decide with the reason, credit note,
 * close, withdraw), each confirmed first. In the portal: the dealer's view, without internal notes.
 */
import { Alert, Anchor, Badge, Button, Card, Checkbox, FileButton, Group, Modal, SegmentedControl, SimpleGrid, Stack, Text, Textarea, TextInput, Timeline, Title } from '@mantine/core';
import { IconFileUpload, IconLock, IconPaperclip } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { currencyDigits, parseAmountToMinor } from '../../../shared/money.js';
import { localDateOf } from '../../../shared/time.js';
import { useFormat } from '../../../web/format.js';
import { useSession } from '../../../web/session.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import { durationKey } from '../../services/web/services-format.js';
import { type ClaimDetail, decideRoles, evidenceUrl, type Step, useAddEvidence, useClaim, useClaimStep, writeRoles } from './claims-api.js';
import { ClaimStatusBadge, SlaBadge, useClaimError } from './claims-ui.js';

export function ClaimPage() { return <ClaimView portal={false} />; }
export function PortalClaimPage() { return <ClaimView portal />; }

function ClaimView({ portal }: { portal: boolean }) {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const q = useClaim(id, portal);
  if (q.isLoading) return <Loading />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const c = q.data!;
  return (
    <Stack maw={1100}>
      <Anchor component={Link} to={portal ? '/portal/claims' : '/claims'} size="sm">← {t(portal ? 'claims.portal.pageTitle' : 'claims.title')}</Anchor>
      <PageHeader title={`${c.number} · ${c.title}`} subtitle={portal ? undefined : c.accountName}
        badge={<><ClaimStatusBadge status={c.status} portal={portal} /><Badge variant="default">{t(`claims.kind.${c.kind}`)}</Badge>{!portal && <SlaBadge claim={c} />}</>} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Stack gap="md">
          <Card withBorder>
            <SimpleGrid cols={2} spacing="xs">
              <Fact label={t('claims.detail.claimed')}>{f.money(c.claimedMinor, c.currency)}</Fact>
              <Fact label={t('claims.detail.accepted')}>{c.acceptedMinor === null ? '—' : f.money(c.acceptedMinor, c.currency)}</Fact>
              <Fact label={t('claims.detail.filed')}>{f.dateTime(c.createdAt)}</Fact>
              <Fact label={t('claims.detail.filedBy')}>{c.filedBy.name} · {t(`claims.via.${c.filedVia}`)}</Fact>
              {!portal && <Fact label={t('claims.sla.response')}><SlaLine level={c.sla.response} /></Fact>}
              {!portal && <Fact label={t('claims.sla.decision')}><SlaLine level={c.sla.decision} /></Fact>}
            </SimpleGrid>
            {c.description && <Text mt="sm" style={{ whiteSpace: 'pre-wrap' }}>{c.description}</Text>}
            {c.decisionReason && <Alert mt="sm" color={c.status === 'rejected' ? 'red' : 'teal'} title={t('claims.detail.reason')}>{c.decisionReason}</Alert>}
            {c.creditNote && (
              <Alert mt="sm" color="green" title={t('claims.detail.creditNote')} data-testid="claim-credit-note">
                {t('claims.detail.creditNoteLine', { number: c.creditNote.number, amount: f.money(c.creditNote.amountMinor, c.creditNote.currency), date: f.date(`${c.creditNote.issueDate}T00:00:00Z`) })}
              </Alert>
            )}
          </Card>
          {!portal && <StaffActions c={c} />}
          {portal && c.actions.includes('withdraw') && <Card withBorder><WithdrawButton c={c} portal /></Card>}
          <Card withBorder>
            <Title order={3} size="h5" mb="xs">{t('claims.detail.lines')}</Title>
            <Stack gap={6}>
              {c.lines.map((l) => (
                <Text key={`${l.orderLineId}/${l.shipmentId ?? ''}`} size="sm">
                  <b>{l.orderNo}{l.lineNo ? `/${l.lineNo}` : ''}</b> {l.item ?? ''}
                  {l.quantity !== null ? ` · ${f.number(l.quantity)} ${l.unit ?? ''}` : ''}
                  {l.promisedDate ? ` · ${t('claims.detail.promised', { date: f.monthDay(l.promisedDate) })}` : ''}
                  {l.deliveredDate ? ` · ${t('claims.form.deliveredOn', { date: f.monthDay(l.deliveredDate) })}` : ''}
                  {l.shipmentNo ? ` · ${l.shipmentNo}` : ''}
                </Text>
              ))}
            </Stack>
          </Card>
        </Stack>
        <Stack gap="md">
          <Evidence c={c} portal={portal} />
          <Card withBorder>
            <Title order={3} size="h5" mb="sm">{t('claims.detail.history')}</Title>
            <Timeline bulletSize={14} lineWidth={2} active={c.events.length}>
              {c.events.map((e) => (
                <Timeline.Item key={e.id} data-testid="claim-event" title={
                  <Group gap={6}>
                    <Text size="sm" fw={600}>{e.kind === 'status' || e.kind === 'filed' ? t(portal ? `claims.statusPortal.${e.toStatus}` : `claims.status.${e.toStatus}`) : t(`claims.event.${e.kind}`)}</Text>
                    {e.internal && <Badge size="xs" color="gray" leftSection={<IconLock size={10} />}>{t('claims.detail.internal')}</Badge>}
                  </Group>
                }>
                  {e.reason && <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{e.reason}</Text>}
                  <Text size="xs" c="dimmed">{f.dateTime(e.at)}{e.actor ? ` · ${e.actor.name}` : ''}</Text>
                </Timeline.Item>
              ))}
            </Timeline>
          </Card>
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return <div><Text size="xs" c="dimmed">{label}</Text><Text size="sm" fw={500} component="div">{children}</Text></div>;
}

function SlaLine({ level }: { level: ClaimDetail['sla']['response'] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const color = level.state === 'breached' ? 'red' : level.state === 'met' ? 'green' : undefined;
  const target = level.minutes === null ? null : durationKey(level.minutes);
  return (
    <>
      <Text size="sm" c={color} component="span">{t(`claims.sla.${level.state}`)} · {f.dateTime(level.dueAt)}</Text>
      {target && <Text size="xs" c="dimmed" fw={400}>{t('claims.sla.target', { duration: t(target.key, target.values) })}</Text>}
    </>
  );
}

/** A step asked for and confirmed in a dialog before it is sent. */
function useConfirmedStep(c: ClaimDetail, portal: boolean) {
  const step = useClaimStep(c.id, portal);
  const [pending, setPending] = useState<{ step: Step; text: string } | null>(null);
  const errorText = useClaimError();
  const { t } = useTranslation();
  const dialog = (
    <Modal opened={!!pending} onClose={() => setPending(null)} title={t('claims.confirm.title')}>
      <Stack>
        <Text>{pending?.text}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setPending(null)}>{t('claims.form.cancel')}</Button>
          <Button data-testid="claim-confirm" loading={step.isPending} onClick={() => pending && step.mutate(pending.step, { onSuccess: () => setPending(null), onError: () => setPending(null) })}>{t('claims.confirm.yes')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
  return { ask: (s: Step, text: string) => { step.reset(); setPending({ step: s, text }); }, dialog, error: step.error ? errorText(step.error) : null, step };
}

function WithdrawButton({ c, portal }: { c: ClaimDetail; portal: boolean }) {
  const { t } = useTranslation();
  const s = useConfirmedStep(c, portal);
  return (
    <Stack gap="xs">
      <Group><Button color="red" variant="light" onClick={() => s.ask({ kind: 'withdraw' }, t('claims.confirm.withdraw', { number: c.number }))}>{t('claims.action.withdraw')}</Button></Group>
      {s.error && <Alert color="red">{s.error}</Alert>}
      {s.dialog}
    </Stack>
  );
}

function StaffActions({ c }: { c: ClaimDetail }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { me } = useSession();
  const s = useConfirmedStep(c, false);
  const [outcome, setOutcome] = useState<'accepted' | 'partly_accepted' | 'rejected'>('accepted');
  const [reason, setReason] = useState('');
  const [accepted, setAccepted] = useState('');
  const [noteNo, setNoteNo] = useState('');
  // Today on the user's calendar: in Shanghai the UTC date is still yesterday until 08:00.
  const [noteDate, setNoteDate] = useState(() => localDateOf(new Date(), f.timeZone));
  const [note, setNote] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const canWrite = !!me && writeRoles.includes(me.role);
  const canDecide = !!me && decideRoles.includes(me.role);
  const can = (a: ClaimDetail['actions'][number]) => c.actions.includes(a);
  const deciding = canDecide && (can('accept') || can('reject'));
  const digits = currencyDigits(c.currency);
  const major = (minor: number) => (minor / 10 ** digits).toFixed(digits);

  const decide = () => {
    const errs: Record<string, string> = {};
    if (!reason.trim()) errs.reason = t('claims.errors.reason');
    const minor = outcome === 'partly_accepted' ? parseAmountToMinor(accepted.trim(), c.currency) : null;
    if (outcome === 'partly_accepted' && (minor === null || minor <= 0 || minor >= c.claimedMinor)) errs.accepted = t('claims.errors.acceptedMinor');
    setLocal(errs);
    if (Object.keys(errs).length) return;
    const amount = outcome === 'accepted' ? c.claimedMinor : outcome === 'partly_accepted' ? minor! : 0;
    s.ask({ kind: 'decision', body: { outcome, reason: reason.trim(), ...(outcome === 'partly_accepted' ? { acceptedMinor: minor! } : {}) } },
      t(`claims.confirm.${outcome}`, { number: c.number, amount: f.money(amount, c.currency) }));
  };
  const credit = () => {
    if (!noteNo.trim()) { setLocal({ noteNo: t('claims.errors.number') }); return; }
    setLocal({});
    s.ask({ kind: 'credit-note', body: { number: noteNo.trim(), amountMinor: c.acceptedMinor ?? 0, currency: c.currency, issueDate: noteDate } },
      t('claims.confirm.credit', { number: noteNo.trim(), amount: f.money(c.acceptedMinor ?? 0, c.currency) }));
  };

  if (!canWrite && !canDecide) return null;
  return (
    <Card withBorder data-testid="claim-actions">
      <Title order={3} size="h5" mb="sm">{t('claims.detail.next')}</Title>
      <Stack gap="sm">
        {canWrite && can('investigate') && (
          <Group><Button onClick={() => s.ask({ kind: 'investigate' }, t('claims.confirm.investigate', { number: c.number }))} data-testid="claim-investigate">{t('claims.action.investigate')}</Button></Group>
        )}
        {deciding && (
          <Stack gap="xs" data-testid="claim-decision">
            <SegmentedControl value={outcome} onChange={(v) => setOutcome(v as typeof outcome)} fullWidth
              data={(['accepted', 'partly_accepted', 'rejected'] as const).map((o) => ({ value: o, label: t(`claims.status.${o}`) }))} />
            {outcome === 'partly_accepted' && (
              <TextInput label={t('claims.form.acceptedAmount', { currency: c.currency, max: major(c.claimedMinor) })} inputMode="decimal" value={accepted} onChange={(e) => setAccepted(e.currentTarget.value)} error={local.accepted} />
            )}
            <Textarea label={t('claims.form.reason')} description={t('claims.form.reasonHint')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={local.reason} autosize minRows={2} />
            <Group><Button onClick={decide} color={outcome === 'rejected' ? 'red' : undefined}>{t('claims.action.decide')}</Button></Group>
          </Stack>
        )}
        {canDecide && can('credit') && (
          <Stack gap="xs" data-testid="claim-credit">
            <Text size="sm">{t('claims.form.creditFor', { amount: f.money(c.acceptedMinor ?? 0, c.currency) })}</Text>
            <Group grow wrap="wrap" align="flex-start">
              <TextInput label={t('claims.form.creditNumber')} value={noteNo} onChange={(e) => setNoteNo(e.currentTarget.value)} error={local.noteNo} miw={160} />
              <TextInput label={t('claims.form.creditDate')} type="date" value={noteDate} onChange={(e) => setNoteDate(e.currentTarget.value)} miw={160} />
            </Group>
            <Group><Button onClick={credit}>{t('claims.action.credit')}</Button></Group>
          </Stack>
        )}
        {canWrite && can('close') && (
          <Group><Button variant="light" onClick={() => s.ask({ kind: 'close' }, t('claims.confirm.close', { number: c.number }))}>{t('claims.action.close')}</Button></Group>
        )}
        {canWrite && can('withdraw') && c.filedBy.id === me?.id && (
          <Group><Button color="red" variant="subtle" onClick={() => s.ask({ kind: 'withdraw' }, t('claims.confirm.withdraw', { number: c.number }))}>{t('claims.action.withdraw')}</Button></Group>
        )}
        {canWrite && (
          <Stack gap="xs">
            <Textarea label={t('claims.form.note')} description={t('claims.form.noteHint')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={1} />
            <Group><Button variant="default" size="xs" disabled={!note.trim()} onClick={() => s.step.mutate({ kind: 'notes', body: { body: note.trim() } }, { onSuccess: () => setNote('') })}>{t('claims.action.note')}</Button></Group>
          </Stack>
        )}
        {!c.actions.length && <Text size="sm" c="dimmed">{t('claims.detail.nothingNext')}</Text>}
        {s.error && <Alert color="red" data-testid="claim-error">{s.error}</Alert>}
      </Stack>
      {s.dialog}
    </Card>
  );
}

function Evidence({ c, portal }: { c: ClaimDetail; portal: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const add = useAddEvidence(c.id, portal);
  const errorText = useClaimError();
  const [internal, setInternal] = useState(false);
  const open = !['closed', 'withdrawn'].includes(c.status);
  return (
    <Card withBorder data-testid="claim-evidence">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={3} size="h5">{t('claims.detail.evidence')}</Title>
        {open && (
          <Group gap="xs">
            {!portal && <Checkbox size="xs" label={t('claims.form.internalFile')} checked={internal} onChange={(e) => setInternal(e.currentTarget.checked)} />}
            <FileButton onChange={(file) => file && add.mutate({ file, internal })}>
              {(props) => <Button {...props} size="xs" variant="light" leftSection={<IconFileUpload size={14} />} loading={add.isPending}>{t('claims.action.addEvidence')}</Button>}
            </FileButton>
          </Group>
        )}
      </Group>
      {add.error && <Alert color="red" mb="xs">{errorText(add.error)}</Alert>}
      {!c.evidence.length ? <Text size="sm" c="dimmed">{t('claims.detail.noEvidence')}</Text> : (
        <Stack gap={6}>
          {c.evidence.map((e) => (
            <Group key={e.attachmentId} gap={6} wrap="nowrap">
              <IconPaperclip size={14} style={{ flexShrink: 0 }} />
              <Anchor href={evidenceUrl(c.id, e.attachmentId, portal)} size="sm" style={{ overflowWrap: 'anywhere' }}>{e.fileName}</Anchor>
              {e.internal && <Badge size="xs" color="gray">{t('claims.detail.internal')}</Badge>}
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{e.addedBy.name} · {f.date(e.addedAt)}</Text>
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}
