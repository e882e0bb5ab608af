import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format.js';
import { EChart } from './echart.js';

export type RevenuePoint = { month: string; amountMinor: number; currency: string };

/** Net sales per month as bars (the main currency only). */
export default function RevenueChart({ data }: { data: RevenuePoint[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const currency = data[0]?.currency ?? 'CNY';
  const points = data.filter((d) => d.currency === currency);
  const option = useMemo(() => ({
    grid: { left: 8, right: 8, top: 16, bottom: 4, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => f.money(v, currency) },
    xAxis: { type: 'category', data: points.map((p) => f.month(p.month)), axisTick: { show: false }, axisLine: { lineStyle: { color: '#ced4da' } }, axisLabel: { color: '#495057' } },
    yAxis: { type: 'value', splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel: { color: '#495057', formatter: (v: number) => f.money(v, currency, true) } },
    series: [{ type: 'bar', data: points.map((p) => p.amountMinor), itemStyle: { color: '#2267c1', borderRadius: [4, 4, 0, 0] }, barMaxWidth: 28 }],
  }), [points, f, currency]);
  return <EChart option={option} ariaLabel={t('home.revenueChart')} />;
}
