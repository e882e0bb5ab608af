/** The Inventory tab's charts (ECharts via src/web/charts): a product's weekly sales with the forecast band, and the replay's policy-vs-actual bars. */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../../web/charts/echart.js';
import { useFormat } from '../../../web/format.js';
import type { AccountInventory, InventoryProduct } from './vmi-api.js';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent]);

const axisLabel = { color: '#495057' };
const HISTORY = '#1457aa';
const BAND = '#f08c00';

/** Weekly units sold (history) and the forecast after it: the median as a dashed line, the 10–90 % band as a shaded area. */
export function ForecastBandChart({ product }: { product: InventoryProduct }) {
  const { t } = useTranslation();
  const f = useFormat();
  const option = useMemo(() => {
    const hist = product.weeks;
    const fc = product.forecast?.weeks ?? [];
    const cats = [...hist.map((w) => w.start), ...fc.map((w) => w.start)];
    const pad = (n: number) => Array.from({ length: n }, () => null);
    const lastKnown = hist.length ? hist[hist.length - 1]!.sold : null;
    return {
      animation: false,
      legend: { top: 0, textStyle: { color: '#212529' }, data: [t('vmi.chart.sold'), t('vmi.chart.forecast'), t('vmi.chart.band')] },
      grid: { left: 8, right: 12, top: 36, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null || v === undefined ? '—' : f.number(v)) },
      xAxis: { type: 'category', data: cats.map((d) => f.monthDay(d)), axisTick: { show: false }, axisLabel },
      yAxis: { type: 'value', min: 0, splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel },
      series: [
        { name: t('vmi.chart.sold'), type: 'line', color: HISTORY, symbolSize: 5, connectNulls: false, data: [...hist.map((w) => w.sold), ...pad(fc.length)] },
        { name: 'low', type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, tooltip: { show: false }, data: [...pad(hist.length), ...fc.map((w) => w.low)] },
        { name: t('vmi.chart.band'), type: 'line', stack: 'band', symbol: 'none', color: BAND, lineStyle: { opacity: 0 }, areaStyle: { color: BAND, opacity: 0.25 }, data: [...pad(hist.length), ...fc.map((w) => w.high - w.low)] },
        { name: t('vmi.chart.forecast'), type: 'line', color: BAND, symbol: 'none', lineStyle: { type: 'dashed' }, data: [...pad(hist.length - 1), lastKnown, ...fc.map((w) => w.median)] },
      ],
    };
  }, [product, f, t]);
  return <EChart option={option} height={260} ariaLabel={t('vmi.chart.bandLabel', { product: product.sku })} />;
}

/** Fill rate and stock-out days: the VMI policy against what the dealer did, the site as a whole and per product. */
export function ReplayChart({ replay }: { replay: NonNullable<AccountInventory['replay']> }) {
  const { t } = useTranslation();
  const f = useFormat();
  const option = useMemo(() => {
    const rows = [{ label: t('vmi.replay.all'), policy: replay.policy, actual: replay.actual }, ...(replay.products.length > 1 ? replay.products.map((p) => ({ label: p.sku, policy: p.policy, actual: p.actual })) : [])];
    // Horizontal bars: a product's SKU reads whole on a phone, and the chart grows with the products.
    const cats = [...rows].reverse();
    return {
      animation: false,
      legend: { top: 0, textStyle: { color: '#212529' } },
      grid: { left: 8, right: 16, top: 32, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${f.number(v)} %` },
      yAxis: { type: 'category', data: cats.map((r) => r.label), axisTick: { show: false }, axisLabel },
      xAxis: { type: 'value', min: 0, max: 100, splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel: { ...axisLabel, formatter: '{value} %' } },
      series: [
        { name: t('vmi.replay.policy'), type: 'bar', color: '#2b8a3e', data: cats.map((r) => Math.round(r.policy.fillRate * 1000) / 10) },
        { name: t('vmi.replay.actual'), type: 'bar', color: '#868e96', data: cats.map((r) => Math.round(r.actual.fillRate * 1000) / 10) },
      ],
    };
  }, [replay, f, t]);
  const bars = 1 + (replay.products.length > 1 ? replay.products.length : 0);
  return <EChart option={option} height={60 + bars * 34} ariaLabel={t('vmi.replay.chartLabel')} />;
}
