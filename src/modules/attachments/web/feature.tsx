import { IconPaperclip } from '@tabler/icons-react';
import { lazy, Suspense } from 'react';
import type { WebFeature } from '../../../web/features.js';
import { Loading } from '../../../web/ui/states.js';

const Tab = lazy(() => import('./attachments-tab.js').then((m) => ({ default: m.AttachmentsTab })));
function AttachmentsTabRoute({ accountId }: { accountId: string }) {
  return <Suspense fallback={<Loading />}><Tab accountId={accountId} /></Suspense>;
}

/** Files attached to the account (staff who read its activities; never the dealer portal). */
const feature: WebFeature = {
  accountTabs: [{ value: 'attachments', labelKey: 'attachments.tab', icon: <IconPaperclip size={16} />, component: AttachmentsTabRoute, roles: ['admin', 'director', 'manager', 'logistics', 'executive'] }],
  kindIcons: { attachment: IconPaperclip },
};

export default feature;
