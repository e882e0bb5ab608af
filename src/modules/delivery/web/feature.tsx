/** Delivery: the OTIF dashboard, the shipment file import, the account's Delivery tab and the dealer's deliveries. */
import { IconFileImport, IconTruckDelivery } from '@tabler/icons-react';
import { lazy, Suspense, type ComponentType } from 'react';
import type { Role } from '../../../web/api/types.js';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';

// As src/server/policy.ts grants delivery:read (kept here so the shell does not load the pages).
const readRoles: Role[] = ['admin', 'director', 'manager', 'logistics', 'executive'];
// delivery:write: who imports shipment files.
const importRoles: Role[] = ['admin', 'director', 'logistics'];

const page = (load: () => Promise<ComponentType>): ComponentType => {
  const Lazy = lazy(() => load().then((c) => ({ default: c })));
  return function DeliveryPage() { return <Suspense fallback={<Loading />}><Lazy /></Suspense>; };
};
const Tab = lazy(() => import('./account-delivery-tab.js').then((m) => ({ default: m.AccountDeliveryTab })));
function AccountDelivery({ accountId }: { accountId: string }) {
  return <Suspense fallback={<Loading />}><Tab accountId={accountId} /></Suspense>;
}

const feature: WebFeature = {
  routes: [
    { path: '/delivery', component: page(() => import('./dashboard-page.js').then((m) => m.DeliveryDashboardPage)), roles: readRoles },
    { path: '/delivery/import', component: page(() => import('./import-page.js').then((m) => m.DeliveryImportPage)), roles: importRoles },
    { path: '/portal/deliveries', component: page(() => import('./portal-deliveries-page.js').then((m) => m.PortalDeliveriesPage)), roles: ['dealer'] },
  ],
  nav: [
    { to: '/delivery', labelKey: 'delivery.nav', icon: <IconTruckDelivery size={18} />, roles: readRoles, order: 47 },
    { to: '/delivery/import', labelKey: 'delivery.import.nav', icon: <IconFileImport size={18} />, roles: importRoles, order: 81 },
  ],
  accountTabs: [{ value: 'delivery', labelKey: 'delivery.tab', icon: <IconTruckDelivery size={16} />, component: AccountDelivery, roles: readRoles }],
  kindIcons: { 'delivery.late': IconTruckDelivery, 'delivery-overdue': IconTruckDelivery },
};

export default feature;
