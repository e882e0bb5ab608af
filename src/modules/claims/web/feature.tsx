/** Claims: the board, a claim's page, the account tab, and the dealer's own claims in the portal. */
import { IconCircleCheck, IconReceiptRefund, IconScale, IconAlertTriangle } from '@tabler/icons-react';
import { lazy, Suspense, type ComponentType } from 'react';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';
import { readRoles } from './claims-api.js';

const page = (load: () => Promise<ComponentType>): ComponentType => {
  const Lazy = lazy(() => load().then((c) => ({ default: c })));
  return function ClaimsPage() { return <Suspense fallback={<Loading />}><Lazy /></Suspense>; };
};
const Tab = lazy(() => import('./account-claims-tab.js').then((m) => ({ default: m.AccountClaimsTab })));
function AccountClaims({ accountId }: { accountId: string }) {
  return <Suspense fallback={<Loading />}><Tab accountId={accountId} /></Suspense>;
}

const feature: WebFeature = {
  routes: [
    { path: '/claims', component: page(() => import('./board-page.js').then((m) => m.ClaimsBoardPage)), roles: readRoles },
    { path: '/claims/:id', component: page(() => import('./claim-page.js').then((m) => m.ClaimPage)), roles: readRoles },
    { path: '/portal/claims', component: page(() => import('./portal-claims-page.js').then((m) => m.PortalClaimsPage)), roles: ['dealer'] },
    { path: '/portal/claims/:id', component: page(() => import('./claim-page.js').then((m) => m.PortalClaimPage)), roles: ['dealer'] },
  ],
  nav: [{ to: '/claims', labelKey: 'claims.nav', icon: <IconReceiptRefund size={18} />, roles: readRoles, order: 47 }],
  accountTabs: [{ value: 'claims', labelKey: 'claims.tab', icon: <IconReceiptRefund size={16} />, component: AccountClaims, roles: readRoles }],
  kindIcons: { 'claim.filed': IconReceiptRefund, 'claim.decided': IconScale, 'claim.credited': IconCircleCheck, claim: IconAlertTriangle },
};

export default feature;
