/**
 * The shipment file import page, for the delivery web feature (src/modules/delivery/web/feature.tsx,
 * written beside this): merge `deliveryImportRoute` into its `routes` and `deliveryImportNav` into
 * its `nav` (or show a button to /delivery/import on the delivery pages). Roles: those holding
 * delivery:write (admin, director, logistics).
 */
import { IconFileImport } from '@tabler/icons-react';
import { createElement, lazy, Suspense } from 'react';
import type { Role } from '../../../web/api/types.js';
import { Loading } from '../../../web/ui/states.js';

export const deliveryImportRoles: Role[] = ['admin', 'director', 'logistics'];
export const deliveryImportPath = '/delivery/import';

const Page = lazy(() => import('./import-page.js').then((m) => ({ default: m.DeliveryImportPage })));
function DeliveryImportRoute() {
  return createElement(Suspense, { fallback: createElement(Loading) }, createElement(Page));
}

export const deliveryImportRoute = { path: deliveryImportPath, component: DeliveryImportRoute, roles: deliveryImportRoles };
export const deliveryImportNav = { to: deliveryImportPath, labelKey: 'delivery.import.nav', icon: createElement(IconFileImport, { size: 18 }), roles: deliveryImportRoles, order: 81 };
