/** One agreement: status and approval, attainment (chart, tier table, next tier, forecast), versions, settlements with a preview. */
import { Alert, Anchor, Button, Card, Grid, Group, Modal, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { useSession } from '../../../web/session.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import { approveRoles, type Settlement, useAgreement, useAgreementAction, useAttainment, useReverse, useSettle, useSettlements, writeRoles } from './rebates-api.js';
import { NextTierLine, StatusBadge, useBasis, usePeriod } from './rebates-ui.js';
import { type TierRow, TierTable } from './tier-table.js';
import { AMBER_TEXT } from '../../../web/theme.js';

const Chart = lazy(() => import('./attainment-chart.js'));

export function AgreementPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const basis = useBasis();
  const period = usePeriod();
  const { me } = useSession();
  const q = useAgreement(id);
  const at = useAttainment(id);
  const action = useAgreementAction(id);
  if (q.isLoading) return <Loading />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const a = q.data!;
  const canWrite = a.canWrite && !!me && writeRoles.includes(me.role);
  const canApprove = !!me && approveRoles.includes(me.role);
  const pending = a.versions.some((v) => v.status === 'pending');
  const latest = a.versions[a.versions.length - 1]!;
  const kind = latest.terms.basisKind;
  return (
    <Stack>
      <PageHeader title={`${a.number} ${a.name}`} subtitle={`${a.accounts.map((x) => `${x.code} ${x.name}`).join(', ')} · ${period(a.periodStart, a.periodEnd)}`} badge={<StatusBadge status={a.status} />}
        actions={<Group>
          {a.status === 'draft' && canWrite && <Button onClick={() => action.mutate({ action: 'submit', body: { version: a.version } })} loading={action.isPending}>{t('rebates.submit')}</Button>}
          {(a.status === 'pending_approval' || (a.status === 'active' && pending)) && canApprove && <Button color="teal" onClick={() => action.mutate({ action: 'approve', body: { version: a.version } })} loading={action.isPending}>{t('rebates.approve')}</Button>}
        </Group>} />
      {a.needsApproval && a.status !== 'active' && <Alert color="orange">{t('rebates.needsApproval', { value: f.money(a.valueMinor, a.currency) })}</Alert>}
      {action.error && <Alert color="red">{(action.error as Error).message}</Alert>}
      {a.internalNote && <Alert color="gray" title={t('rebates.field.note')}>{a.internalNote}</Alert>}
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Card withBorder>
            <Title order={4} mb="xs">{t('rebates.attainment')}</Title>
            {at.isLoading ? <Loading /> : at.error ? <ErrorState error={at.error} /> : (
              <Stack gap="xs">
                <Group gap="xl">
                  <div><Text size="xs" c="dimmed">{t('rebates.col.basis')}</Text><Text fw={700} data-testid="basis-to-date">{basis(at.data!.basisToDate, kind, a.currency)}</Text></div>
                  <div><Text size="xs" c="dimmed">{t('rebates.col.earned')}</Text><Text fw={700} data-testid="earned-to-date">{f.money(at.data!.earnedToDateMinor, a.currency)}</Text></div>
                  <div><Text size="xs" c="dimmed">{t('rebates.col.tier')}</Text><Text fw={700}>{at.data!.tierIndex >= 0 ? t('rebates.reached', { tier: at.data!.tierIndex + 1, of: at.data!.tiers.length }) : t('rebates.belowFirst')}</Text></div>
                </Group>
                <NextTierLine next={at.data!.next} basisKind={kind} currency={a.currency} periodEnd={a.periodEnd} />
                {at.data!.forecast && at.data!.next && <Text size="sm">{t('rebates.chance', { pct: Math.round((at.data!.forecast.chances[at.data!.next.tierIndex]?.probability ?? 0) * 100), tier: at.data!.next.tierIndex + 1 })}</Text>}
                <Text size="sm" c="dimmed">{t('rebates.accrued', { accrued: f.money(at.data!.accruedMinor, a.currency), paid: f.money(at.data!.paidMinor, a.currency) })}</Text>
                <Suspense fallback={<Loading />}><Chart a={at.data!} /></Suspense>
                <Table.ScrollContainer minWidth={420}>
                  <Table>
                    <Table.Thead><Table.Tr><Table.Th>{t('rebates.col.from')}</Table.Th><Table.Th>{t('rebates.col.to')}</Table.Th><Table.Th ta="right">{t('rebates.col.rate')}</Table.Th><Table.Th ta="right">{t('rebates.col.inBand')}</Table.Th><Table.Th ta="right">{t('rebates.col.rebate')}</Table.Th></Table.Tr></Table.Thead>
                    <Table.Tbody>{at.data!.bands.map((b, i) => (
                      <Table.Tr key={i} fw={i === at.data!.tierIndex ? 700 : undefined}>
                        <Table.Td>{basis(b.from, kind, a.currency)}</Table.Td><Table.Td>{b.to === null ? '∞' : basis(b.to, kind, a.currency)}</Table.Td>
                        <Table.Td ta="right">{b.ratePercent}</Table.Td><Table.Td ta="right">{basis(b.basisInBand, kind, a.currency)}</Table.Td><Table.Td ta="right">{f.money(b.rebateMinor, a.currency)}</Table.Td>
                      </Table.Tr>
                    ))}</Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Stack>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder>
            <Title order={4} mb="xs">{t('rebates.versions')}</Title>
            <Stack gap={6}>
              {a.versions.map((v) => (
                <div key={v.id}>
                  <Text size="sm" fw={600}>v{v.seq} · {t('rebates.col.effective')} {f.monthDay(v.effectiveFrom)} {v.status === 'pending' && <Text span c={AMBER_TEXT}>({t('rebates.versionPending')})</Text>}</Text>
                  <Text size="xs" c="dimmed">{t(`rebates.methodShort.${v.terms.method}`)} · {v.terms.tiers.map((x) => `${x.ratePercent}`).join(' / ')} · {t('rebates.col.value')} {f.money(v.valueMinor, a.currency)}</Text>
                  {v.note && <Text size="xs">{v.note}</Text>}
                </div>
              ))}
            </Stack>
            {canWrite && a.status !== 'draft' && <NewVersion id={a.id} version={a.version} terms={latest.terms} />}
          </Card>
        </Grid.Col>
      </Grid>
      {a.status === 'active' && <Settlements id={a.id} currency={a.currency} canRun={canWrite} canReverse={canApprove} />}
    </Stack>
  );
}

function NewVersion({ id, version, terms }: { id: string; version: number; terms: ReturnType<typeof useAgreement>['data'] extends infer A ? A extends { versions: { terms: infer T }[] } ? T : never : never }) {
  const { t } = useTranslation();
  const action = useAgreementAction(id);
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState('');
  const [note, setNote] = useState('');
  const [tiers, setTiers] = useState<TierRow[]>(terms.tiers);
  if (!open) return <Button mt="sm" variant="light" size="xs" onClick={() => setOpen(true)}>{t('rebates.changeTerms')}</Button>;
  return (
    <Stack mt="sm" gap="xs">
      <TextInput label={t('rebates.field.effectiveFrom')} placeholder="YYYY-MM-DD" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
      <TierTable tiers={tiers} onChange={setTiers} quantity={terms.basisKind === 'quantity'} />
      <TextInput label={t('rebates.field.versionNote')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
      {action.error && <Alert color="red">{(action.error as Error).message}</Alert>}
      <Button size="xs" loading={action.isPending} onClick={() => action.mutate({ action: 'versions', body: { effectiveFrom: from, terms: { ...terms, tiers }, note: note || null, version } }, { onSuccess: () => setOpen(false) })}>{t('rebates.addVersion')}</Button>
    </Stack>
  );
}

/** Reversing a credit note takes a reason, asked for in a dialog that says what it undoes. */
function ReverseDialog({ settlement, onClose }: { settlement: Settlement | null; onClose: () => void }) {
  const { t } = useTranslation();
  const reverse = useReverse();
  const [reason, setReason] = useState('');
  const close = () => { setReason(''); reverse.reset(); onClose(); };
  return (
    <Modal opened={!!settlement} onClose={close} title={t('rebates.reverseTitle', { number: settlement?.number ?? '' })}>
      <Stack gap="sm">
        <Text size="sm">{t('rebates.reverseExplain')}</Text>
        <Textarea label={t('rebates.reverseReason')} required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="reverse-reason" />
        {reverse.error && <Alert color="red">{(reverse.error as Error).message}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>{t('rebates.cancel')}</Button>
          <Button color="red" disabled={!reason.trim()} loading={reverse.isPending} onClick={() => settlement && reverse.mutate({ id: settlement.id, reason: reason.trim() }, { onSuccess: close })}>{t('rebates.reverse')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function Settlements({ id, currency, canRun, canReverse }: { id: string; currency: string; canRun: boolean; canReverse: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const list = useSettlements(id);
  const settle = useSettle(id);
  const [reversing, setReversing] = useState<Settlement | null>(null);
  const [kind, setKind] = useState<'partial' | 'final'>('partial');
  const [cutoff, setCutoff] = useState('');
  const [preview, setPreview] = useState<Settlement | null>(null);
  const body = { kind, ...(cutoff && kind === 'partial' ? { cutoff } : {}) };
  return (
    <Card withBorder>
      <Title order={4} mb="xs">{t('rebates.settlements')}</Title>
      <Group align="end" wrap="wrap">
        <Select label={t('rebates.col.kind')} w={160} allowDeselect={false} value={kind} onChange={(v) => setKind((v ?? 'partial') as 'partial' | 'final')} data={(['partial', 'final'] as const).map((k) => ({ value: k, label: t(`rebates.settlementKind.${k}`) }))} />
        {kind === 'partial' && <TextInput label={t('rebates.col.cutoff')} description={t('rebates.cutoffHint')} placeholder="YYYY-MM-DD" value={cutoff} onChange={(e) => setCutoff(e.currentTarget.value)} />}
        <Button variant="light" onClick={() => settle.mutate({ preview: true, body }, { onSuccess: setPreview })} loading={settle.isPending}>{t('rebates.preview')}</Button>
        {canRun && <Button onClick={() => settle.mutate({ preview: false, body }, { onSuccess: () => setPreview(null) })} loading={settle.isPending}>{t('rebates.run')}</Button>}
      </Group>
      {preview && <Alert mt="sm" color="blue" data-testid="settlement-preview">{t('rebates.previewResult', { earned: f.money(preview.earnedToDateMinor, currency), paid: f.money(preview.alreadyPaidMinor, currency), amount: f.money(preview.amountMinor, currency) })}</Alert>}
      {settle.error && <Alert mt="sm" color="red">{(settle.error as Error).message}</Alert>}
      <ReverseDialog settlement={reversing} onClose={() => setReversing(null)} />
      <Table.ScrollContainer minWidth={560} mt="sm">
        <Table>
          <Table.Thead><Table.Tr><Table.Th>{t('rebates.creditNote')}</Table.Th><Table.Th>{t('rebates.col.kind')}</Table.Th><Table.Th>{t('rebates.col.cutoff')}</Table.Th><Table.Th ta="right">{t('rebates.col.earned')}</Table.Th><Table.Th ta="right">{t('rebates.col.paid')}</Table.Th><Table.Th ta="right">{t('rebates.col.amount')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>{(list.data?.items ?? []).map((s) => (
            <Table.Tr key={s.id} c={s.status === 'reversed' ? 'dimmed' : undefined}>
              <Table.Td><Anchor component={Link} to={`/rebates/settlements/${s.id}`}>{s.number}</Anchor>{s.status === 'reversed' && <Text size="xs" c="red.8">{t('rebates.reversed', { reason: s.reversalReason })}</Text>}</Table.Td>
              <Table.Td>{t(`rebates.settlementKind.${s.kind}`)}</Table.Td>
              <Table.Td>{f.monthDay(new Date(Date.parse(`${s.cutoff}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10))}</Table.Td>
              <Table.Td ta="right">{f.money(s.earnedToDateMinor, currency)}</Table.Td><Table.Td ta="right">{f.money(s.alreadyPaidMinor, currency)}</Table.Td>
              <Table.Td ta="right" fw={600}>{f.money(s.amountMinor, currency)}</Table.Td>
              <Table.Td>{canReverse && s.status === 'issued' && <Button size="compact-xs" variant="subtle" color="red" onClick={() => setReversing(s)}>{t('rebates.reverse')}</Button>}</Table.Td>
            </Table.Tr>
          ))}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
