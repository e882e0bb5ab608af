/** Lanes: the planner (lanes, a lane's month-by-month comparison, rates and rules) and the account's Lanes tab. */
import { IconCheck, IconRoute } from '@tabler/icons-react';
import { lazy, Suspense, type ComponentType } from 'react';
import type { Role } from '../../../web/api/types.js';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';

// As src/server/policy.ts grants delivery:read (kept here so the shell does not load the pages); the nav is for those who plan or approve.
const readRoles: Role[] = ['admin', 'director', 'manager', 'logistics', 'executive'];
const navRoles: Role[] = ['admin', 'director', 'manager', 'logistics'];

const page = (load: () => Promise<ComponentType>): ComponentType => {
  const Lazy = lazy(() => load().then((c) => ({ default: c })));
  return function LanesPage() { return <Suspense fallback={<Loading />}><Lazy /></Suspense>; };
};
const Tab = lazy(() => import('./account-lanes-tab.js').then((m) => ({ default: m.AccountLanesTab })));
function AccountLanes({ accountId }: { accountId: string }) {
  return <Suspense fallback={<Loading />}><Tab accountId={accountId} /></Suspense>;
}

const feature: WebFeature = {
  routes: [
    { path: '/lanes', component: page(() => import('./lanes-page.js').then((m) => m.LanesPage)), roles: readRoles },
    { path: '/lanes/:code', component: page(() => import('./lane-page.js').then((m) => m.LanePage)), roles: readRoles },
  ],
  nav: [{ to: '/lanes', labelKey: 'lanes.nav', icon: <IconRoute size={18} />, roles: navRoles, order: 55 }],
  accountTabs: [{ value: 'lanes', labelKey: 'lanes.tab', icon: <IconRoute size={16} />, component: AccountLanes, roles: readRoles }],
  kindIcons: { 'lane.rule-approved': IconCheck, 'lane-rule': IconRoute },
};

export default feature;
