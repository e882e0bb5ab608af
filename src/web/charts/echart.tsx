import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

type Props = {
  option: EChartsCoreOption; height?: number; ariaLabel: string;
  /**
   * Called with the index of the category clicked: anywhere in its band of the plot (a bar of
   * 0 % has no height to hit) or on its axis label. The page must offer the same choice to the
   * keyboard (a select or a list beside the chart): a chart is not focusable.
   */
  onCategoryClick?: (dataIndex: number) => void;
};

/** Whether the first category axis of the option is the x axis (vertical bars) or the y axis (horizontal ones). */
function categoryIsX(chart: echarts.ECharts): boolean {
  const o = chart.getOption() as { xAxis?: { type?: string }[] };
  return o.xAxis?.[0]?.type === 'category';
}

/** A thin React wrapper around Apache ECharts (tree-shaken to the parts the app uses). */
export function EChart({ option, height = 240, ariaLabel, onCategoryClick }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const onPick = useRef(onCategoryClick);
  onPick.current = onCategoryClick;
  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'svg' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current);
    const categoryAt = (x: number, y: number): number | null => {
      if (!c.containPixel({ gridIndex: 0 }, [x, y])) return null;
      const at = c.convertFromPixel({ gridIndex: 0 }, [x, y]) as number[] | undefined;
      const i = at?.[categoryIsX(c) ? 0 : 1];
      return typeof i === 'number' && Number.isFinite(i) ? Math.round(i) : null;
    };
    const zr = c.getZr();
    zr.on('click', (e) => { const i = categoryAt(e.offsetX, e.offsetY); if (i !== null) onPick.current?.(i); });
    zr.on('mousemove', (e) => { if (onPick.current && categoryAt(e.offsetX, e.offsetY) !== null) zr.setCursorStyle('pointer'); });
    // Axis labels lie outside the plot: their clicks come as component events (axes need triggerEvent).
    c.on('click', (p) => {
      const ev = p as { targetType?: string; dataIndex?: number };
      if (ev.targetType === 'axisLabel' && typeof ev.dataIndex === 'number') onPick.current?.(ev.dataIndex);
    });
    return () => { ro.disconnect(); c.dispose(); chart.current = null; };
  }, []);
  // A clickable chart's category labels are clickable too.
  const clickable = !!onCategoryClick;
  useEffect(() => { chart.current?.setOption(clickable ? withTriggeredAxes(option) : option, true); }, [option, clickable]);
  return <div ref={ref} style={{ height, width: '100%' }} role="img" aria-label={ariaLabel} />;
}

/** The option with `triggerEvent` on its category axes, so that their labels send click events. */
function withTriggeredAxes(option: EChartsCoreOption): EChartsCoreOption {
  const mark = (axis: unknown): unknown => {
    if (Array.isArray(axis)) return axis.map(mark);
    const a = axis as { type?: string } | undefined;
    return a && a.type === 'category' ? { ...a, triggerEvent: true } : axis;
  };
  const o = option as { xAxis?: unknown; yAxis?: unknown };
  return { ...option, ...(o.xAxis ? { xAxis: mark(o.xAxis) } : {}), ...(o.yAxis ? { yAxis: mark(o.yAxis) } : {}) };
}
