import './visits.css';
import { IconCalendarWeek, IconChartBar, IconChecklist, IconListDetails, IconMapPin, IconRoute, IconCalendarTime, IconWand } from '@tabler/icons-react';
import { useIsFetching } from '@tanstack/react-query';
import { type ComponentType, lazy, type ReactNode, Suspense } from 'react';
import { Loading } from '../../../web/ui/states.js';
import type { WebFeature } from '../../../web/features.js';
import { approverRoles, programRoles } from './visits-roles.js';

// Pages load on demand: the route page pulls in Leaflet, the compliance page ECharts.
const WeekPlanPage = lazy(() => import('./week-plan-page.js').then((m) => ({ default: m.WeekPlanPage })));
const TodayPage = lazy(() => import('./today-page.js').then((m) => ({ default: m.TodayPage })));
const ChangesPage = lazy(() => import('./changes-page.js').then((m) => ({ default: m.ChangesPage })));
const RoutePage = lazy(() => import('./route-page.js').then((m) => ({ default: m.RoutePage })));
const PlansPage = lazy(() => import('./plans-page.js').then((m) => ({ default: m.PlansPage })));
const OptimiseWeekPage = lazy(() => import('./optimise-week-page.js').then((m) => ({ default: m.OptimiseWeekPage })));
const CompliancePage = lazy(() => import('./compliance-page.js').then((m) => ({ default: m.CompliancePage })));
/** Pages of the visit program share a scope for their styles (see visits.css), busy while data loads. */
function Scope({ name, children }: { name: string; children: ReactNode }) {
  const fetching = useIsFetching();
  return <div className="ok-visits" data-page={name} aria-busy={fetching > 0}>{children}</div>;
}

function scoped(name: string, Page: ComponentType): ComponentType {
  const Scoped = () => <Scope name={name}><Page /></Scope>;
  Scoped.displayName = `Visits(${Page.displayName ?? Page.name ?? 'Page'})`;
  return Scoped;
}

const LazyAccountTab = lazy(() => import('./account-visit-plan-tab.js').then((m) => ({ default: m.AccountVisitPlanTab })));
function AccountVisitPlanTab({ accountId }: { accountId: string }) {
  return <Scope name="account-tab"><Suspense fallback={<Loading />}><LazyAccountTab accountId={accountId} /></Suspense></Scope>;
}

/** Those with a visit program of their own (the phone's "today"). */
const fieldRoles = ['manager', 'director'] satisfies typeof programRoles;

/** The fixed visit program: week plan, today on the phone, slot changes, route map, compliance, the account's visit plan. */
const feature: WebFeature = {
  routes: [
    { path: '/today', component: scoped('today', TodayPage), roles: fieldRoles },
    { path: '/visits/week', component: scoped('week', WeekPlanPage), roles: programRoles },
    { path: '/visits/changes', component: scoped('changes', ChangesPage), roles: programRoles },
    { path: '/visits/route', component: scoped('route', RoutePage), roles: programRoles },
    { path: '/visits/compliance', component: scoped('compliance', CompliancePage), roles: programRoles },
    { path: '/visits/plans', component: scoped('plans', PlansPage), roles: programRoles },
    { path: '/visits/optimise', component: scoped('optimise', OptimiseWeekPage), roles: programRoles },
  ],
  nav: [
    { to: '/today', labelKey: 'visits.nav.today', icon: <IconMapPin size={18} />, roles: fieldRoles, order: 10 },
    { to: '/visits/week', labelKey: 'visits.nav.week', icon: <IconCalendarWeek size={18} />, roles: programRoles, order: 11 },
    { to: '/visits/plans', labelKey: 'visits.nav.plans', icon: <IconListDetails size={18} />, roles: programRoles, order: 11.5 },
    { to: '/visits/route', labelKey: 'visits.nav.route', icon: <IconRoute size={18} />, roles: programRoles, order: 12 },
    { to: '/visits/optimise', labelKey: 'visits.nav.optimise', icon: <IconWand size={18} />, roles: programRoles, order: 12.5 },
    { to: '/visits/changes', labelKey: 'visits.nav.approvals', icon: <IconChecklist size={18} />, roles: approverRoles, order: 13 },
    { to: '/visits/changes', labelKey: 'visits.nav.changes', icon: <IconChecklist size={18} />, roles: ['manager'], order: 13 },
    { to: '/visits/compliance', labelKey: 'visits.nav.compliance', icon: <IconChartBar size={18} />, roles: programRoles, order: 14 },
  ],
  accountTabs: [
    { value: 'visit-plan', labelKey: 'visits.account.tab', icon: <IconCalendarTime size={16} />, component: AccountVisitPlanTab, roles: programRoles },
  ],
};

export default feature;
