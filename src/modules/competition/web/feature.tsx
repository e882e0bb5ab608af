/** Competition: competitor prices and their map, undercut alerts, the waterfall, the comparison of an offer, and the account's Competition tab. */
import { IconAlertTriangle, IconChartLine, IconGavel, IconScale, IconTag } from '@tabler/icons-react';
import { lazy, Suspense, type ComponentType } from 'react';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';
import { readRoles, writeRoles } from './competition-roles.js';

// Everything but this shell loads on demand: the first-load bundle is at its budget.
const page = (load: () => Promise<ComponentType>): ComponentType => {
  const Lazy = lazy(() => load().then((c) => ({ default: c })));
  return function CompetitionPage() { return <Suspense fallback={<Loading />}><Lazy /></Suspense>; };
};

const Tab = lazy(() => import('./account-tab.js').then((m) => ({ default: m.AccountCompetitionTab })));
function AccountCompetition({ accountId }: { accountId: string }) {
  return <Suspense fallback={<Loading />}><Tab accountId={accountId} /></Suspense>;
}

const feature: WebFeature = {
  routes: [
    { path: '/competition', component: page(() => import('./competition-page.js').then((m) => m.CompetitionPage)), roles: readRoles },
    { path: '/competition/record', component: page(() => import('./record-page.js').then((m) => m.RecordPage)), roles: writeRoles },
    { path: '/competition/compare', component: page(() => import('./compare-page.js').then((m) => m.ComparePage)), roles: readRoles },
    { path: '/competition/offers', component: page(() => import('./offers-page.js').then((m) => m.OffersPage)), roles: readRoles },
    { path: '/competition/offers/:id', component: page(() => import('./compare-page.js').then((m) => m.OfferPage)), roles: readRoles },
  ],
  nav: [
    { to: '/competition', labelKey: 'competition.nav', icon: <IconChartLine size={18} />, roles: readRoles, order: 50 },
  ],
  accountTabs: [
    { value: 'competition', labelKey: 'competition.tab', icon: <IconScale size={16} />, component: AccountCompetition, roles: readRoles },
  ],
  kindIcons: {
    'competition.observation': IconTag, 'competition.undercut': IconAlertTriangle, 'competition.decision': IconGavel, 'competition.outcome': IconScale,
    'undercut-alert': IconAlertTriangle,
  },
};

export default feature;
