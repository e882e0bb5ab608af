import { IconChecklist } from '@tabler/icons-react';
import { lazy, Suspense } from 'react';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';

const Tab = lazy(() => import('./tasks-tab.js').then((m) => ({ default: m.TasksTab })));
function TasksTabRoute({ accountId }: { accountId: string }) {
  return <Suspense fallback={<Loading />}><Tab accountId={accountId} /></Suspense>;
}

/** Tasks and next steps on the account page (staff who read activities). */
const feature: WebFeature = {
  accountTabs: [{ value: 'tasks', labelKey: 'tasks.tab', icon: <IconChecklist size={16} />, component: TasksTabRoute, roles: ['admin', 'director', 'manager', 'logistics', 'executive'] }],
};

export default feature;
