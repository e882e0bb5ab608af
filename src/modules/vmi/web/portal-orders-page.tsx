/**
 * The dealer's orders to sign (portal): the orders the manufacturer's rep sent, with their expiry,
 * and the signed, rejected and expired ones; and one order's sign page: its lines, accept, change
 * within the shown bounds, or reject with a reason; once signed, when and the signature's hash.
 */
import { Alert, Anchor, Button, Card, Group, Modal, NumberInput, SegmentedControl, SimpleGrid, Stack, Table, Text, Textarea } from '@mantine/core';
import { IconClock, IconSignature } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { type PortalOrder, type SignBody, usePortalOrder, usePortalOrders, useSign } from './vmi-api.js';
import { DraftStatusBadge, Figure, useProductName, useVmiError } from './vmi-ui.js';

export function PortalOrdersPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const q = usePortalOrders();
  return (
    <Stack gap="md" maw={900}>
      <PageHeader title={t('vmi.portal.title')} subtitle={t('vmi.portal.subtitle')} />
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : !q.data.items.length ? (
        <Empty title={t('vmi.portal.none')}>{t('vmi.portal.noneHint')}</Empty>
      ) : (
        <Stack gap="sm">
          {q.data.items.map((o) => (
            <Card key={o.id} withBorder padding="sm" data-testid="vmi-portal-order">
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <div style={{ minWidth: 0 }}>
                  <Anchor component={Link} to={`/portal/vmi/orders/${o.id}`} fw={700} className="ok-code">{o.number}</Anchor>
                  <Text size="sm">{t('vmi.orders.line', { count: o.lineCount, quantity: f.number(o.totalQuantity), date: f.monthDay(o.arrival) })}</Text>
                  {o.status === 'sent' && o.expiresAt && <Text size="xs" c="orange.9"><IconClock size={12} style={{ verticalAlign: -2 }} /> {t('vmi.portal.signBy', { time: f.dateTime(o.expiresAt) })}</Text>}
                </div>
                <Stack gap={4} align="flex-end">
                  <DraftStatusBadge status={o.status} portal />
                  {o.status === 'sent' && <Button component={Link} to={`/portal/vmi/orders/${o.id}`} size="compact-sm">{t('vmi.portal.open')}</Button>}
                </Stack>
              </Group>
            </Card>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

type Mode = 'accept' | 'change' | 'reject';

export function PortalOrderPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const name = useProductName();
  const q = usePortalOrder(id);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const o = q.data;
  const expired = o.status === 'expired' || (o.status === 'sent' && !!o.expiresAt && Date.parse(o.expiresAt) <= Date.now());
  return (
    <Stack gap="md" maw={900}>
      <Anchor component={Link} to="/portal/vmi/orders" size="sm">← {t('vmi.portal.title')}</Anchor>
      <PageHeader title={<span className="ok-code">{o.number}</span>} badge={<DraftStatusBadge status={expired ? 'expired' : o.status} portal />} />
      <Card withBorder padding="sm">
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
          <Figure label={t('vmi.draft.arrival')}>{f.monthDay(o.arrival)}</Figure>
          <Figure label={t('vmi.draft.total')}>{t('vmi.draft.totalValue', { count: o.lineCount, quantity: f.number(o.totalQuantity) })}</Figure>
          {o.sentAt && <Figure label={t('vmi.portal.sentAt')}>{f.dateTime(o.sentAt)}</Figure>}
          {o.expiresAt && <Figure label={t('vmi.portal.expiresAt')} testId="vmi-portal-expires">{f.dateTime(o.expiresAt)}</Figure>}
        </SimpleGrid>
      </Card>
      {expired && !o.signature && <Alert color="gray" data-testid="vmi-portal-expired">{t('vmi.portal.expired')}</Alert>}
      {o.signature && <SignedCard o={o} />}
      {o.status === 'sent' && !expired ? <SignForm o={o} onStale={() => void q.refetch()} /> : (
        <Card withBorder padding="sm">
          <Table.ScrollContainer minWidth={320}>
            <Table verticalSpacing={6}>
              <Table.Thead><Table.Tr><Table.Th>{t('vmi.inventory.product')}</Table.Th><Table.Th ta="right">{t('vmi.portal.quantity')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {o.lines.map((l) => {
                  const signed = o.signature?.lines.find((x) => x.productId === l.productId);
                  return (
                    <Table.Tr key={l.productId}>
                      <Table.Td><Text size="sm" fw={500}>{name(l)}</Text><Text size="xs" c="dimmed" className="ok-code">{l.sku}</Text></Table.Td>
                      <Table.Td ta="right"><Text size="sm" fw={600} className="ok-stat">{f.number(signed?.quantity ?? l.quantity)} {l.unit}</Text></Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
    </Stack>
  );
}

function SignedCard({ o }: { o: PortalOrder }) {
  const { t } = useTranslation();
  const f = useFormat();
  const s = o.signature!;
  return (
    <Alert color={s.decision === 'reject' ? 'red' : 'green'} icon={<IconSignature size={18} />} title={t(`vmi.decision.${s.decision}`)} data-testid="vmi-portal-signature">
      <Text size="sm">{t('vmi.sign.by', { name: s.signedBy.name, time: f.dateTime(s.signedAt) })}</Text>
      {s.reason && <Text size="sm">{t('vmi.sign.reason', { reason: s.reason })}</Text>}
      {s.orderNo && <Text size="sm">{t('vmi.sign.order', { number: s.orderNo })}</Text>}
      <Text size="xs" mt={4} style={{ wordBreak: 'break-all' }}>{t('vmi.sign.hash')}: <span className="ok-code" data-testid="vmi-signature-hash">{s.hash}</span></Text>
    </Alert>
  );
}

function SignForm({ o, onStale }: { o: PortalOrder; onStale: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const name = useProductName();
  const sign = useSign(o.id);
  const err = useVmiError();
  const [mode, setMode] = useState<Mode>('accept');
  const [qty, setQty] = useState<Record<string, number | ''>>(() => Object.fromEntries(o.lines.map((l) => [l.productId, l.quantity])));
  const [reason, setReason] = useState('');
  const [confirm, setConfirm] = useState(false);
  const outOfBounds = o.lines.filter((l) => { const v = qty[l.productId]; return v === '' || v === undefined || v < l.minQuantity || v > l.maxQuantity; });
  const changes = o.lines.filter((l) => qty[l.productId] !== l.quantity).map((l) => ({ productId: l.productId, quantity: qty[l.productId] as number }));
  const blocked = mode === 'change' ? outOfBounds.length > 0 || changes.length === 0 : mode === 'reject' ? !reason.trim() : false;
  const body: SignBody = mode === 'accept' ? { decision: 'accept', version: o.version } : mode === 'change' ? { decision: 'change', version: o.version, lines: changes } : { decision: 'reject', version: o.version, reason: reason.trim() };
  return (
    <Card withBorder padding="sm">
      <SegmentedControl fullWidth value={mode} onChange={(v) => setMode(v as Mode)} mb="sm" data-testid="vmi-sign-mode"
        data={(['accept', 'change', 'reject'] as const).map((m) => ({ value: m, label: t(`vmi.sign.mode.${m}`) }))} />
      <Stack gap="xs">
        {o.lines.map((l) => (
          <Group key={l.productId} justify="space-between" wrap="nowrap" gap="xs" data-testid="vmi-sign-line">
            <div style={{ minWidth: 0 }}>
              <Text size="sm" fw={600} lineClamp={2}>{name(l)}</Text>
              <Text size="xs" c="dimmed">{mode === 'change' ? t('vmi.sign.bounds', { min: f.number(l.minQuantity), max: f.number(l.maxQuantity), sent: f.number(l.quantity) }) : l.sku}</Text>
            </div>
            {mode === 'change' ? (
              <NumberInput size="lg" w={130} min={l.minQuantity} max={l.maxQuantity} clampBehavior="none" allowDecimal={false} allowNegative={false} inputMode="numeric" step={l.packUnits}
                aria-label={t('vmi.count.inputLabel', { product: name(l), unit: l.unit ?? '' })} value={qty[l.productId] ?? ''}
                onChange={(v) => setQty((s) => ({ ...s, [l.productId]: typeof v === 'number' ? v : '' }))}
                error={outOfBounds.includes(l) ? t('vmi.sign.outOfBounds') : undefined} />
            ) : <Text fw={700} className="ok-stat">{f.number(l.quantity)} <Text span size="xs" c="dimmed">{l.unit}</Text></Text>}
          </Group>
        ))}
        {mode === 'reject' && <Textarea label={t('vmi.sign.rejectReason')} required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="vmi-reject-reason" />}
        {sign.error && <Alert color="red" p="xs">{err(sign.error)}</Alert>}
        <Button size="lg" color={mode === 'reject' ? 'red' : undefined} disabled={blocked} onClick={() => { sign.reset(); setConfirm(true); }} data-testid="vmi-sign">{t(`vmi.sign.do.${mode}`)}</Button>
      </Stack>
      <Modal opened={confirm} onClose={() => setConfirm(false)} title={t('vmi.sign.confirmTitle')}>
        <Stack>
          <Text size="sm">{t(`vmi.sign.confirm.${mode}`, { number: o.number })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(false)}>{t('vmi.cancel')}</Button>
            <Button color={mode === 'reject' ? 'red' : undefined} loading={sign.isPending} data-testid="vmi-sign-confirm"
              onClick={() => sign.mutate(body, { onSettled: () => setConfirm(false), onError: (e) => { if ((e as { status?: number }).status === 409) onStale(); } })}>{t('vmi.sign.yes')}</Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
