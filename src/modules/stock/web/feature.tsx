/** Stock: the stock-outs page, the stock file import, the account's Stock tab and the dealer's own stock with its report form and file upload (decisions 025, 031). */
import { IconPackageOff, IconPackages, IconPackage } from '@tabler/icons-react';
import { lazy, Suspense, type ComponentType } from 'react';
import type { Role } from '../../../web/api/types.js';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';
import { importRoles } from './stock-api.js';

// As src/server/policy.ts grants delivery:read (kept here so the shell does not load the pages).
const readRoles: Role[] = ['admin', 'director', 'manager', 'logistics', 'executive'];

const page = (load: () => Promise<ComponentType>): ComponentType => {
  const Lazy = lazy(() => load().then((c) => ({ default: c })));
  return function StockPage() { return <Suspense fallback={<Loading />}><Lazy /></Suspense>; };
};
const Tab = lazy(() => import('./account-stock-tab.js').then((m) => ({ default: m.AccountStockTab })));
function AccountStock({ accountId }: { accountId: string }) {
  return <Suspense fallback={<Loading />}><Tab accountId={accountId} /></Suspense>;
}

const feature: WebFeature = {
  routes: [
    { path: '/stock-outs', component: page(() => import('./stock-outs-page.js').then((m) => m.StockOutsPage)), roles: readRoles },
    { path: '/stock/import', component: page(() => import('./stock-import.js').then((m) => m.StockImportPage)), roles: importRoles },
    { path: '/portal/stock', component: page(() => import('./portal-stock-page.js').then((m) => m.PortalStockPage)), roles: ['dealer'] },
  ],
  nav: [
    { to: '/stock-outs', labelKey: 'stock.nav', icon: <IconPackageOff size={18} />, roles: readRoles, order: 55 },
    { to: '/portal/stock', labelKey: 'stock.portal.nav', icon: <IconPackages size={18} />, roles: ['dealer'], order: 55 },
  ],
  accountTabs: [{ value: 'stock', labelKey: 'stock.tab', icon: <IconPackage size={16} />, component: AccountStock, roles: readRoles }],
  kindIcons: { 'stock.out': IconPackageOff, 'stock.back': IconPackage, 'stock-out': IconPackageOff },
};

export default feature;
