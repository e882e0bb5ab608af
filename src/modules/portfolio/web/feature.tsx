/** 80/20 analytics: ABC tiers and the Pareto chart, tier moves, where the hours go, the ranking (staff only). */
import { IconChartPie } from '@tabler/icons-react';
import { lazy, Suspense } from 'react';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';
import { salesReadRoles } from '../../sales/web/sales-roles.js';

// Loads on demand: the page pulls in the line, band and legend parts of ECharts.
const Page = lazy(() => import('./portfolio-page.js').then((m) => ({ default: m.PortfolioPage })));
function PortfolioRoute() {
  return <Suspense fallback={<Loading />}><Page /></Suspense>;
}

const feature: WebFeature = {
  routes: [{ path: '/portfolio', component: PortfolioRoute, roles: salesReadRoles }],
  nav: [{ to: '/portfolio', labelKey: 'portfolio.nav', icon: <IconChartPie size={18} />, roles: salesReadRoles, order: 30 }],
};

export default feature;
