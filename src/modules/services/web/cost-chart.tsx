/** Cost to serve an account: a stacked bar per month, one colour per service kind (the last 12 months). */
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { Box, Group, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../../web/charts/echart.js';
import { useFormat } from '../../../web/format.js';
import type { CostRow, ServiceKind } from './services-api.js';
import { costSeries } from './services-format.js';
import { useKindName } from './services-ui.js';

echarts.use([BarChart, GridComponent, TooltipComponent]);

const palette = ['#2267c1', '#e8590c', '#0ca678', '#9c36b5', '#f59f00', '#1098ad', '#d6336c', '#5c940d'];
const axisLabel = { color: '#495057' };

export default function CostChart({ rows, kinds, currency, height = 240 }: { rows: CostRow[]; kinds: Pick<ServiceKind, 'id' | 'name' | 'nameEn'>[]; currency: string; height?: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const kindName = useKindName();
  const { months, series } = useMemo(() => costSeries(rows), [rows]);
  const byId = useMemo(() => new Map(kinds.map((k) => [k.id, k])), [kinds]);
  const option = useMemo(() => {
    return {
      animation: false,
      color: palette,
      grid: { left: 8, right: 8, top: 12, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => f.money(v, currency) },
      xAxis: { type: 'category', data: months.map((m) => f.month(m)), axisTick: { show: false }, axisLine: { lineStyle: { color: '#ced4da' } }, axisLabel },
      yAxis: { type: 'value', splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel: { ...axisLabel, formatter: (v: number) => f.money(v, currency, true) } },
      series: series.map((s) => ({ name: kindName(byId.get(s.serviceKindId)), type: 'bar', stack: 'cost', data: s.data, barMaxWidth: 28 })),
    };
  }, [months, series, byId, currency, f, kindName]);
  // The legend is the page's own: it wraps on a phone, where a chart's scrolling legend shows one name at a time.
  return (
    <>
      <EChart option={option} height={height} ariaLabel={t('services.cost.chartLabel')} />
      <Group gap="xs" mt="xs" style={{ rowGap: 4 }} data-testid="cost-legend">
        {series.map((s, i) => (
          <Group key={s.serviceKindId} gap={6} wrap="nowrap">
            <Box w={10} h={10} style={{ borderRadius: 2, background: palette[i % palette.length], flexShrink: 0 }} aria-hidden />
            <Text size="xs">{kindName(byId.get(s.serviceKindId))}</Text>
            <Text size="xs" c="dimmed" className="ok-stat">{f.money(s.total, currency, true)}</Text>
          </Group>
        ))}
      </Group>
    </>
  );
}
