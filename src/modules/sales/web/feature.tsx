/** Sales data in the web app: the import page and the account page's Revenue tab (staff only). */
import { IconChartLine, IconFileImport } from '@tabler/icons-react';
import { lazy, Suspense } from 'react';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';
import { importRoles, salesReadRoles } from './sales-roles.js';

const Page = lazy(() => import('./import-page.js').then((m) => ({ default: m.ImportPage })));
function ImportRoute() {
  return <Suspense fallback={<Loading />}><Page /></Suspense>;
}

const Tab = lazy(() => import('./revenue-tab.js').then((m) => ({ default: m.RevenueTab })));
function RevenueTabRoute({ accountId }: { accountId: string }) {
  return <Suspense fallback={<Loading />}><Tab accountId={accountId} /></Suspense>;
}

const feature: WebFeature = {
  routes: [{ path: '/imports', component: ImportRoute, roles: importRoles }],
  nav: [{ to: '/imports', labelKey: 'sales.nav', icon: <IconFileImport size={18} />, roles: importRoles, order: 80 }],
  accountTabs: [{ value: 'revenue', labelKey: 'sales.trend.tab', icon: <IconChartLine size={16} />, component: RevenueTabRoute, roles: salesReadRoles }],
};

export default feature;
