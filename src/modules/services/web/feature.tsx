/** Value beyond price: the department queues, a request's page, the account Services tab, the dealer's requests and the services setup. */
import { IconArrowUpRight, IconCircleCheck, IconClockExclamation, IconHeadset, IconLifebuoy, IconSettingsCog, IconTruckDelivery } from '@tabler/icons-react';
import { lazy, Suspense, type ComponentType } from 'react';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';
import { adminRoles, queueRoles, staffRoles } from './services-roles.js';

// Everything but this shell loads on demand: the first-load bundle is at its budget.
const page = (load: () => Promise<ComponentType>): ComponentType => {
  const Lazy = lazy(() => load().then((c) => ({ default: c })));
  return function ServicesPage() { return <Suspense fallback={<Loading />}><Lazy /></Suspense>; };
};

const Tab = lazy(() => import('./account-services-tab.js').then((m) => ({ default: m.AccountServicesTab })));
function AccountServices({ accountId }: { accountId: string }) {
  return <Suspense fallback={<Loading />}><Tab accountId={accountId} /></Suspense>;
}

const feature: WebFeature = {
  routes: [
    { path: '/service/queue', component: page(() => import('./queue-page.js').then((m) => m.QueuePage)), roles: queueRoles },
    { path: '/service/requests/:id', component: page(() => import('./request-page.js').then((m) => m.RequestPage)), roles: staffRoles },
    { path: '/portal/requests', component: page(() => import('./portal-section.js').then((m) => m.PortalRequestsPage)), roles: ['dealer'] },
    { path: '/portal/requests/:id', component: page(() => import('./request-page.js').then((m) => m.PortalRequestPage)), roles: ['dealer'] },
    { path: '/services/admin', component: page(() => import('./admin-page.js').then((m) => m.AdminPage)), roles: adminRoles },
  ],
  nav: [
    { to: '/service/queue', labelKey: 'services.nav.queue', icon: <IconHeadset size={18} />, roles: queueRoles, order: 40 },
    { to: '/services/admin', labelKey: 'services.nav.admin', icon: <IconSettingsCog size={18} />, roles: adminRoles, order: 90 },
  ],
  accountTabs: [
    { value: 'services', labelKey: 'services.tab', icon: <IconLifebuoy size={16} />, component: AccountServices, roles: staffRoles },
  ],
  kindIcons: {
    'service.request': IconHeadset, 'service.resolved': IconCircleCheck, 'service.breach': IconClockExclamation, 'service.escalated': IconArrowUpRight,
    'service.delivered': IconTruckDelivery, 'service-request': IconHeadset,
  },
};

export default feature;
