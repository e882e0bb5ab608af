/** Cost to serve an account: a stacked bar per month, one colour per service kind (the last 12 months). */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../../web/charts/echart.js';
import { useFormat } from '../../../web/format.js';
import type { CostRow, ServiceKind } from './services-api.js';
import { costSeries } from './services-format.js';
import { useKindName } from './services-ui.js';

// The shared wrapper registers bars only; a stack of kinds needs its legend.
echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent]);

const palette = ['#2267c1', '#e8590c', '#0ca678', '#9c36b5', '#f59f00', '#1098ad', '#d6336c', '#5c940d'];
const axisLabel = { color: '#495057' };

export default function CostChart({ rows, kinds, currency, height = 240 }: { rows: CostRow[]; kinds: Pick<ServiceKind, 'id' | 'name' | 'nameEn'>[]; currency: string; height?: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const kindName = useKindName();
  const option = useMemo(() => {
    const { months, series } = costSeries(rows);
    const byId = new Map(kinds.map((k) => [k.id, k]));
    return {
      animation: false,
      color: palette,
      grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
      legend: { top: 0, left: 0, type: 'scroll', itemWidth: 12, itemHeight: 10, textStyle: { color: '#495057' } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => f.money(v, currency) },
      xAxis: { type: 'category', data: months.map((m) => f.month(m)), axisTick: { show: false }, axisLine: { lineStyle: { color: '#ced4da' } }, axisLabel },
      yAxis: { type: 'value', splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel: { ...axisLabel, formatter: (v: number) => f.money(v, currency, true) } },
      series: series.map((s) => ({ name: kindName(byId.get(s.serviceKindId)), type: 'bar', stack: 'cost', data: s.data, barMaxWidth: 28 })),
    };
  }, [rows, kinds, currency, f, kindName]);
  return <EChart option={option} height={height} ariaLabel={t('services.cost.chartLabel')} />;
}
