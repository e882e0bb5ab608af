import { prefetchGets, sessionHint, toQuery } from '../api/client.js';

/** Timeline events per page on the account page. */
export const TIMELINE_PAGE = 30;

/** The requests the account page makes when it opens, in the form its components make them. */
export const accountPaths = {
  account: (id: string) => `/accounts/${id}`,
  facts: (id: string) => `/accounts/${id}/facts`,
  timeline: (id: string, q: { kind?: string; cursor?: string | null } = {}) => `/accounts/${id}/timeline${toQuery({ limit: TIMELINE_PAGE, kind: q.kind || undefined, cursor: q.cursor })}`,
};

type AccountPageModule = typeof import('./account-page.js');
let loaded: AccountPageModule | null = null;

/** Loads the account page's code (once); afterwards `loadedAccountPage` has it. */
export const loadAccountPage = (): Promise<AccountPageModule> => import('./account-page.js').then((m) => (loaded = m));

/** The account page's module when its code is already here, else null. */
export const loadedAccountPage = (): AccountPageModule | null => loaded;

/**
 * On a cold load of an account page (a link opened, a reload), starts its code and its first
 * requests at once instead of one after the other: the header and the timeline show sooner.
 */
export function startAccountPageEarly(location: Location): void {
  const id = /^\/accounts\/([0-9a-f-]{36})$/.exec(location.pathname)?.[1];
  if (!id || !sessionHint.get()) return;
  // A failure here is shown by the page itself when it asks again.
  loadAccountPage().catch(() => undefined);
  const tab = new URLSearchParams(location.search).get('tab');
  prefetchGets([accountPaths.account(id), accountPaths.facts(id), ...(!tab || tab === 'timeline' ? [accountPaths.timeline(id)] : [])]);
}
