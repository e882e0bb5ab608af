/** Price lists: the lists and their quantity breaks, the quote tester, and the account page's Prices tab. */
import { IconTags } from '@tabler/icons-react';
import { lazy, Suspense, type ComponentType } from 'react';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';
import { priceRoles } from './pricing-roles.js';

const page = (load: () => Promise<ComponentType>): ComponentType => {
  const Lazy = lazy(() => load().then((c) => ({ default: c })));
  return function PricingPage() { return <Suspense fallback={<Loading />}><Lazy /></Suspense>; };
};

const Tab = lazy(() => import('./account-prices-tab.js').then((m) => ({ default: m.AccountPricesTab })));
function AccountPrices({ accountId }: { accountId: string }) {
  return <Suspense fallback={<Loading />}><Tab accountId={accountId} /></Suspense>;
}

const feature: WebFeature = {
  routes: [
    { path: '/prices', component: page(() => import('./price-lists-page.js').then((m) => m.PriceListsPage)), roles: priceRoles },
    { path: '/prices/:id', component: page(() => import('./price-list-page.js').then((m) => m.PriceListPage)), roles: priceRoles },
  ],
  nav: [{ to: '/prices', labelKey: 'pricing.nav', icon: <IconTags size={18} />, roles: priceRoles, order: 66 }],
  accountTabs: [{ value: 'prices', labelKey: 'pricing.tab', icon: <IconTags size={16} />, component: AccountPrices, roles: priceRoles }],
};

export default feature;
