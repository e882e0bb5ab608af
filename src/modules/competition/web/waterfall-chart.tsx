/**
 * The price waterfall per unit (ECharts): the list price, each deduction as a floating bar down from
 * the running price, and the pocket price; a step no module records is a hatched grey gap marked
 * "not yet recorded", never a zero bar.
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../../web/charts/echart.js';
import { usePhone } from '../../../web/forms/kit.js';
import { useContributionText } from '../../../web/contributions/contribution-text.js';
import { useFormat } from '../../../web/format.js';
import type { Waterfall } from './competition-api.js';

echarts.use([BarChart, GridComponent, TooltipComponent]);
// ECharts puts a formatter's string into the page as HTML: escaped, it stays text.
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const axisLabel = { color: '#495057' };

export default function WaterfallChart({ w }: { w: Waterfall }) {
  const { t } = useTranslation();
  const text = useContributionText();
  const f = useFormat();
  const phone = usePhone();
  const option = useMemo(() => {
    const labels: string[] = [];
    const base: (number | null)[] = [];
    const bars: ({ value: number; itemStyle: { color: string } } | null)[] = [];
    let prev = 0;
    for (const r of w.rows) {
      labels.push(r.state === 'known' ? text(r.labelKey, r.params) : t(`competition.kind.${r.kind}`));
      if (r.state === 'unknown' || r.perUnitMinor === null || r.runningPerUnitMinor === null) { base.push(null); bars.push(null); continue; }
      const top = Math.max(prev, r.runningPerUnitMinor), bottom = Math.min(prev, r.runningPerUnitMinor);
      base.push(r.kind === 'list' ? 0 : bottom);
      bars.push({ value: r.kind === 'list' ? r.runningPerUnitMinor : top - bottom, itemStyle: { color: r.kind === 'list' ? '#1457aa' : '#e8590c' } });
      prev = r.runningPerUnitMinor;
    }
    labels.push(t('competition.waterfall.pocket'));
    base.push(0);
    bars.push(w.pocketPerUnitMinor === null ? null : { value: w.pocketPerUnitMinor, itemStyle: { color: '#2b8a3e' } });
    return {
      animation: false,
      grid: { left: 8, right: 8, top: 12, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (ps: { dataIndex: number }[]) => {
        const i = ps[0]?.dataIndex ?? 0;
        const r = w.rows[i];
        if (!r) return esc(`${labels[i]}: ${w.pocketPerUnitMinor === null ? '—' : f.money(w.pocketPerUnitMinor, w.currency)}`);
        if (r.state === 'unknown') return esc(`${labels[i]}: ${t(r.reasonKey)}`);
        return esc(`${labels[i]}: ${r.perUnitMinor === null ? '—' : f.money(r.perUnitMinor, w.currency)}`);
      } },
      xAxis: { type: 'category', data: labels, axisTick: { show: false }, axisLabel: phone ? { ...axisLabel, interval: 0, rotate: 45, width: 90, overflow: 'truncate' } : { ...axisLabel, interval: 0, width: 70, overflow: 'break' } },
      yAxis: { type: 'value', scale: false, splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel: { ...axisLabel, formatter: (v: number) => f.money(v, w.currency) } },
      series: [
        { type: 'bar', stack: 'w', silent: true, itemStyle: { color: 'transparent' }, data: base },
        { type: 'bar', stack: 'w', barMaxWidth: 40, data: bars },
      ],
    };
  }, [w, t, text, f, phone]);
  return <EChart option={option} height={phone ? 300 : 260} ariaLabel={t('competition.waterfall.chartLabel')} />;
}
