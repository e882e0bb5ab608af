/** The Pareto chart (revenue per account with the cumulative share and the A/B/C bands) and the time-by-tier chart. */
import { Box } from '@mantine/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../../web/charts/echart.js';
import { useFormat } from '../../../web/format.js';
import { useNames } from '../../../web/names.js';
import { percent, tierColor, tiers, type Attention, type Segmentation, type Tier } from './portfolio-api.js';

// The shared wrapper registers bars only; these pages also draw lines, bands and a legend.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent]);

const axisLabel = { color: '#495057' };
const bandFill: Record<Tier, string> = { A: 'rgba(156, 54, 181, 0.07)', B: 'rgba(28, 126, 214, 0.06)', C: 'rgba(134, 142, 150, 0.06)' };

const axisName = { color: '#495057', fontSize: 11 };

/**
 * The Pareto chart of the accounts in view: bars of each account's value (or of runs of accounts,
 * when there are many), coloured by tier, with the cumulative share of the view's total as a line on
 * the right axis and the A/B/C bands behind. Both axes say what they measure. Accounts without a
 * positive value are left out (they have no share).
 */
export function ParetoChart({ curve, positiveTotal, currency, thresholdA, thresholdB, basis, height = 340 }: {
  curve: Segmentation['curve']; positiveTotal: number; currency: string; thresholdA: number; thresholdB: number; basis: 'revenue' | 'margin'; height?: number;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const points = curve.points;
  const valueLabel = t(`portfolio.basis.${basis}`);
  const basisWord = t(`portfolio.basis.${basis}Lower`);
  const option = useMemo(() => {
    const bands = tiers.flatMap((tier) => {
      const first = points.findIndex((p) => p.tier === tier);
      if (first < 0) return [];
      const last = points.length - 1 - [...points].reverse().findIndex((p) => p.tier === tier);
      return [[
        { name: t('portfolio.chart.band', { tier }), xAxis: first, itemStyle: { color: bandFill[tier] }, label: { color: tierColor[tier], fontWeight: 600, position: 'insideTop' } },
        { xAxis: last },
      ]];
    });
    const categories = points.map((p) => (curve.perAccount ? p.account!.code : percent(f.locale, p.accountShare, 0)));
    // Runs of accounts: ticks at 20%, 40%… of the accounts, on the first run that reaches each.
    const ticks = new Map<number, string>();
    if (!curve.perAccount) {
      for (const k of [0.2, 0.4, 0.6, 0.8, 1]) {
        const i = points.findIndex((p) => p.accountShare >= k - 1e-9);
        if (i >= 0 && !ticks.has(i)) ticks.set(i, percent(f.locale, k, 0));
      }
    }
    const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    return {
      animation: false,
      grid: { left: 8, right: 8, top: 40, bottom: 8 },
      legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10, textStyle: { color: '#495057' } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params: { dataIndex: number }[]) => {
          const i = params[0]?.dataIndex ?? -1;
          const p = points[i];
          if (!p) return '';
          const head = p.account
            ? `<b>${p.account.rank}. ${esc(n.primary(p.account))}</b> <span style="color:#868e96">${esc(p.account.code)}</span>`
            : `<b>${esc(t('portfolio.chart.group', { from: f.number((points[i - 1]?.accounts ?? 0) + 1), to: f.number(p.accounts), count: f.number(curve.accounts) }))}</b>`;
          return `${head}<br/>${esc(valueLabel)}: ${f.money(p.valueMinor, currency)}`
            + ` (${percent(f.locale, positiveTotal > 0 ? p.valueMinor / positiveTotal : 0)})<br/>`
            + `${esc(t('portfolio.chart.cumulativeTip', { share: percent(f.locale, p.cumulativeShare), accounts: percent(f.locale, p.accountShare) }))}<br/>`
            + `${esc(t(`tiers.${p.tier}`))}`;
        },
      },
      xAxis: {
        type: 'category', data: categories, axisTick: { show: false }, axisLine: { lineStyle: { color: '#ced4da' } },
        axisLabel: curve.perAccount
          ? { ...axisLabel, show: points.length <= 24, rotate: 45, fontSize: 10 }
          : { ...axisLabel, fontSize: 10, interval: (i: number) => ticks.has(i), formatter: (_: string, i: number) => ticks.get(i) ?? '' },
        name: curve.perAccount ? t('portfolio.chart.xAccounts', { basis: basisWord, count: curve.accounts }) : t('portfolio.chart.xShare', { basis: basisWord, count: curve.accounts }),
        nameLocation: 'middle', nameGap: curve.perAccount && points.length <= 24 ? 48 : 24, nameTextStyle: axisName,
      },
      yAxis: [
        {
          type: 'value', splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel: { ...axisLabel, formatter: (v: number) => f.money(v, currency, true) },
          name: t(curve.perAccount ? 'portfolio.chart.yValue' : 'portfolio.chart.yValueGroup', { basis: valueLabel, currency }), nameLocation: 'middle', nameGap: 52, nameTextStyle: axisName,
        },
        {
          type: 'value', min: 0, max: 100, interval: 20, splitLine: { show: false }, axisLabel: { ...axisLabel, formatter: (v: number) => `${v}%` },
          name: t('portfolio.chart.yCumulative', { basis: basisWord }), nameLocation: 'middle', nameGap: 40, nameRotate: -90, nameTextStyle: axisName,
        },
      ],
      series: [
        {
          name: valueLabel, type: 'bar', barMaxWidth: 24, barCategoryGap: curve.perAccount ? '15%' : '5%',
          data: points.map((p) => ({ value: p.valueMinor, itemStyle: { color: tierColor[p.tier], borderRadius: [3, 3, 0, 0] } })),
          itemStyle: { color: tierColor.A },
          markArea: { silent: true, data: bands },
        },
        {
          name: t('portfolio.chart.cumulative'), type: 'line', yAxisIndex: 1, symbol: points.length > 40 ? 'none' : 'circle', symbolSize: 5,
          lineStyle: { color: '#e8590c', width: 2 }, itemStyle: { color: '#e8590c' },
          data: points.map((p) => Math.round(p.cumulativeShare * 1000) / 10),
          markLine: {
            silent: true, symbol: 'none', lineStyle: { color: '#adb5bd', type: 'dashed' }, label: { color: '#495057', formatter: '{c}%', position: 'insideEndTop' },
            data: [{ yAxis: Math.round(thresholdA * 100) }, { yAxis: Math.round(thresholdB * 100) }],
          },
        },
      ],
    };
  }, [points, curve, f, n, currency, t, thresholdA, thresholdB, valueLabel, basisWord, positiveTotal]);
  const first = points[0];
  const firstShare = first && positiveTotal > 0 ? first.valueMinor / positiveTotal : null;
  return (
    <Box data-testid="pareto-chart" data-points={curve.accounts} data-per-account={String(curve.perAccount)} data-first-code={first?.account?.code ?? ''} data-first-share={firstShare === null ? '' : firstShare.toFixed(4)}>
      <EChart option={option} height={height} ariaLabel={t('portfolio.chart.paretoLabel', { count: curve.accounts, code: first?.account?.code ?? '–', share: percent(f.locale, firstShare) })} />
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
      yAxis: {
        type: 'value', min: 0, max: 100, splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel: { ...axisLabel, formatter: (v: number) => `${v}%` },
        name: t('portfolio.attention.yAxis'), nameLocation: 'middle', nameGap: 40, nameTextStyle: axisName,
      },
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
