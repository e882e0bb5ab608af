/** Priority delivery in the peak season: truckloads reserved per plant or depot and week, and the orders against them. */
import { IconTruckDelivery } from '@tabler/icons-react';
import { lazy, Suspense } from 'react';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';
import { capacityRoles } from './capacity-roles.js';

const Page = lazy(() => import('./capacity-page.js').then((m) => ({ default: m.CapacityPage })));
function CapacityRoute() {
  return <Suspense fallback={<Loading />}><Page /></Suspense>;
}

const feature: WebFeature = {
  routes: [{ path: '/capacity', component: CapacityRoute, roles: capacityRoles }],
  nav: [{ to: '/capacity', labelKey: 'capacity.nav', icon: <IconTruckDelivery size={18} />, roles: capacityRoles, order: 65 }],
  kindIcons: { 'capacity.order': IconTruckDelivery, capacity: IconTruckDelivery },
};

export default feature;
