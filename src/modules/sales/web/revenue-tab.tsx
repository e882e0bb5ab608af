/** The account page's Revenue tab: monthly revenue (bars) and gross margin (line) from the rollups, with the last 12 months against the 12 before. */
import { Card, Group, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../../web/charts/echart.js';
import { useFormat } from '../../../web/format.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { useTrend, type Trend } from './sales-api.js';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent]);

const axisLabel = { color: '#495057' };

function Stat({ label, value, hint, color }: { label: string; value: string; hint?: string; color?: string }) {
  return (
    <Card padding="sm">
      <Text size="xs" c="dimmed" fw={600}>{label}</Text>
      <Text fz={22} fw={700} className="ok-stat" c={color}>{value}</Text>
      {hint && <Text size="xs" c="dimmed">{hint}</Text>}
    </Card>
  );
}

function TrendChart({ data, kind }: { data: Trend; kind: 'bar' | 'line' }) {
  const { t } = useTranslation();
  const f = useFormat();
  const hasCost = data.points.some((p) => p.costMinor !== 0);
  const option = useMemo(() => ({
    animation: false,
    grid: { left: 8, right: 8, top: 36, bottom: 4 },
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10, textStyle: { color: '#495057' } },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => f.money(v, data.currency) },
    xAxis: { type: 'category', data: data.points.map((p) => f.month(p.month)), axisTick: { show: false }, axisLine: { lineStyle: { color: '#ced4da' } }, axisLabel },
    yAxis: { type: 'value', splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel: { ...axisLabel, formatter: (v: number) => f.money(v, data.currency, true) } },
    series: [
      {
        name: t('sales.trend.revenue'), type: kind, data: data.points.map((p) => p.revenueMinor), barMaxWidth: 24, symbolSize: 5,
        itemStyle: { color: '#2267c1', borderRadius: kind === 'bar' ? [4, 4, 0, 0] : 0 }, lineStyle: { color: '#2267c1', width: 2 }, areaStyle: kind === 'line' ? { color: 'rgba(34, 103, 193, 0.08)' } : undefined,
      },
      ...(hasCost ? [{ name: t('sales.trend.margin'), type: 'line', data: data.points.map((p) => p.marginMinor), symbolSize: 4, itemStyle: { color: '#e8590c' }, lineStyle: { color: '#e8590c', width: 2 } }] : []),
    ],
  }), [data, kind, f, t, hasCost]);
  return <EChart option={option} height={300} ariaLabel={t('sales.trend.chartLabel', { from: f.month(data.from), to: f.month(data.to) })} />;
}

export function RevenueTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const trend = useTrend(accountId);
  const [kind, setKind] = useState<'bar' | 'line'>('bar');
  if (trend.isPending) return <Loading />;
  if (trend.isError) return <ErrorState error={trend.error} onRetry={() => void trend.refetch()} />;
  const data = trend.data;
  const pts = data.points;
  if (!pts.some((p) => p.revenueMinor !== 0 || p.lines !== 0)) return <Card><Empty title={t('sales.trend.empty')}>{t('sales.trend.emptyHint')}</Empty></Card>;
  const sum = (xs: typeof pts) => xs.reduce((s, p) => s + p.revenueMinor, 0);
  const last12 = sum(pts.slice(-12));
  const prev12 = pts.length >= 24 ? sum(pts.slice(-24, -12)) : null;
  const growth = prev12 && prev12 > 0 ? (last12 - prev12) / prev12 : null;
  const margin12 = pts.slice(-12).reduce((s, p) => s + p.marginMinor, 0);
  const pct = (x: number) => new Intl.NumberFormat(f.locale, { style: 'percent', maximumFractionDigits: 1 }).format(x);
  return (
    <Stack gap="md" data-testid="revenue-tab">
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        <Stat label={t('sales.trend.last12')} value={f.money(last12, data.currency)} />
        <Stat
          label={t('sales.trend.previous12')} value={prev12 === null ? '–' : f.money(prev12, data.currency)}
          hint={growth === null ? undefined : t('sales.trend.growth', { growth: `${growth >= 0 ? '+' : ''}${pct(growth)}` })}
        />
        <Stat label={t('sales.trend.margin12')} value={f.money(margin12, data.currency)} hint={last12 > 0 && margin12 !== 0 ? t('sales.trend.marginRate', { rate: pct(margin12 / last12) }) : undefined} />
      </SimpleGrid>
      <Card padding="md">
        <Group justify="space-between" mb="xs" gap="xs">
          <Text fw={600}>{t('sales.trend.title')}</Text>
          <SegmentedControl
            size="xs" value={kind} onChange={(v) => setKind(v === 'line' ? 'line' : 'bar')} aria-label={t('sales.trend.chartType')}
            data={[{ value: 'bar', label: t('sales.trend.bars') }, { value: 'line', label: t('sales.trend.line') }]}
          />
        </Group>
        <TrendChart data={data} kind={kind} />
      </Card>
    </Stack>
  );
}
