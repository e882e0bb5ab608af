/** The stakeholder map as a graph: reporting lines (arrows to the boss) and ties, colour by stance, size by influence. */
import { GraphChart } from 'echarts/charts';
import { LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../../web/charts/echart.js';
import { STANCES, type Stance } from '../stakeholders.domain.js';
import type { StakeholderMap } from './relationships-api.js';

echarts.use([GraphChart, LegendComponent]);

/** Stance colours, from support (green) to opposition (red); people of other accounts are grey. */
export const stanceColour: Record<Stance, string> = {
  champion: '#2f9e44', supporter: '#74b816', neutral: '#868e96', sceptic: '#f08c00', opponent: '#e03131',
};
const OTHER = '#ced4da';

export function StakeholderGraph({ map, height = 360 }: { map: StakeholderMap; height?: number }) {
  const { t } = useTranslation();
  const option = useMemo<EChartsCoreOption>(() => {
    const here = new Set(map.people.map((p) => p.contactId));
    const others = new Map<string, string>();
    for (const tie of map.ties) for (const end of [tie.from, tie.to]) if (!here.has(end.contactId)) others.set(end.contactId, end.name);
    const categories = [...STANCES.map((s) => ({ name: t(`relationships.stance.${s}`), itemStyle: { color: stanceColour[s] } })),
      ...(others.size ? [{ name: t('relationships.graph.otherAccount'), itemStyle: { color: OTHER } }] : [])];
    const nodes = [
      ...map.people.map((p) => ({
        id: p.contactId, name: p.name, category: STANCES.indexOf(p.stance), symbolSize: 14 + p.influence * 7,
        value: `${t(`relationships.role.${p.buyingRole}`)} · ${t('relationships.influenceN', { n: p.influence })}`,
      })),
      ...[...others].map(([id, name]) => ({ id, name, category: STANCES.length, symbolSize: 14, value: t('relationships.graph.otherAccount') })),
    ];
    const links = [
      ...map.people.filter((p) => p.reportsToContactId && here.has(p.reportsToContactId)).map((p) => ({
        source: p.contactId, target: p.reportsToContactId!, value: t('relationships.graph.reportsTo'),
        symbol: ['none', 'arrow'], lineStyle: { width: 2, color: '#495057', type: 'solid' as const },
      })),
      ...map.ties.map((tie) => ({
        source: tie.from.contactId, target: tie.to.contactId, value: t(`relationships.tie.${tie.kind}`),
        symbol: ['none', 'none'], lineStyle: { width: 1.5, color: '#7950f2', type: 'dashed' as const },
      })),
    ];
    return {
      tooltip: { formatter: (p: { dataType?: string; name?: string; value?: unknown }) => (p.dataType === 'edge' ? String(p.value) : `${p.name}<br/>${String(p.value)}`) },
      legend: { data: categories.map((c) => c.name), bottom: 0, itemWidth: 12, itemHeight: 12, textStyle: { fontSize: 11 } },
      series: [{
        type: 'graph', layout: 'force', roam: true, draggable: true, categories, data: nodes, links,
        force: { repulsion: 420, edgeLength: [90, 160], gravity: 0.08 },
        label: { show: true, position: 'bottom', fontSize: 11 }, edgeSymbolSize: 8,
        emphasis: { focus: 'adjacency' }, bottom: 48, top: 16,
      }],
    };
  }, [map, t]);
  return <EChart option={option} height={height} ariaLabel={t('relationships.graph.aria', { count: map.people.length })} />;
}
