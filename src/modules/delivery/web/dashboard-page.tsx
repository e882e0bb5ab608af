/**
 * The OTIF dashboard: a period and tolerances, the rates by month and by mode, the lateness
 * distribution, and the dealers, each drilling to its lines: a bar of a chart or its label by
 * pointer, the select beside the chart by keyboard, a dealer's name (a button) in the table.
 */
import { Anchor, Card, Group, NumberInput, Paper, SegmentedControl, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';
import { useNames } from '../../../web/names.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { lastMonths, monthStart, type OtifGroup, periodOf, type Tolerances, useAccountNames, useOtif } from './delivery-api.js';
import { type Drill, DrillDrawer } from './drill-drawer.js';
import { OpenOrdersCard } from './open-orders.js';
import { type Basis, HowComputed, LatenessChart, ModeChart, MonthChart, Share, sharesOf, useToday, usePercent } from './otif-ui.js';
import { useModeNames } from './transport-mode.js';

type SortKey = 'name' | 'counted' | 'onTime' | 'inFull' | 'otif' | 'overdue';
const MONTH = /^\d{4}-\d{2}$/;

export function DeliveryDashboardPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const modeNames = useModeNames();
  const today = useToday();
  const init = lastMonths(today, 12);
  const [fromMonth, setFromMonth] = useState(init.fromMonth);
  const [toMonth, setToMonth] = useState(init.toMonth);
  const [tol, setTol] = useState<Tolerances>({ earlyDays: 0, lateDays: 0, inFullPercent: 0 });
  // Off: each dealer on its agreed terms (decision 022); on: the same tolerances for every line ("what if").
  const [custom, setCustom] = useState(false);
  const asked = custom ? tol : null;
  const [basis, setBasis] = useState<Basis>('lines');
  const [drill, setDrill] = useState<Drill | null>(null);
  const periodError = !MONTH.test(fromMonth) || !MONTH.test(toMonth) ? t('delivery.filters.monthInvalid') : fromMonth > toMonth ? t('delivery.filters.fromAfterTo') : null;
  const period = periodError ? periodOf(init.fromMonth, init.toMonth) : periodOf(fromMonth, toMonth);
  const ok = !periodError;
  const total = useOtif('', period, asked, undefined, ok);
  const byMonth = useOtif('month', period, asked, undefined, ok);
  const byMode = useOtif('mode', period, asked, undefined, ok);
  const byAccount = useOtif('account', period, asked, undefined, ok);
  const names = useAccountNames();
  const accountName = (id: string) => { const a = names.data?.get(id); return a ? n.primary(a) : t('delivery.unknownAccount'); };
  const tolInput = (k: keyof Tolerances, max: number) => (v: string | number) => {
    const x = typeof v === 'number' ? v : Number.parseFloat(v);
    setTol((p) => ({ ...p, [k]: Number.isFinite(x) ? Math.min(max, Math.max(0, k === 'inFullPercent' ? x : Math.round(x))) : 0 }));
  };
  const g = total.data?.groups[0];
  const s = sharesOf(g, basis);
  const monthGroups = byMonth.data?.groups ?? [];
  const modeGroups = byMode.data?.groups ?? [];
  const modeKeys = modeGroups.map((m) => m.key[0] ?? '');
  const modeLabels = modeNames(modeKeys);
  const openMonth = (m: string) => setDrill({ title: t('delivery.drill.monthTitle', { month: f.month(m) }), from: `${m}-01`, to: monthStart(`${m}-01`, -1) });
  const openMode = (mode: string) => setDrill({ title: t('delivery.drill.modeTitle', { mode: modeLabels[modeKeys.indexOf(mode)] ?? mode }), mode, from: period.from, to: period.to });

  return (
    <Stack gap="md">
      <PageHeader title={t('delivery.dashboard.title')} subtitle={t('delivery.dashboard.subtitle')} actions={<HowComputed tolerances={asked} />} />
      <Paper withBorder p="sm" radius="md">
        <Group gap="sm" align="flex-end" style={{ rowGap: 8 }}>
          <TextInput type="month" label={t('delivery.filters.from')} value={fromMonth} onChange={(e) => setFromMonth(e.currentTarget.value)} w={150} error={periodError ? ' ' : undefined} />
          <TextInput type="month" label={t('delivery.filters.to')} value={toMonth} onChange={(e) => setToMonth(e.currentTarget.value)} w={150} error={periodError ?? undefined} />
          <Switch label={t('delivery.filters.custom')} checked={custom} onChange={(e) => setCustom(e.currentTarget.checked)} mb={8} />
          <NumberInput disabled={!custom} label={t('delivery.filters.earlyDays')} value={tol.earlyDays} onChange={tolInput('earlyDays', 60)} min={0} max={60} w={120} allowDecimal={false} />
          <NumberInput disabled={!custom} label={t('delivery.filters.lateDays')} value={tol.lateDays} onChange={tolInput('lateDays', 60)} min={0} max={60} w={120} allowDecimal={false} />
          <NumberInput disabled={!custom} label={t('delivery.filters.inFullPercent')} value={tol.inFullPercent} onChange={tolInput('inFullPercent', 100)} min={0} max={100} w={120} suffix=" %" />
          <SegmentedControl size="sm" value={basis} onChange={(v) => setBasis(v as Basis)} data={(['lines', 'orders', 'volume'] as const).map((b) => ({ value: b, label: t(`delivery.basis.${b}`) }))} aria-label={t('delivery.basis.label')} />
        </Group>
      </Paper>
      {total.error ? <ErrorState error={total.error} onRetry={() => void total.refetch()} /> : total.isLoading ? <Loading /> : !g || (g.lines.counted === 0 && !g.excluded.notDue) ? (
        <Empty title={t('delivery.dashboard.empty')}>{t('delivery.dashboard.emptyHint')}</Empty>
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
            {(['onTime', 'inFull', 'otif'] as const).map((k) => (
              <Card key={k} withBorder padding="sm" data-testid={`otif-total-${k}`}>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t(`delivery.rates.${k}`)}</Text>
                <Text fz={26} fw={700} className="ok-stat">{s[k] === null ? <Text span c="dimmed" fs="italic" fz="lg">{t('delivery.noData')}</Text> : <Pct share={s[k]} />}</Text>
                <Text size="xs" c="dimmed">{t(`delivery.basisNote.${basis}`, { count: s.counted })}</Text>
              </Card>
            ))}
            <Card withBorder padding="sm">
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t('delivery.overdueOpen')}</Text>
              <Text fz={26} fw={700} c={g.failures.overdueOpen ? 'red.7' : undefined} className="ok-stat">{f.number(g.failures.overdueOpen)}</Text>
              <Text size="xs" c="dimmed">{t('delivery.notDue', { count: g.excluded.notDue })}</Text>
            </Card>
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <Card withBorder>
              <Group justify="space-between" mb="xs" style={{ rowGap: 4 }}>
                <Text fw={600}>{t('delivery.charts.byMonth')}</Text>
                <Select size="xs" w={180} placeholder={t('delivery.drill.pickMonth')} value={null} aria-label={t('delivery.drill.pickMonth')}
                  data={monthGroups.map((m) => ({ value: m.key[0]!, label: f.month(m.key[0]!) }))}
                  onChange={(m) => m && openMonth(m)} />
              </Group>
              {byMonth.isLoading ? <Loading /> : <MonthChart groups={monthGroups} basis={basis} onPick={openMonth} />}
              <Text size="xs" c="dimmed" mt={4}>{t('delivery.drill.chartHint')}</Text>
            </Card>
            <Card withBorder>
              <Text fw={600} mb="xs">{t('delivery.charts.lateness')}</Text>
              <LatenessChart group={g} buckets={total.data?.latenessBuckets ?? []} />
            </Card>
          </SimpleGrid>
          <Card withBorder>
            <Group justify="space-between" mb="xs" style={{ rowGap: 4 }}>
              <Text fw={600}>{t('delivery.charts.byMode')}</Text>
              <Select size="xs" w={180} placeholder={t('delivery.drill.pickMode')} value={null} aria-label={t('delivery.drill.pickMode')} data-testid="pick-mode"
                data={modeKeys.map((m, i) => ({ value: `mode:${m}`, label: modeLabels[i]! }))}
                onChange={(v) => v && openMode(v.slice('mode:'.length))} />
            </Group>
            {byMode.isLoading ? <Loading /> : <ModeChart groups={modeGroups} basis={basis} onPick={openMode} />}
            <Text size="xs" c="dimmed" mt={4}>{t('delivery.drill.chartHint')}</Text>
          </Card>
          <Card withBorder>
            <Text fw={600} mb={4}>{t('delivery.dealers.title')}</Text>
            <Text size="xs" c="dimmed" mb="xs">{t('delivery.dealers.hint')}</Text>
            {byAccount.isLoading ? <Loading /> : <DealerTable groups={byAccount.data?.groups ?? []} basis={basis} accountName={accountName}
              onOpen={(id) => setDrill({ title: accountName(id), accountId: id, from: period.from, to: period.to })} />}
          </Card>
        </>
      )}
      <OpenOrdersCard accountName={accountName} />
      <DrillDrawer drill={drill} onClose={() => setDrill(null)} accountName={accountName} />
    </Stack>
  );
}

function Pct({ share }: { share: number | null }) {
  const pct = usePercent();
  return <>{pct(share)}</>;
}

/** One row per dealer, sortable; a dealer without a counted line sorts last whatever the direction (no data is not 0 % nor 100 %). */
function DealerTable({ groups, basis, accountName, onOpen }: { groups: OtifGroup[]; basis: Basis; accountName: (id: string) => string; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'otif', desc: false });
  const rows = useMemo(() => {
    const r = groups.map((g) => ({ id: g.key[0]!, name: accountName(g.key[0]!), ...sharesOf(g, basis), overdue: g.failures.overdueOpen, g }));
    const dir = sort.desc ? -1 : 1;
    return r.sort((a, b) => {
      if (sort.key === 'name') return dir * a.name.localeCompare(b.name);
      const x = a[sort.key], y = b[sort.key];
      if (x === null && y === null) return a.name.localeCompare(b.name);
      if (x === null) return 1;
      if (y === null) return -1;
      return dir * (x - y) || a.name.localeCompare(b.name);
    });
  }, [groups, basis, accountName, sort]);
  if (!rows.length) return <Text size="sm" c="dimmed">{t('delivery.dealers.none')}</Text>;
  const th = (key: SortKey, label: string, right = false) => (
    <Table.Th ta={right ? 'right' : undefined}>
      <UnstyledButton onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'name' && key !== 'onTime' && key !== 'inFull' && key !== 'otif' }))} aria-label={t('delivery.sortBy', { label })}>
        <Group gap={2} wrap="nowrap" justify={right ? 'flex-end' : undefined}>
          <Text size="sm" fw={600}>{label}</Text>
          {sort.key === key ? (sort.desc ? <IconChevronDown size={14} /> : <IconChevronUp size={14} />) : <IconSelector size={14} color="#adb5bd" />}
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table highlightOnHover verticalSpacing={6} data-testid="dealer-table">
        <Table.Thead>
          <Table.Tr>
            {th('name', t('delivery.cols.dealer'))}
            {th('counted', t(`delivery.basis.counted.${basis}`), true)}
            {th('onTime', t('delivery.rates.onTime'), true)}
            {th('inFull', t('delivery.rates.inFull'), true)}
            {th('otif', t('delivery.rates.otif'), true)}
            {th('overdue', t('delivery.overdueOpen'), true)}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id} onClick={() => onOpen(r.id)} style={{ cursor: 'pointer' }} data-testid="dealer-row">
              {/* The name is the row's button: a keyboard reaches and opens it as a pointer clicks the row. */}
              <Table.Td><Anchor component="button" type="button" size="sm" fw={500} c="blue.8" ta="left" onClick={(e) => { e.stopPropagation(); onOpen(r.id); }}>{r.name}</Anchor></Table.Td>
              <Table.Td ta="right" className="ok-stat">{f.number(r.counted)}</Table.Td>
              <Table.Td ta="right"><Share share={r.onTime} /></Table.Td>
              <Table.Td ta="right"><Share share={r.inFull} /></Table.Td>
              <Table.Td ta="right"><Share share={r.otif} /></Table.Td>
              <Table.Td ta="right">{r.overdue ? <Text span size="sm" c="red.7" fw={600}>{f.number(r.overdue)}</Text> : <Text span size="sm" c="dimmed">0</Text>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
