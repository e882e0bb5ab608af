/** The lane's plan month by month: one bar per mode for the chosen measure (cost a tonne, expected days, delay against the promise, disruption chance). */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../../web/charts/echart.js';
import { useFormat } from '../../../web/format.js';
import { useModeName } from '../../delivery/web/transport-mode.js';
import { MODES, type Plan } from './lanes-api.js';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent]);

/** A month's short name alone ("Jul", "7月"). */
export const monthName = (locale: string, month: number) => new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2021, month - 1, 1)));

export type Measure = 'cost' | 'days' | 'delay' | 'risk';
const colors = { ship: '#1c7ed6', rail: '#9c36b5', road: '#e8590c' };

export default function PlanChart({ plan, measure, height = 260 }: { plan: Plan; measure: Measure; height?: number }) {
  const { t } = useTranslation();
  const modeName = useModeName();
  const f = useFormat();
  const option = useMemo(() => {
    const currency = plan.months.flatMap((m) => m.modes).find((m) => m.rate)?.rate?.currency ?? 'CNY';
    const value = (m: Plan['months'][number]['modes'][number]): number | null => {
      if (measure === 'cost') return m.rate ? m.rate.perTonneMinor / 100 : null;
      if (measure === 'days') return m.expectedDays === null ? null : Math.round(m.expectedDays * 10) / 10;
      if (measure === 'delay') return m.delay ? Math.round(m.delay.meanDaysLate * 10) / 10 : null;
      return Math.round(m.disruptionChance * 1000) / 10;
    };
    const show = (v: number | null) => (v === null ? t('lanes.noData') : measure === 'cost' ? f.money(Math.round(v * 100), currency) : measure === 'risk' ? `${f.number(v)} %` : t('lanes.daysValue', { days: f.number(v) }));
    return {
      animation: false,
      grid: { left: 4, right: 8, top: 36, bottom: 4, containLabel: true },
      legend: { top: 0, data: MODES.map((m) => modeName(m)) },
      tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => show(v ?? null) },
      xAxis: { type: 'category', data: plan.months.map((m) => monthName(f.locale, m.month)), axisLabel: { color: '#495057' } },
      yAxis: { type: 'value', axisLabel: { color: '#495057', formatter: (v: number) => (measure === 'cost' ? f.money(Math.round(v * 100), currency, true) : measure === 'risk' ? `${v} %` : String(v)) }, splitLine: { lineStyle: { color: '#f1f3f5' } } },
      series: MODES.map((mode) => ({
        name: modeName(mode), type: 'bar', itemStyle: { color: colors[mode] },
        data: plan.months.map((m) => value(m.modes.find((x) => x.mode === mode)!)),
      })),
    };
  }, [plan, measure, f, t, modeName]);
  return <EChart option={option} height={height} ariaLabel={t(`lanes.chart.${measure}`)} />;
}
