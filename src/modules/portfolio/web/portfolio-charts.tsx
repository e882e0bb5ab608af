/** The Pareto chart (revenue per account with the cumulative share and the A/B/C bands) and the time-by-tier chart. */
import { Box } from '@mantine/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../../web/charts/echart.js';
import { useFormat } from '../../../web/format.js';
import { percent, tierColor, tiers, type Attention, type SegmentRow, type Tier } from './portfolio-api.js';

// The shared wrapper registers bars only; these pages also draw lines, bands and a legend.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent]);

const axisLabel = { color: '#495057' };
const bandFill: Record<Tier, string> = { A: 'rgba(156, 54, 181, 0.07)', B: 'rgba(28, 126, 214, 0.06)', C: 'rgba(134, 142, 150, 0.06)' };

/**
 * Bars of each account's value, sorted, coloured by tier, with the cumulative share as a line on the
 * right axis and the A/B/C bands behind. Accounts without a positive value are left out (they have no share).
 */
export function ParetoChart({ rows, currency, thresholdA, thresholdB, valueLabel, height = 320 }: { rows: SegmentRow[]; currency: string; thresholdA: number; thresholdB: number; valueLabel: string; height?: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const points = useMemo(() => rows.filter((r) => r.valueMinor > 0 && r.cumulativeShare !== null), [rows]);
  const option = useMemo(() => {
    const bands = tiers.flatMap((tier) => {
      const of = points.filter((p) => p.tier === tier);
      if (!of.length) return [];
      return [[
        { name: t('portfolio.chart.band', { tier }), xAxis: of[0]!.code, itemStyle: { color: bandFill[tier] }, label: { color: tierColor[tier], fontWeight: 600, position: 'insideTop' } },
        { xAxis: of[of.length - 1]!.code },
      ]];
    });
    const byCode = new Map(points.map((p) => [p.code, p]));
    return {
      animation: false,
      grid: { left: 8, right: 8, top: 36, bottom: 8 },
      legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10, textStyle: { color: '#495057' } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params: { axisValue: string }[]) => {
          const p = byCode.get(params[0]?.axisValue ?? '');
          if (!p) return '';
          const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
          return `<b>${p.rank}. ${esc(p.name)}</b> <span style="color:#868e96">${esc(p.code)}</span><br/>`
            + `${esc(valueLabel)}: ${f.money(p.valueMinor, currency)}<br/>`
            + `${t('portfolio.table.share')}: ${percent(f.locale, p.share)} · ${t('portfolio.table.cumulative')}: ${percent(f.locale, p.cumulativeShare)}<br/>`
            + `${t('portfolio.table.tier')}: ${p.tier}`;
        },
      },
      xAxis: {
        type: 'category', data: points.map((p) => p.code), axisTick: { show: false }, axisLine: { lineStyle: { color: '#ced4da' } },
        axisLabel: { ...axisLabel, show: points.length <= 24, rotate: 45, fontSize: 10 },
      },
      yAxis: [
        { type: 'value', splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel: { ...axisLabel, formatter: (v: number) => f.money(v, currency, true) } },
        { type: 'value', min: 0, max: 100, interval: 20, splitLine: { show: false }, axisLabel: { ...axisLabel, formatter: (v: number) => `${v}%` } },
      ],
      series: [
        {
          name: valueLabel, type: 'bar', barMaxWidth: 24, barCategoryGap: '15%',
          data: points.map((p) => ({ value: p.valueMinor, itemStyle: { color: tierColor[p.tier], borderRadius: [3, 3, 0, 0] } })),
          itemStyle: { color: tierColor.A },
          markArea: { silent: true, data: bands },
        },
        {
          name: t('portfolio.chart.cumulative'), type: 'line', yAxisIndex: 1, symbol: points.length > 40 ? 'none' : 'circle', symbolSize: 5,
          lineStyle: { color: '#e8590c', width: 2 }, itemStyle: { color: '#e8590c' },
          data: points.map((p) => Math.round((p.cumulativeShare ?? 0) * 1000) / 10),
          markLine: {
            silent: true, symbol: 'none', lineStyle: { color: '#adb5bd', type: 'dashed' }, label: { color: '#495057', formatter: '{c}%', position: 'insideEndTop' },
            data: [{ yAxis: Math.round(thresholdA * 100) }, { yAxis: Math.round(thresholdB * 100) }],
          },
        },
      ],
    };
  }, [points, f, currency, t, thresholdA, thresholdB, valueLabel]);
  const first = points[0];
  return (
    <Box data-testid="pareto-chart" data-points={points.length} data-first-code={first?.code ?? ''} data-first-share={first ? first.share.toFixed(4) : ''}>
      <EChart option={option} height={height} ariaLabel={t('portfolio.chart.paretoLabel', { count: points.length, code: first?.code ?? '–', share: percent(f.locale, first?.share) })} />
    </Box>
  );
}

/** Share of time by tier for each manager or team (grouped bars), after a first group: each tier's share of revenue. */
export function TimeByTierChart({ groups, revenueShare, height = 320 }: { groups: Attention['byManager'] | Attention['byTeam']; revenueShare: Record<string, number>; height?: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const option = useMemo(() => {
    const names = [t('portfolio.attention.revenueShare'), ...groups.map((g) => g.name ?? t('portfolio.attention.noTeam'))];
    return {
      animation: false,
      grid: { left: 8, right: 8, top: 36, bottom: 8 },
      legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10, textStyle: { color: '#495057' } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => percent(f.locale, v / 100) },
      xAxis: { type: 'category', data: names, axisTick: { show: false }, axisLine: { lineStyle: { color: '#ced4da' } }, axisLabel: { ...axisLabel, interval: 0, rotate: names.length > 5 ? 40 : 0, fontSize: 11 } },
      yAxis: { type: 'value', min: 0, max: 100, splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel: { ...axisLabel, formatter: (v: number) => `${v}%` } },
      series: tiers.map((tier) => ({
        name: t('portfolio.attention.tierTime', { tier }), type: 'bar', barMaxWidth: 18, itemStyle: { color: tierColor[tier], borderRadius: [3, 3, 0, 0] },
        data: [
          { value: Math.round((revenueShare[tier] ?? 0) * 1000) / 10, itemStyle: { color: tierColor[tier], opacity: 0.45, borderColor: tierColor[tier], borderWidth: 1 } },
          ...groups.map((g) => Math.round((g.tiers.find((x) => x.tier === tier)?.timeShare ?? 0) * 1000) / 10),
        ],
      })),
    };
  }, [groups, revenueShare, t, f]);
  // Each group needs room for its three bars and its name: on a phone the chart scrolls sideways rather than squeezing.
  return (
    <Box style={{ overflowX: 'auto' }} tabIndex={0} aria-label={t('portfolio.attention.chartLabel')} role="region">
      <Box style={{ minWidth: (groups.length + 1) * 56 }}>
        <EChart option={option} height={height} ariaLabel={t('portfolio.attention.chartLabel')} />
      </Box>
    </Box>
  );
}
