import { Card, Group, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScrollX } from './notify.js';
import { useTeams } from '../../../web/api/queries.js';
import { EChart } from '../../../web/charts/echart.js';
import { useSession } from '../../../web/session.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { addDays, instantOf } from '../../../shared/time.js';
import { type Counts, useCompliance } from './use-visits.js';
import { useVisitFormat } from './visits-format.js';

echarts.use([LegendComponent]);

type Preset = 'thisWeek' | 'lastWeek' | 'thisMonth' | 'last30' | 'custom';
const series = [
  { key: 'onTime', color: '#2b8a3e' },
  { key: 'early', color: '#1971c2' },
  { key: 'late', color: '#e8590c' },
  { key: 'missed', color: '#c92a2a' },
  { key: 'moved', color: '#862e9c' },
] as const;

/** The local dates [from, to) of a preset period, Monday-based weeks. */
function periodOf(preset: Preset, today: string, custom: { from: string; to: string }): { from: string; to: string } {
  const dow = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  const monday = addDays(today, -dow);
  switch (preset) {
    case 'thisWeek': return { from: monday, to: addDays(monday, 7) };
    case 'lastWeek': return { from: addDays(monday, -7), to: monday };
    case 'thisMonth': {
      const first = `${today.slice(0, 8)}01`;
      const next = new Date(`${first}T00:00:00Z`);
      next.setUTCMonth(next.getUTCMonth() + 1);
      return { from: first, to: next.toISOString().slice(0, 10) };
    }
    case 'last30': return { from: addDays(today, -29), to: addDays(today, 1) };
    default: return /^\d{4}-\d{2}-\d{2}$/.test(custom.from) && /^\d{4}-\d{2}-\d{2}$/.test(custom.to) ? { from: custom.from, to: addDays(custom.to, 1) } : { from: '', to: '' };
  }
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card padding="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{label}</Text>
      <Text size="xl" fw={700} className="ok-stat">{value}</Text>
      {hint && <Text size="xs" c="dimmed">{hint}</Text>}
    </Card>
  );
}

function CountsTable({ rows, nameLabel, testId }: { rows: (Counts & { key: string; name: string })[]; nameLabel: string; testId: string }) {
  const { t } = useTranslation();
  const f = useVisitFormat();
  return (
    <ScrollX label={nameLabel} minWidth={760}>
      <Table verticalSpacing="xs" striped data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{nameLabel}</Table.Th>
            <Table.Th ta="right">{t('visits.compliance.scheduled')}</Table.Th>
            <Table.Th ta="right">{t('visits.outcomes.on_time')}</Table.Th>
            <Table.Th ta="right">{t('visits.outcomes.early')}</Table.Th>
            <Table.Th ta="right">{t('visits.outcomes.late')}</Table.Th>
            <Table.Th ta="right">{t('visits.outcomes.missed')}</Table.Th>
            <Table.Th ta="right">{t('visits.outcomes.moved')}</Table.Th>
            <Table.Th ta="right">{t('visits.outcomes.upcoming')}</Table.Th>
            <Table.Th ta="right">{t('visits.compliance.visitRate')}</Table.Th>
            <Table.Th ta="right">{t('visits.compliance.onTimeRate')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td><Text size="sm" fw={600}>{r.name}</Text></Table.Td>
              <Table.Td ta="right" className="ok-stat">{f.number(r.scheduled)}</Table.Td>
              <Table.Td ta="right" className="ok-stat">{f.number(r.onTime)}</Table.Td>
              <Table.Td ta="right" className="ok-stat">{f.number(r.early)}</Table.Td>
              <Table.Td ta="right" className="ok-stat">{f.number(r.late)}</Table.Td>
              <Table.Td ta="right" className="ok-stat">
                {f.number(r.missed)}{r.missedWithoutReason > 0 && <Text span size="xs" c="red.8"> {t('visits.compliance.withoutReason', { count: r.missedWithoutReason })}</Text>}
              </Table.Td>
              <Table.Td ta="right" className="ok-stat">{f.number(r.moved)}</Table.Td>
              <Table.Td ta="right" className="ok-stat">{f.number(r.upcoming)}</Table.Td>
              <Table.Td ta="right" className="ok-stat">{f.percent(r.visitRate)}</Table.Td>
              <Table.Td ta="right" className="ok-stat">{f.percent(r.onTimeRate)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollX>
  );
}

/** Punctuality and compliance over a period: per manager and per team, as a chart and tables. */
export function CompliancePage() {
  const { t } = useTranslation();
  const f = useVisitFormat();
  const { me } = useSession();
  const oversees = me?.role !== 'manager';
  const teams = useTeams(oversees);
  const phone = useMediaQuery('(max-width: 48em)', undefined, { getInitialValueInEffect: false });
  const [preset, setPreset] = useState<Preset>('thisWeek');
  const presets = (['thisWeek', 'lastWeek', 'thisMonth', 'last30', 'custom'] as const).map((p) => ({ value: p, label: t(`visits.compliance.presets.${p}`) }));
  const today = f.today();
  const [custom, setCustom] = useState({ from: addDays(today, -13), to: today });
  const [teamId, setTeamId] = useState<string | null>(null);
  const period = periodOf(preset, today, custom);
  const valid = !!period.from && period.from < period.to;
  const query = useMemo(() => ({
    from: valid ? instantOf(period.from, '00:00', f.timeZone).toISOString() : new Date().toISOString(),
    to: valid ? instantOf(period.to, '00:00', f.timeZone).toISOString() : new Date(Date.now() + 1).toISOString(),
    ...(teamId && { teamId }),
  }), [period.from, period.to, f.timeZone, teamId, valid]);
  const data = useCompliance(query);
  const teamOptions = (teams.data?.items ?? []).filter((x) => me?.role !== 'director' || x.directorId === me.id);

  const managers = data.data?.managers ?? [];
  const option = useMemo(() => ({
    grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
    legend: { top: 0, textStyle: { color: '#495057' } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: managers.map((m) => m.name), axisTick: { show: false }, axisLabel: { color: '#495057', interval: 0, rotate: managers.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel: { color: '#495057' } },
    series: series.map((s) => ({
      name: t(`visits.outcomes.${s.key === 'onTime' ? 'on_time' : s.key}`), type: 'bar', stack: 'visits', barMaxWidth: 36,
      itemStyle: { color: s.color }, data: managers.map((m) => m[s.key]),
    })),
  }), [managers, t]);

  const total = data.data?.total;
  let body;
  if (!valid) body = <Text c="red.8" size="sm">{t('visits.compliance.invalidPeriod')}</Text>;
  else if (data.isPending) body = <Loading />;
  else if (data.isError) body = <ErrorState error={data.error} onRetry={() => void data.refetch()} />;
  else if (!total || total.scheduled === 0) body = <Empty title={t('visits.compliance.empty')}>{t('visits.compliance.emptyHint')}</Empty>;
  else {
    body = (
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Stat label={t('visits.compliance.scheduled')} value={f.number(total.scheduled)} hint={t('visits.compliance.dueHint', { count: total.due })} />
          <Stat label={t('visits.compliance.visitRate')} value={f.percent(total.visitRate)} />
          <Stat label={t('visits.compliance.onTimeRate')} value={f.percent(total.onTimeRate)} />
          <Stat label={t('visits.compliance.missedMoved')} value={`${f.number(total.missed)} / ${f.number(total.moved)}`} hint={total.missedWithoutReason ? t('visits.compliance.withoutReason', { count: total.missedWithoutReason }) : undefined} />
        </SimpleGrid>
        <Card>
          <Title order={2} size="h4" mb="sm">{t('visits.compliance.byManager')}</Title>
          <EChart option={option} height={300} ariaLabel={t('visits.compliance.chartLabel')} />
        </Card>
        <Card padding="sm">
          <CountsTable testId="compliance-managers" nameLabel={t('visits.manager')} rows={managers.map((m) => ({ ...m, key: m.managerId }))} />
        </Card>
        {(data.data?.teams.length ?? 0) > 0 && (
          <Card padding="sm">
            <Title order={2} size="h4" m="xs">{t('visits.compliance.byTeam')}</Title>
            <CountsTable testId="compliance-teams" nameLabel={t('visits.compliance.team')}
              rows={[...data.data!.teams.map((x) => ({ ...x, key: x.teamId ?? 'none', name: x.name ?? t('visits.compliance.noTeam') })), { ...total, key: 'total', name: t('visits.compliance.total') }]} />
          </Card>
        )}
      </Stack>
    );
  }

  return (
    <>
      <PageHeader title={t('visits.compliance.title')} subtitle={valid ? t('visits.compliance.period', { from: f.date(instantOf(period.from, '12:00', f.timeZone).toISOString()), to: f.date(instantOf(addDays(period.to, -1), '12:00', f.timeZone).toISOString()) }) : undefined} />
      <Group mb="lg" align="flex-end" gap="sm">
        {phone ? (
          <Select label={t('visits.compliance.periodLabel')} value={preset} allowDeselect={false} onChange={(v) => v && setPreset(v as Preset)} data={presets} w="100%" />
        ) : (
          <SegmentedControl value={preset} onChange={(v) => setPreset(v as Preset)} aria-label={t('visits.compliance.periodLabel')} data={presets} />
        )}
        {preset === 'custom' && (
          <>
            <TextInput type="date" label={t('visits.compliance.from')} value={custom.from} onChange={(e) => setCustom((c) => ({ ...c, from: e.currentTarget.value }))} />
            <TextInput type="date" label={t('visits.compliance.to')} value={custom.to} onChange={(e) => setCustom((c) => ({ ...c, to: e.currentTarget.value }))} />
          </>
        )}
        {teamOptions.length > 1 && (
          <Select label={t('visits.compliance.team')} placeholder={t('common.all')} clearable value={teamId} onChange={setTeamId} w={200}
            data={teamOptions.map((x) => ({ value: x.id, label: x.name }))} />
        )}
      </Group>
      {body}
    </>
  );
}
