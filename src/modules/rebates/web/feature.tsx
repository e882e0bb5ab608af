/** Rebates: the agreements list and editor, an agreement's attainment and settlements, the credit note, the account tab and the dealer's progress. */
import { IconArrowBackUp, IconCheck, IconDiscount2, IconEdit, IconReceiptRefund } from '@tabler/icons-react';
import { lazy, Suspense, type ComponentType } from 'react';
import type { Role } from '../../../web/api/types.js';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';

// As src/server/policy.ts grants rebate:read and rebate:write (kept here so the shell does not load the pages).
const readRoles: Role[] = ['admin', 'director', 'manager', 'executive'];
const writeRoles: Role[] = ['admin', 'director', 'manager'];

const page = (load: () => Promise<ComponentType>): ComponentType => {
  const Lazy = lazy(() => load().then((c) => ({ default: c })));
  return function RebatesPage() { return <Suspense fallback={<Loading />}><Lazy /></Suspense>; };
};
const Tab = lazy(() => import('./account-rebates-tab.js').then((m) => ({ default: m.AccountRebatesTab })));
function AccountRebates({ accountId }: { accountId: string }) {
  return <Suspense fallback={<Loading />}><Tab accountId={accountId} /></Suspense>;
}

const feature: WebFeature = {
  routes: [
    { path: '/rebates', component: page(() => import('./agreements-page.js').then((m) => m.AgreementsPage)), roles: readRoles },
    { path: '/rebates/new', component: page(() => import('./agreement-editor.js').then((m) => m.AgreementEditorPage)), roles: writeRoles },
    { path: '/rebates/settlements/:id', component: page(() => import('./credit-note-page.js').then((m) => m.CreditNotePage)), roles: readRoles },
    { path: '/rebates/:id', component: page(() => import('./agreement-page.js').then((m) => m.AgreementPage)), roles: readRoles },
    { path: '/portal/rebates', component: page(() => import('./portal-rebates.js').then((m) => m.PortalRebatesPage)), roles: ['dealer'] },
  ],
  nav: [{ to: '/rebates', labelKey: 'rebates.nav', icon: <IconDiscount2 size={18} />, roles: readRoles, order: 45 }],
  accountTabs: [{ value: 'rebates', labelKey: 'rebates.tab', icon: <IconDiscount2 size={16} />, component: AccountRebates, roles: readRoles }],
  kindIcons: {
    'rebate.settled': IconReceiptRefund, 'rebate.reversed': IconArrowBackUp, 'rebate.changed': IconEdit, 'rebate.approved': IconCheck,
    'rebate-approval': IconCheck, 'rebate-tier': IconDiscount2,
  },
};

export default feature;
