/** The 80/20 page: ABC tiers with the Pareto chart, tier moves, where the hours go, and the ranking. */
import { Tabs } from '@mantine/core';
import { IconArrowsSort, IconChartBar, IconClockHour4, IconTrophy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../../web/ui/page-header.js';
import { AbcView } from './abc-view.js';
import { AttentionView } from './attention-view.js';
import { MovesView, RankingView } from './moves-view.js';
import { useFilters, useSegments } from './portfolio-api.js';
import { FiltersBar, useCategoryLabel, useWindowLabel } from './portfolio-ui.js';

const views = ['abc', 'moves', 'attention', 'ranking'] as const;
type View = (typeof views)[number];

export function PortfolioPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useFilters();
  const [params, setParams] = useSearchParams();
  const view: View = (views as readonly string[]).includes(params.get('view') ?? '') ? params.get('view') as View : 'abc';
  const segments = useSegments(filters);
  const w = useWindowLabel();
  const category = useCategoryLabel();
  const win = segments.data?.window;
  const subtitle = win
    ? [w(win), t(win.basis === 'margin' ? 'portfolio.basis.margin' : 'portfolio.basis.revenue'), win.category ? category(win.category) : t('portfolio.filters.allCategories'), win.currency].join(' · ')
    : t('portfolio.subtitle');
  return (
    <>
      <PageHeader title={t('portfolio.title')} subtitle={subtitle} />
      <FiltersBar filters={filters} onChange={setFilters} />
      <Tabs
        value={view} keepMounted={false}
        onChange={(v) => { const p = new URLSearchParams(params); if (v && v !== 'abc') p.set('view', v); else p.delete('view'); setParams(p, { replace: true }); }}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="abc" leftSection={<IconChartBar size={16} />}>{t('portfolio.views.abc')}</Tabs.Tab>
          <Tabs.Tab value="moves" leftSection={<IconArrowsSort size={16} />}>{t('portfolio.views.moves')}</Tabs.Tab>
          <Tabs.Tab value="attention" leftSection={<IconClockHour4 size={16} />}>{t('portfolio.views.attention')}</Tabs.Tab>
          <Tabs.Tab value="ranking" leftSection={<IconTrophy size={16} />}>{t('portfolio.views.ranking')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="abc"><AbcView filters={filters} /></Tabs.Panel>
        <Tabs.Panel value="moves"><MovesView filters={filters} /></Tabs.Panel>
        <Tabs.Panel value="attention"><AttentionView filters={filters} /></Tabs.Panel>
        <Tabs.Panel value="ranking"><RankingView filters={filters} /></Tabs.Panel>
      </Tabs>
    </>
  );
}
