/**
 * The suggested order, phone first (/vmi/drafts/:id): each line's suggestion against the quantity
 * that goes, its days of cover, the arithmetic folded away; the exceptions with their dates. A rep
 * changes a quantity with a reason (other: with a note) and sends the order to the dealer after a
 * confirmation, or cancels it (a draft or one waiting for the dealer) with a reason, confirmed.
 * A version someone else changed meanwhile is said plainly and the order reloaded.
 */
import { Alert, Anchor, Badge, Button, Card, Collapse, Group, List, Modal, NumberInput, Select, SimpleGrid, Stack, Text, Textarea, Timeline, Title, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconClipboardList, IconPencil, IconSend, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../../web/api/client.js';
import { allowedFor } from '../../../web/features.js';
import { useFormat } from '../../../web/format.js';
import { useNames } from '../../../web/names.js';
import { useSession } from '../../../web/session.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import { vmiReasonCodes, type VmiReasonCode } from '../vmi.contract.js';
import { useDraft, useDraftStep, useEditLine, type VmiDraft, writeRoles } from './vmi-api.js';
import { coverText, DraftStatusBadge, ExceptionBadge, Figure, useProductName, useVmiError } from './vmi-ui.js';

type Line = VmiDraft['lines'][number];

export function DraftPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const name = useProductName();
  const { me } = useSession();
  const q = useDraft(id);
  const [stale, setStale] = useState(false);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  const editable = d.status === 'draft' && allowedFor(me, writeRoles);
  const onStale = () => { setStale(true); void q.refetch(); };
  const byProduct = new Map(d.lines.map((l) => [l.productId, l]));
  return (
    <Stack gap="md" maw={900}>
      <Anchor component={Link} to={`/accounts/${d.accountId}?tab=inventory`} size="sm">← {n.primary(d)}</Anchor>
      <PageHeader title={<span className="ok-code">{d.number}</span>} subtitle={n.primary(d)} badge={<DraftStatusBadge status={d.status} />}
        actions={d.status === 'draft' && allowedFor(me, writeRoles) ? <Button component={Link} to={`/vmi/accounts/${d.accountId}/count`} variant="light" leftSection={<IconClipboardList size={16} />} data-testid="vmi-draft-count">{t('vmi.count.open')}</Button> : undefined} />
      {stale && <Alert color="orange" withCloseButton onClose={() => setStale(false)} data-testid="vmi-stale">{t('vmi.errors.stale')}</Alert>}
      <Card withBorder padding="sm">
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
          <Figure label={t('vmi.draft.asOf')}>{f.monthDay(d.asOf)}</Figure>
          <Figure label={t('vmi.draft.arrival')}>{f.monthDay(d.arrival)}</Figure>
          <Figure label={t('vmi.draft.nextArrival')}>{f.monthDay(d.nextArrival)}</Figure>
          <Figure label={t('vmi.draft.total')}>{t('vmi.draft.totalValue', { count: d.lines.filter((l) => l.quantity > 0).length, quantity: f.number(d.totalQuantity) })}</Figure>
          {d.expiresAt && <Figure label={t('vmi.draft.expires')} testId="vmi-expires">{f.dateTime(d.expiresAt)}</Figure>}
          {d.load.truckCount !== null && <Figure label={t('vmi.draft.trucks')}>{f.number(d.load.truckCount)}</Figure>}
          {d.load.kg > 0 && <Figure label={t('vmi.draft.weight')}>{t('vmi.draft.tonnes', { value: f.number(Math.round(d.load.kg / 100) / 10) })}</Figure>}
          {d.orderNo && <Figure label={t('vmi.draft.orderNo')}><span className="ok-code">{d.orderNo}</span></Figure>}
        </SimpleGrid>
      </Card>
      {d.status === 'cancelled' && d.cancelReason && <Alert color="gray" data-testid="vmi-cancelled">{t('vmi.draft.cancelledBecause', { reason: d.cancelReason })}</Alert>}
      {d.signature && <SignatureCard d={d} />}
      {d.exceptions.length > 0 && (
        <Card withBorder padding="sm">
          <Title order={2} size="h5" mb="xs">{t('vmi.draft.exceptions')}</Title>
          <Stack gap={6}>
            {[...d.exceptions].sort((a, b) => a.date.localeCompare(b.date)).map((e, i) => (
              <Group key={i} gap="xs" wrap="nowrap" align="flex-start" data-testid="vmi-exception">
                <Text size="sm" fw={600} w={64} style={{ flexShrink: 0 }}>{f.monthDay(e.date)}</Text>
                <ExceptionBadge kind={e.kind} />
                <Text size="sm" style={{ minWidth: 0 }}>{name(byProduct.get(e.productId) ?? { sku: e.productId.slice(0, 8) })}</Text>
              </Group>
            ))}
          </Stack>
        </Card>
      )}
      <Stack gap="sm">
        <Title order={2} size="h4">{t('vmi.draft.lines')}</Title>
        {d.lines.map((l) => <LineCard key={l.productId} d={d} line={l} editable={editable} onStale={onStale} />)}
      </Stack>
      {d.notes.length > 0 && (
        <Card withBorder padding="sm">
          <Title order={2} size="h5" mb={4}>{t('vmi.draft.notes')}</Title>
          <List size="sm" spacing={2}>{d.notes.map((x, i) => <List.Item key={i}>{x}</List.Item>)}</List>
        </Card>
      )}
      {d.status === 'draft' && allowedFor(me, writeRoles) && <SendCard d={d} onStale={onStale} />}
      {(d.status === 'draft' || d.status === 'sent') && allowedFor(me, writeRoles) && <CancelCard d={d} onStale={onStale} />}
      {d.edits.length > 0 && (
        <Card withBorder padding="sm">
          <Title order={2} size="h5" mb="xs">{t('vmi.draft.edits')}</Title>
          <Timeline bulletSize={12} lineWidth={2} active={d.edits.length}>
            {d.edits.map((e) => (
              <Timeline.Item key={e.id} title={<Text size="sm" fw={600}>{name(byProduct.get(e.productId) ?? {})}: {f.number(e.fromQuantity)} → {f.number(e.toQuantity)}</Text>}>
                <Text size="sm">{t(`vmi.reason.${e.reasonCode}`)}{e.note ? ` · ${e.note}` : ''}</Text>
                <Text size="xs" c="dimmed">{f.dateTime(e.at)} · {e.by.name}</Text>
              </Timeline.Item>
            ))}
          </Timeline>
        </Card>
      )}
    </Stack>
  );
}

function LineCard({ d, line, editable, onStale }: { d: VmiDraft; line: Line; editable: boolean; onStale: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const name = useProductName();
  const [why, setWhy] = useState(false);
  const [editing, setEditing] = useState(false);
  const changed = line.quantity !== line.suggestedQuantity;
  return (
    <Card withBorder padding="sm" data-testid="vmi-line" data-sku={line.sku ?? ''}>
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
        <div style={{ minWidth: 0 }}>
          <Text fw={600} lineClamp={2}>{name(line)}</Text>
          <Text size="xs" c="dimmed"><span className="ok-code">{line.sku}</span> · {t('vmi.draft.stockLine', { onHand: f.number(line.onHand), inTransit: f.number(line.inTransit) })}</Text>
        </div>
        <div style={{ textAlign: 'right', flexShrink: 0 }}>
          <Text fw={700} size="xl" className="ok-stat" data-testid="vmi-line-quantity">{f.number(line.quantity)} <Text span size="xs" c="dimmed">{line.unit}</Text></Text>
          {changed && <Text size="xs" c="dimmed" td="line-through">{t('vmi.draft.suggested', { quantity: f.number(line.suggestedQuantity) })}</Text>}
        </div>
      </Group>
      <Group gap="xs" mt={6} wrap="wrap">
        <Badge variant="light" color={line.coverDays !== null && line.coverDays < 7 ? 'red' : 'gray'} tt="none">{t('vmi.draft.cover', { cover: coverText(t, line.coverDays) })}</Badge>
        {!changed && <Badge variant="outline" color="gray" tt="none">{t('vmi.draft.asSuggested')}</Badge>}
        {line.edited && line.reasonCode && <Badge variant="light" color="blue" tt="none">{t(`vmi.reason.${line.reasonCode}`)}</Badge>}
      </Group>
      {line.note && <Text size="sm" mt={4} c="dimmed">{line.note}</Text>}
      <Group justify="space-between" mt={6} gap="xs">
        <UnstyledButton onClick={() => setWhy((v) => !v)} aria-expanded={why}>
          <Group gap={4}>{why ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}<Text size="sm" c="brand">{t('vmi.draft.why')}</Text></Group>
        </UnstyledButton>
        {editable && !editing && <Button size="sm" variant="light" leftSection={<IconPencil size={14} />} onClick={() => setEditing(true)} data-testid="vmi-line-edit">{t('vmi.draft.edit')}</Button>}
      </Group>
      <Collapse expanded={why}>
        <List size="sm" spacing={2} mt={4}>{line.why.map((w, i) => <List.Item key={i}>{w}</List.Item>)}</List>
      </Collapse>
      {editing && <EditForm d={d} line={line} onDone={() => setEditing(false)} onStale={onStale} />}
    </Card>
  );
}

function EditForm({ d, line, onDone, onStale }: { d: VmiDraft; line: Line; onDone: () => void; onStale: () => void }) {
  const { t } = useTranslation();
  const edit = useEditLine(d.id);
  const err = useVmiError();
  const [quantity, setQuantity] = useState<number | ''>(line.quantity);
  const [reason, setReason] = useState<VmiReasonCode | null>(null);
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const noteNeeded = reason === 'other' && !note.trim();
  const submit = () => {
    setTried(true);
    if (quantity === '' || !reason || noteNeeded) return;
    edit.mutate({ productId: line.productId, quantity, reasonCode: reason, ...(note.trim() ? { note: note.trim() } : {}), version: d.version }, {
      onSuccess: onDone,
      onError: (e) => { if (e instanceof ApiError && e.status === 409) { onStale(); onDone(); } },
    });
  };
  return (
    <Stack gap="xs" mt="sm" p="sm" style={{ background: 'var(--mantine-color-gray-0)', borderRadius: 8 }}>
      <NumberInput label={t('vmi.draft.quantity')} size="lg" min={0} allowDecimal={false} allowNegative={false} inputMode="numeric" step={line.packUnits}
        value={quantity} onChange={(v) => setQuantity(typeof v === 'number' ? v : '')} description={line.packUnits > 1 ? t('vmi.draft.pack', { units: line.packUnits }) : undefined} data-testid="vmi-edit-quantity" />
      <Select label={t('vmi.draft.reason')} required size="md" data={vmiReasonCodes.map((c) => ({ value: c, label: t(`vmi.reason.${c}`) }))} value={reason}
        onChange={(v) => setReason(v as VmiReasonCode | null)} error={tried && !reason ? t('vmi.errors.reasonCode') : undefined} data-testid="vmi-edit-reason" comboboxProps={{ withinPortal: true }} />
      <Textarea label={t('vmi.draft.note')} required={reason === 'other'} autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)}
        error={tried && noteNeeded ? t('vmi.errors.note') : undefined} />
      {edit.error && !(edit.error instanceof ApiError && edit.error.status === 409) && <Alert color="red" p="xs">{err(edit.error)}</Alert>}
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={onDone}>{t('vmi.cancel')}</Button>
        <Button onClick={submit} loading={edit.isPending} data-testid="vmi-edit-save">{t('vmi.draft.saveEdit')}</Button>
      </Group>
    </Stack>
  );
}

function SendCard({ d, onStale }: { d: VmiDraft; onStale: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const step = useDraftStep(d.id);
  const err = useVmiError();
  const [open, setOpen] = useState(false);
  const lines = d.lines.filter((l) => l.quantity > 0);
  return (
    <Card withBorder padding="sm">
      <Button fullWidth size="lg" leftSection={<IconSend size={18} />} disabled={!lines.length} onClick={() => { step.reset(); setOpen(true); }} data-testid="vmi-send">{t('vmi.draft.send')}</Button>
      {!lines.length && <Text size="sm" c="dimmed" mt={4}>{t('vmi.draft.nothingToSend')}</Text>}
      {step.error && !(step.error instanceof ApiError && step.error.status === 409) && <Alert color="red" mt="xs" p="xs">{err(step.error)}</Alert>}
      <Modal opened={open} onClose={() => setOpen(false)} title={t('vmi.draft.sendTitle')}>
        <Stack>
          <Text size="sm">{t('vmi.draft.sendText', { count: lines.length, quantity: f.number(lines.reduce((s, l) => s + l.quantity, 0)), date: f.monthDay(d.arrival) })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>{t('vmi.cancel')}</Button>
            <Button loading={step.isPending} data-testid="vmi-send-confirm" onClick={() => step.mutate({ kind: 'send', version: d.version }, {
              onSuccess: () => setOpen(false),
              onError: (e) => { setOpen(false); if (e instanceof ApiError && e.status === 409) onStale(); },
            })}>{t('vmi.draft.sendYes')}</Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

function CancelCard({ d, onStale }: { d: VmiDraft; onStale: () => void }) {
  const { t } = useTranslation();
  const step = useDraftStep(d.id);
  const err = useVmiError();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const missing = !reason.trim();
  return (
    <>
      <Button variant="subtle" color="red" leftSection={<IconX size={16} />} onClick={() => { step.reset(); setReason(''); setTried(false); setOpen(true); }} data-testid="vmi-cancel" style={{ alignSelf: 'flex-start' }}>{t('vmi.draft.cancelOrder')}</Button>
      {step.error && !(step.error instanceof ApiError && step.error.status === 409) && !open && <Alert color="red" p="xs">{err(step.error)}</Alert>}
      <Modal opened={open} onClose={() => setOpen(false)} title={t('vmi.draft.cancelTitle')}>
        <Stack>
          <Text size="sm">{t('vmi.draft.cancelText', { number: d.number })}</Text>
          <Textarea label={t('vmi.draft.cancelReason')} required autosize minRows={2} maxLength={2000} value={reason} onChange={(e) => setReason(e.currentTarget.value)}
            error={tried && missing ? t('vmi.draft.cancelReasonNeeded') : undefined} data-testid="vmi-cancel-reason" />
          {step.error && !(step.error instanceof ApiError && step.error.status === 409) && <Alert color="red" p="xs">{err(step.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>{t('vmi.draft.keep')}</Button>
            <Button color="red" loading={step.isPending} data-testid="vmi-cancel-confirm" onClick={() => {
              setTried(true);
              if (missing) return;
              step.mutate({ kind: 'cancel', version: d.version, reason: reason.trim() }, {
                onSuccess: () => setOpen(false),
                onError: (e) => { if (e instanceof ApiError && e.status === 409) { setOpen(false); onStale(); } },
              });
            }}>{t('vmi.draft.cancelYes')}</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function SignatureCard({ d }: { d: VmiDraft }) {
  const { t } = useTranslation();
  const f = useFormat();
  const s = d.signature!;
  return (
    <Alert color={s.decision === 'reject' ? 'red' : 'green'} title={t(`vmi.decision.${s.decision}`)} data-testid="vmi-signature">
      <Text size="sm">{t('vmi.sign.by', { name: s.signedBy.name, time: f.dateTime(s.signedAt) })}</Text>
      {s.reason && <Text size="sm">{s.reason}</Text>}
      <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>{t('vmi.sign.hash')}: <span className="ok-code">{s.hash}</span></Text>
      {d.signatureValid === false && <Text size="sm" c="red" fw={600}>{t('vmi.sign.invalid')}</Text>}
    </Alert>
  );
}
