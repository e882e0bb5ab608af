/** Competitor prices per our unit over months: one line per competitor (ECharts). */
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../../web/charts/echart.js';
import { useFormat } from '../../../web/format.js';
import type { Trend } from './competition-api.js';

echarts.use([LineChart, GridComponent, TooltipComponent, LegendComponent]);

const palette = ['#c92a2a', '#1457aa', '#2b8a3e', '#862e9c', '#d9480f'];
const axisLabel = { color: '#495057' };

export default function TrendChart({ trend }: { trend: Trend }) {
  const { t } = useTranslation();
  const f = useFormat();
  const option = useMemo(() => ({
    animation: false,
    color: palette,
    legend: { top: 0, textStyle: { color: '#212529' } },
    grid: { left: 8, right: 12, top: 36, bottom: 4, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null || v === undefined ? '—' : f.money(v, trend.currency)) },
    xAxis: { type: 'category', data: trend.months.map((m) => f.month(m)), axisTick: { show: false }, axisLabel },
    yAxis: { type: 'value', scale: true, splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel: { ...axisLabel, formatter: (v: number) => f.money(v, trend.currency) } },
    series: trend.series.map((s) => ({ name: s.competitor, type: 'line', connectNulls: true, symbolSize: 6, data: s.points.map((p) => p.avgUnitMinor) })),
  }), [trend, f]);
  return <EChart option={option} height={280} ariaLabel={t('competition.trend.chartLabel')} />;
}
