/** "Protect the dealer": the hazard map, warnings, advisories, insurance gaps, replay and the account Risk tab. */
import { IconShieldCheck, IconTornado, IconUmbrella } from '@tabler/icons-react';
import { lazy, Suspense, type ComponentType } from 'react';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';
import { hazardRoles } from './hazards-roles.js';

// Pages load on demand: the map pulls in Leaflet and the basemap.
const page = (load: () => Promise<ComponentType>): ComponentType => {
  const Lazy = lazy(() => load().then((c) => ({ default: c })));
  return function HazardsPage() { return <Suspense fallback={<Loading />}><Lazy /></Suspense>; };
};

const RiskTab = lazy(() => import('./account-risk-tab.js').then((m) => ({ default: m.AccountRiskTab })));
function AccountRisk({ accountId }: { accountId: string }) {
  return <Suspense fallback={<Loading />}><RiskTab accountId={accountId} /></Suspense>;
}

const feature: WebFeature = {
  routes: [
    { path: '/hazards', component: page(() => import('./hazard-map-page.js').then((m) => m.HazardMapPage)), roles: hazardRoles },
    { path: '/hazards/warnings', component: page(() => import('./warnings-page.js').then((m) => m.WarningsPage)), roles: hazardRoles },
    { path: '/hazards/insurance', component: page(() => import('./insurance-page.js').then((m) => m.InsurancePage)), roles: hazardRoles },
    { path: '/hazards/replay', component: page(() => import('./replay-page.js').then((m) => m.ReplayPage)), roles: hazardRoles },
    { path: '/advisories', component: page(() => import('./advisories-page.js').then((m) => m.AdvisoriesPage)), roles: hazardRoles },
  ],
  nav: [
    { to: '/hazards', labelKey: 'hazards.nav.hazards', icon: <IconTornado size={18} />, roles: hazardRoles, order: 60 },
    { to: '/advisories', labelKey: 'hazards.nav.advisories', icon: <IconShieldCheck size={18} />, roles: hazardRoles, order: 61 },
  ],
  accountTabs: [
    { value: 'risk', labelKey: 'hazards.risk.tab', icon: <IconUmbrella size={16} />, component: AccountRisk, roles: hazardRoles },
  ],
};

export default feature;
