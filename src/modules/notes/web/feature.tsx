import { IconNote } from '@tabler/icons-react';
import { lazy, Suspense } from 'react';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';

const Tab = lazy(() => import('./notes-tab.js').then((m) => ({ default: m.NotesTab })));
function NotesTabRoute({ accountId }: { accountId: string }) {
  return <Suspense fallback={<Loading />}><Tab accountId={accountId} /></Suspense>;
}

/** Internal notes on the account page (staff only; never the dealer portal). */
const feature: WebFeature = {
  accountTabs: [{ value: 'notes', labelKey: 'notes.tab', icon: <IconNote size={16} />, component: NotesTabRoute, roles: ['admin', 'director', 'manager', 'logistics', 'executive'] }],
};

export default feature;
