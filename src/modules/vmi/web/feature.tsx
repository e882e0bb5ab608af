/** VMI: the board, the suggested-order editor, the rep's stock count, the account's Inventory tab, and the dealer's orders to sign in the portal (decisions 030, 034, 035). */
import { IconBuildingWarehouse, IconClipboardList, IconPackages, IconSend, IconSignature, IconSignatureOff } from '@tabler/icons-react';
import { lazy, Suspense, type ComponentType } from 'react';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';
import { readRoles } from './vmi-api.js';

const page = (load: () => Promise<ComponentType>): ComponentType => {
  const Lazy = lazy(() => load().then((c) => ({ default: c })));
  return function VmiPage() { return <Suspense fallback={<Loading />}><Lazy /></Suspense>; };
};
const Tab = lazy(() => import('./account-inventory-tab.js').then((m) => ({ default: m.AccountInventoryTab })));
function AccountInventory({ accountId }: { accountId: string }) {
  return <Suspense fallback={<Loading />}><Tab accountId={accountId} /></Suspense>;
}

const feature: WebFeature = {
  routes: [
    { path: '/vmi', component: page(() => import('./board-page.js').then((m) => m.VmiBoardPage)), roles: readRoles },
    { path: '/vmi/drafts/:id', component: page(() => import('./draft-page.js').then((m) => m.DraftPage)), roles: readRoles },
    { path: '/vmi/accounts/:accountId/count', component: page(() => import('./count-page.js').then((m) => m.CountPage)), roles: readRoles },
    { path: '/portal/vmi/orders', component: page(() => import('./portal-orders-page.js').then((m) => m.PortalOrdersPage)), roles: ['dealer'] },
    { path: '/portal/vmi/orders/:id', component: page(() => import('./portal-orders-page.js').then((m) => m.PortalOrderPage)), roles: ['dealer'] },
  ],
  nav: [
    { to: '/vmi', labelKey: 'vmi.nav', icon: <IconBuildingWarehouse size={18} />, roles: readRoles, order: 56 },
    { to: '/portal/vmi/orders', labelKey: 'vmi.portal.nav', icon: <IconSignature size={18} />, roles: ['dealer'], order: 54 },
  ],
  accountTabs: [{ value: 'inventory', labelKey: 'vmi.tab', icon: <IconPackages size={16} />, component: AccountInventory, roles: readRoles }],
  kindIcons: { 'vmi-order': IconClipboardList, 'vmi.sent': IconSend, 'vmi.signed': IconSignature, 'vmi.rejected': IconSignatureOff, 'vmi.exceptions': IconBuildingWarehouse },
};

export default feature;
