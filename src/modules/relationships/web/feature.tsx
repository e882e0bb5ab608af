/** Relationships: the account's Relationships tab (stakeholder map, gaps, key dates; decision 039). Staff only. */
import { IconAffiliate } from '@tabler/icons-react';
import { lazy, Suspense } from 'react';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';
import { readRoles } from './relationships-api.js';

const Tab = lazy(() => import('./account-relationships-tab.js').then((m) => ({ default: m.AccountRelationshipsTab })));
function AccountRelationships({ accountId }: { accountId: string }) {
  return <Suspense fallback={<Loading />}><Tab accountId={accountId} /></Suspense>;
}

const feature: WebFeature = {
  accountTabs: [{ value: 'relationships', labelKey: 'relationships.tab', icon: <IconAffiliate size={16} />, component: AccountRelationships, roles: readRoles }],
};

export default feature;
