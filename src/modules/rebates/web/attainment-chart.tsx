/** Attainment: the cumulative basis by month, the forecast band to the period end, and a line per tier threshold. */
import { LineChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../../web/charts/echart.js';
import { useFormat } from '../../../web/format.js';
import type { Attainment } from './rebates-api.js';

echarts.use([LineChart, GridComponent, TooltipComponent, MarkLineComponent]);

export default function AttainmentChart({ a, height = 260 }: { a: Attainment; height?: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const option = useMemo(() => {
    const fc = a.forecast;
    const actualMonths = a.monthly.map((m) => m.month);
    const futureMonths = fc ? fc.months.filter((m) => !actualMonths.includes(m)) : [];
    const months = [...actualMonths, ...futureMonths];
    const show = (v: number) => (a.basisKind === 'quantity' ? f.number(v) : f.money(v, a.currency, true));
    const actual = a.monthly.map((m) => m.cumulative);
    const last = actual[actual.length - 1] ?? 0;
    // The band runs linearly from today's basis to the period end's quantiles (a picture of the spread, not a monthly forecast).
    const path = (end: number) => months.map((_, i) => (i < actual.length - 1 ? null : i === actual.length - 1 ? last
      : Math.round(last + ((end - last) * (i - actual.length + 1)) / Math.max(1, futureMonths.length))));
    const lo = fc ? fc.finalBasis[0]! : null;
    const hi = fc ? fc.finalBasis[fc.finalBasis.length - 1]! : null;
    const mid = fc ? fc.finalBasis[fc.levels.indexOf(0.5)] ?? null : null;
    const tierLines = a.tiers.map((tier, i) => ({ yAxis: tier.from, name: t('rebates.tierLine', { n: i + 1, rate: tier.ratePercent }), label: { formatter: t('rebates.tierLine', { n: i + 1, rate: tier.ratePercent }), color: '#495057', position: 'insideStartTop' as const }, lineStyle: { color: '#868e96', type: 'dashed' as const } }));
    return {
      animation: false,
      grid: { left: 8, right: 12, top: 16, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null ? '—' : show(v)) },
      xAxis: { type: 'category', data: months.map((m) => f.month(m)), axisLabel: { color: '#495057' } },
      yAxis: { type: 'value', axisLabel: { color: '#495057', formatter: (v: number) => show(v) }, splitLine: { lineStyle: { color: '#f1f3f5' } } },
      series: [
        { name: t('rebates.actual'), type: 'line', data: actual, symbol: 'circle', lineStyle: { width: 3, color: '#2267c1' }, itemStyle: { color: '#2267c1' }, markLine: { symbol: 'none', data: tierLines } },
        ...(lo !== null && hi !== null ? [
          { name: `${t('rebates.forecastBand')} (10 %)`, type: 'line', data: path(lo), symbol: 'none', lineStyle: { width: 0 }, stack: 'band', areaStyle: { opacity: 0 } },
          { name: `${t('rebates.forecastBand')} (90 %)`, type: 'line', data: path(hi).map((v, i) => (v === null ? null : v - (path(lo)[i] ?? 0))), symbol: 'none', lineStyle: { width: 0 }, stack: 'band', areaStyle: { color: '#a5d8ff', opacity: 0.6 }, tooltip: { show: false } },
        ] : []),
        ...(mid !== null ? [{ name: t('rebates.forecastMedian'), type: 'line', data: path(mid), symbol: 'none', lineStyle: { type: 'dashed', color: '#1971c2' } }] : []),
      ],
    };
  }, [a, f, t]);
  return <EChart option={option} height={height} ariaLabel={t('rebates.chartLabel')} />;
}
