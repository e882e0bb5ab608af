/** One lane: its plan, ship/rail/road month by month (chart and table), the rules the planner proposes, the lane's rules with their decisions, and its rate table. */
import { Alert, Anchor, Button, Card, Group, Modal, NumberInput, ScrollArea, SegmentedControl, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { useSession } from '../../../web/session.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { useModeName } from '../../delivery/web/transport-mode.js';
import { type Figures, type Lane, MODES, type Mode, type Plan, planRoles, type Rule, useAddRate, useDecide, useLane, usePlan, usePropose, useRates, useRules } from './lanes-api.js';
import { days1, ModeBadge, pct, PlanLine, RuleArithmetic, RuleHeadline, RuleStatusBadge, usePeriod } from './lanes-ui.js';
import { type Measure, monthName } from './plan-chart.js';

const Chart = lazy(() => import('./plan-chart.js'));

export function LanePage() {
  const { code = '' } = useParams();
  const { t } = useTranslation();
  const modeName = useModeName();
  const { me } = useSession();
  const lane = useLane(code);
  const [pair, setPair] = useState<{ from: Mode; to: Mode }>({ from: 'ship', to: 'rail' });
  const plan = usePlan(code, pair.from, pair.to);
  const canPlan = !!me && planRoles.includes(me.role);
  if (lane.isLoading) return <Loading />;
  if (lane.error) return <ErrorState error={lane.error} onRetry={() => void lane.refetch()} />;
  const l = lane.data!;
  return (
    <Stack>
      <PageHeader title={l.name} subtitle={<>{l.code} · <Anchor component={Link} to={`/accounts/${l.account.id}`}>{l.account.code} {l.account.name}</Anchor> · {l.originName} → {l.ports.length ? l.ports.map((p) => p.name).join(', ') : t('lanes.inland')}</>}
        badge={<ModeBadge mode={l.defaultMode} />} />
      <Card withBorder padding="sm"><PlanLine lane={l} /></Card>
      <Group gap="xs" wrap="wrap">
        <Text size="sm">{t('lanes.compare')}</Text>
        <Select aria-label={t('lanes.fromMode')} w={110} data={MODES.map((m) => ({ value: m, label: modeName(m) }))} value={pair.from} allowDeselect={false}
          onChange={(v) => v && setPair((p) => ({ from: v as Mode, to: v === p.to ? p.from : p.to }))} />
        <Text size="sm">→</Text>
        <Select aria-label={t('lanes.toMode')} w={110} data={MODES.filter((m) => m !== pair.from).map((m) => ({ value: m, label: modeName(m) }))} value={pair.to} allowDeselect={false}
          onChange={(v) => v && setPair((p) => ({ ...p, to: v as Mode }))} />
      </Group>
      {plan.isLoading ? <Loading /> : plan.error ? <ErrorState error={plan.error} onRetry={() => void plan.refetch()} /> : (
        <>
          <PlanCard plan={plan.data!} />
          <Proposals plan={plan.data!} lane={l} canPlan={canPlan} />
        </>
      )}
      <Rules lane={l} />
      <Rates lane={l} canPlan={canPlan} />
    </Stack>
  );
}

function PlanCard({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const modeName = useModeName();
  const f = useFormat();
  const [measure, setMeasure] = useState<Measure>('cost');
  const cell = (m: Plan['months'][number]['modes'][number]) => (
    <Stack gap={0}>
      <Text size="sm">{m.rate ? f.money(m.rate.perTonneMinor, m.rate.currency) : '—'}</Text>
      <Text size="xs" c="dimmed">{m.transit ? t('lanes.transitCell', { mean: f.number(days1(m.transit.meanDays)), p90: f.number(days1(m.transit.p90Days)), n: m.transit.n }) : t('lanes.noData')}</Text>
      {m.delay && <Text size="xs" c={m.delay.meanDaysLate > 0 ? 'orange.8' : 'dimmed'}>{t('lanes.delayCell', { days: f.signed(days1(m.delay.meanDaysLate)), late: f.number(pct(m.delay.lateShare)) })}</Text>}
      {plan.climatology.ports > 0 && <Text size="xs" c="dimmed">{t('lanes.riskCell', { p: f.number(pct(m.disruptionChance)) })}</Text>}
    </Stack>
  );
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={4}>{t('lanes.planTitle', { year: plan.year })}</Title>
        <SegmentedControl size="xs" value={measure} onChange={(v) => setMeasure(v as Measure)}
          data={(['cost', 'days', 'delay', 'risk'] as const).map((m) => ({ value: m, label: t(`lanes.measure.${m}`) }))} />
      </Group>
      <Text size="xs" c="dimmed" mb="xs">{t(`lanes.chartNote.${measure}`, { km: plan.climatology.distanceKm, from: plan.climatology.years.from, to: plan.climatology.years.to })}</Text>
      <Suspense fallback={<Loading />}><Chart plan={plan} measure={measure} /></Suspense>
      <ScrollArea mt="sm" type="auto">
        <Table striped withTableBorder style={{ minWidth: 640 }}>
          <Table.Thead><Table.Tr>
            <Table.Th>{t('lanes.col.month')}</Table.Th>
            {MODES.map((m) => <Table.Th key={m}>{modeName(m)}</Table.Th>)}
            <Table.Th>{t('lanes.col.switch', { from: modeName(plan.settings.rule.from), to: modeName(plan.settings.rule.to) })}</Table.Th>
          </Table.Tr></Table.Thead>
          <Table.Tbody>
            {plan.months.map((row) => (
              <Table.Tr key={row.month}>
                <Table.Td fw={600}>{monthName(f.locale, row.month)}</Table.Td>
                {MODES.map((m) => <Table.Td key={m}>{cell(row.modes.find((x) => x.mode === m)!)}</Table.Td>)}
                <Table.Td>
                  {row.switch.qualifies ? <Text size="sm" c="teal.8" fw={600}>{t('lanes.qualifies')}</Text>
                    : <Text size="xs" c="dimmed">{row.switch.reasons.map((r) => t(`lanes.reason.${r}`)).join(', ')}</Text>}
                  {row.switch.extraPerTonneMinor !== null && <Text size="xs">{t('lanes.extraCell', { extra: f.money(row.switch.extraPerTonneMinor, row.modes[0]!.rate?.currency ?? 'CNY') })}</Text>}
                  {row.switch.daysSaved !== null && <Text size="xs">{t(row.switch.daysSaved < 0 ? 'lanes.lateCell' : 'lanes.savedCell', { days: f.number(Math.abs(days1(row.switch.daysSaved))) })}</Text>}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Card>
  );
}

const monthOptions = (locale: string) => Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1), label: monthName(locale, i + 1) }));

function Proposals({ plan, lane, canPlan }: { plan: Plan; lane: Lane; canPlan: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const propose = usePropose(lane.code);
  const [months, setMonths] = useState<{ from: string; to: string }>({ from: '7', to: '9' });
  const send = (fromMonth: number, toMonth: number) => propose.mutate({ from: plan.settings.rule.from, to: plan.settings.rule.to, fromMonth, toMonth, year: plan.year });
  return (
    <Card withBorder>
      <Title order={4} mb="xs">{t('lanes.suggested')}</Title>
      <Text size="xs" c="dimmed" mb="sm">{t('lanes.criteria', {
        days: f.number(plan.settings.rule.minDaysSaved), points: f.number(plan.settings.rule.minChancePointsSaved), extra: f.money(plan.settings.rule.maxExtraPerTonneMinor, plan.proposals[0]?.currency ?? 'CNY'),
      })}</Text>
      {propose.error && <Alert color="red" mb="sm">{(propose.error as Error).message}</Alert>}
      {propose.isSuccess && <Alert color="teal" mb="sm">{t('lanes.proposed')}</Alert>}
      <Stack>
        {plan.proposals.length ? plan.proposals.map((p: Figures) => (
          <Card key={p.fromDay} withBorder padding="sm" bg="gray.0">
            <RuleHeadline figures={p} />
            <RuleArithmetic figures={p} distanceKm={plan.climatology.distanceKm} />
            {canPlan && <Group mt="xs"><Button size="xs" onClick={() => send(p.months[0]!, p.months.at(-1)!)} loading={propose.isPending}>{t('lanes.propose')}</Button></Group>}
          </Card>
        )) : <Empty title={t('lanes.noSuggestion')}>{t('lanes.noSuggestionHint')}</Empty>}
        {canPlan && (
          <Group align="flex-end" gap="xs" wrap="wrap">
            <Select label={t('lanes.fromMonth')} w={110} data={monthOptions(f.locale)} value={months.from} onChange={(v) => v && setMonths((m) => ({ ...m, from: v }))} allowDeselect={false} />
            <Select label={t('lanes.toMonth')} w={110} data={monthOptions(f.locale)} value={months.to} onChange={(v) => v && setMonths((m) => ({ ...m, to: v }))} allowDeselect={false} />
            <Button variant="light" onClick={() => send(Number(months.from), Number(months.to))} loading={propose.isPending}>{t('lanes.proposeOwn')}</Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function Rules({ lane }: { lane: Lane }) {
  const { t } = useTranslation();
  const modeName = useModeName();
  const f = useFormat();
  const period = usePeriod();
  const q = useRules(lane.code);
  const decide = useDecide(lane.code);
  const [open, setOpen] = useState<{ rule: Rule; action: 'approve' | 'reject' } | null>(null);
  const [reason, setReason] = useState('');
  const close = () => { setOpen(null); setReason(''); decide.reset(); };
  const confirm = () => {
    if (!open) return;
    decide.mutate({ id: open.rule.id, action: open.action, version: open.rule.version, reason: reason.trim() || null }, { onSuccess: close });
  };
  const needsReason = open?.action === 'reject' && !reason.trim();
  return (
    <Card withBorder>
      <Title order={4} mb="xs">{t('lanes.rules')}</Title>
      {q.isLoading ? <Loading /> : q.error ? <ErrorState error={q.error} /> : !q.data!.items.length ? <Empty title={t('lanes.noRules')}>{t('lanes.noRulesHint')}</Empty> : (
        <Stack>
          {q.data!.items.map((r) => (
            <Card key={r.id} withBorder padding="sm" data-testid={`rule-${r.id}`}>
              <Group justify="space-between" wrap="wrap" gap="xs"><Group gap="xs"><ModeBadge mode={r.fromMode} /><Text>→</Text><ModeBadge mode={r.toMode} /><Text fw={600}>{period(r.fromDay, r.toDay)}</Text></Group><RuleStatusBadge status={r.status} /></Group>
              <RuleHeadline figures={r.figures} />
              <RuleArithmetic figures={r.figures} distanceKm={lane.typhoonDistanceKm} />
              <Text size="xs" c="dimmed" mt={4}>
                {t('lanes.proposedBy', { name: r.proposedBy?.name ?? '—', at: f.dateTime(r.proposedAt) })}
                {r.decidedAt && ` · ${t(`lanes.decidedBy.${r.status === 'rejected' ? 'rejected' : 'approved'}`, { name: r.decidedBy?.name ?? '—', at: f.dateTime(r.decidedAt) })}`}
              </Text>
              {r.note && <Text size="sm">{r.note}</Text>}
              {r.reason && <Text size="sm" fs="italic">{t('lanes.reasonLine', { reason: r.reason })}</Text>}
              {r.canDecide && (
                <Group mt="xs">
                  <Button size="xs" color="teal" onClick={() => setOpen({ rule: r, action: 'approve' })}>{t('lanes.approve')}</Button>
                  <Button size="xs" color="red" variant="light" onClick={() => setOpen({ rule: r, action: 'reject' })}>{t('lanes.reject')}</Button>
                </Group>
              )}
            </Card>
          ))}
        </Stack>
      )}
      <Modal opened={!!open} onClose={close} title={open ? t(`lanes.confirm.${open.action}Title`) : ''} centered>
        {open && (
          <Stack>
            <RuleHeadline figures={open.rule.figures} />
            <Text size="sm">{t(`lanes.confirm.${open.action}`, { period: period(open.rule.fromDay, open.rule.toDay), to: modeName(open.rule.toMode) })}</Text>
            <Textarea label={t(open.action === 'reject' ? 'lanes.reasonRequired' : 'lanes.reasonOptional')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2}
              required={open.action === 'reject'} />
            {decide.error && <Alert color="red">{(decide.error as Error).message}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>{t('lanes.cancel')}</Button>
              <Button color={open.action === 'approve' ? 'teal' : 'red'} onClick={confirm} loading={decide.isPending} disabled={needsReason}>{t(`lanes.${open.action}`)}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Card>
  );
}

function Rates({ lane, canPlan }: { lane: Lane; canPlan: boolean }) {
  const { t } = useTranslation();
  const modeName = useModeName();
  const f = useFormat();
  const q = useRates(lane.code);
  const add = useAddRate(lane.code);
  const empty = { mode: 'rail' as Mode, currency: 'CNY', perTonne: '' as number | string, validFrom: '', validTo: '', note: '' };
  const [form, setForm] = useState(empty);
  const valid = typeof form.perTonne === 'number' && form.perTonne >= 0 && !!form.validFrom && (!form.validTo || form.validTo >= form.validFrom);
  const submit = () => {
    if (!valid) return;
    add.mutate({ mode: form.mode, currency: form.currency, perTonneMinor: Math.round(Number(form.perTonne) * 100), validFrom: form.validFrom, validTo: form.validTo || null, note: form.note.trim() || null }, { onSuccess: () => setForm(empty) });
  };
  return (
    <Card withBorder>
      <Title order={4} mb="xs">{t('lanes.rates')}</Title>
      {q.isLoading ? <Loading /> : q.error ? <ErrorState error={q.error} /> : !q.data!.items.length ? <Empty title={t('lanes.noRates')}>{t('lanes.noRatesHint')}</Empty> : (
        <ScrollArea type="auto">
          <Table striped style={{ minWidth: 420 }}>
            <Table.Thead><Table.Tr><Table.Th>{t('lanes.col.mode')}</Table.Th><Table.Th ta="right">{t('lanes.col.perTonne')}</Table.Th><Table.Th>{t('lanes.col.valid')}</Table.Th><Table.Th>{t('lanes.col.note')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {q.data!.items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td><ModeBadge mode={r.mode} /></Table.Td>
                  <Table.Td ta="right">{f.money(r.perTonneMinor, r.currency)}</Table.Td>
                  <Table.Td>{f.date(r.validFrom)} – {r.validTo ? f.date(r.validTo) : t('lanes.open')}</Table.Td>
                  <Table.Td>{r.note ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      {canPlan && (
        <Stack mt="sm" gap="xs">
          <Text size="sm" fw={600}>{t('lanes.addRate')}</Text>
          <Group align="flex-end" gap="xs" wrap="wrap">
            <Select label={t('lanes.col.mode')} w={100} data={MODES.map((m) => ({ value: m, label: modeName(m) }))} value={form.mode} allowDeselect={false} onChange={(v) => v && setForm({ ...form, mode: v as Mode })} />
            <TextInput label={t('lanes.currency')} w={80} value={form.currency} onChange={(e) => setForm({ ...form, currency: e.currentTarget.value.toUpperCase() })} maxLength={3} />
            <NumberInput label={t('lanes.col.perTonne')} w={130} min={0} decimalScale={2} value={form.perTonne} onChange={(v) => setForm({ ...form, perTonne: v })} required />
            <TextInput label={t('lanes.validFrom')} type="date" value={form.validFrom} onChange={(e) => setForm({ ...form, validFrom: e.currentTarget.value })} required />
            <TextInput label={t('lanes.validTo')} type="date" value={form.validTo} onChange={(e) => setForm({ ...form, validTo: e.currentTarget.value })}
              error={form.validTo && form.validFrom && form.validTo < form.validFrom ? t('lanes.endsBeforeStart') : undefined} />
            <TextInput label={t('lanes.col.note')} value={form.note} onChange={(e) => setForm({ ...form, note: e.currentTarget.value })} style={{ flex: '1 1 160px' }} />
            <Button onClick={submit} disabled={!valid} loading={add.isPending}>{t('lanes.add')}</Button>
          </Group>
          {add.error && <Alert color="red">{(add.error as Error).message}</Alert>}
        </Stack>
      )}
    </Card>
  );
}
