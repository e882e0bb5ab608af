/** The dealer's own deliveries: its on-time share by month and each shipment with its late flag. No freight, weight or other dealers. */
import { Card, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../../web/charts/echart.js';
import { useFormat } from '../../../web/format.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { type PortalSummary, usePortalDeliveries, usePortalSummary } from './delivery-api.js';
import { Pager, ShipmentsTable, useToday, usePercent } from './otif-ui.js';

echarts.use([BarChart, GridComponent, TooltipComponent]);
const PAGE = 20;

export function PortalDeliveriesPage() {
  const { t } = useTranslation();
  const today = useToday();
  const [lateOnly, setLateOnly] = useState(false);
  const [offset, setOffset] = useState(0);
  const summary = usePortalSummary();
  const list = usePortalDeliveries({ limit: PAGE, offset, lateOnly });
  return (
    <Stack maw={960} gap="md">
      <Title order={2}>{t('delivery.portalPage.title')}</Title>
      <Card withBorder>
        <Text fw={600}>{t('delivery.portalPage.onTimeTitle')}</Text>
        <Text size="xs" c="dimmed" mb="xs">{t('delivery.portalPage.onTimeHint')}</Text>
        {summary.isLoading ? <Loading /> : summary.error ? <ErrorState error={summary.error} onRetry={() => void summary.refetch()} /> : <OnTimeChart summary={summary.data!} />}
      </Card>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Text fw={600}>{t('delivery.portalPage.listTitle')}</Text>
          <Switch size="sm" label={t('delivery.lateOnly')} checked={lateOnly} onChange={(e) => { setLateOnly(e.currentTarget.checked); setOffset(0); }} />
        </Group>
        {list.isLoading ? <Loading /> : list.error ? <ErrorState error={list.error} onRetry={() => void list.refetch()} />
          : list.data!.items.length ? <><ShipmentsTable items={list.data!.items} today={today} showMode={false} /><Pager offset={offset} limit={PAGE} count={list.data!.items.length} onOffset={setOffset} /></>
          : <Empty title={t(lateOnly ? 'delivery.drill.noLate' : 'delivery.portalPage.none')} />}
      </Card>
    </Stack>
  );
}

/** On-time share per month; a month with nothing due has no bar and says "no data". */
function OnTimeChart({ summary }: { summary: PortalSummary }) {
  const { t } = useTranslation();
  const f = useFormat();
  const pct = usePercent();
  const narrow = typeof window !== 'undefined' && window.innerWidth < 600;
  const option = useMemo(() => {
    const empty = new Set(summary.months.filter((m) => m.share === null).map((m) => m.month));
    return {
      animation: false,
      grid: { left: 8, right: 8, top: 12, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number | string) => (typeof v === 'number' ? pct(v / 100) : t('delivery.noData')) },
      xAxis: {
        type: 'category', data: summary.months.map((m) => m.month), axisTick: { show: false },
        axisLabel: { color: '#495057', fontSize: 10, interval: 0, rotate: narrow ? 45 : 0, formatter: (m: string) => (empty.has(m) ? `${f.month(m)}\n{nd|${t('delivery.noData')}}` : f.month(m)), rich: { nd: { color: '#868e96', fontSize: 10, fontStyle: 'italic' } } },
      },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { color: '#495057', formatter: '{value} %' }, splitLine: { lineStyle: { color: '#f1f3f5' } } },
      series: [{ name: t('delivery.rates.onTime'), type: 'bar', barMaxWidth: 24, itemStyle: { color: '#2267c1' }, data: summary.months.map((m) => (m.share === null ? '-' : Math.round(m.share * 1000) / 10)) }],
    };
  }, [summary, f, t, pct, narrow]);
  if (summary.months.every((m) => m.share === null)) return <Text size="sm" c="dimmed" fs="italic">{t('delivery.portalPage.noFigure')}</Text>;
  return <EChart option={option} height={220} ariaLabel={t('delivery.portalPage.onTimeTitle')} />;
}
