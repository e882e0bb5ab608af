import { Center, Loader } from '@mantine/core';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Navigate, Route, Routes, useLocation, useSearchParams } from 'react-router';
import { capabilities, useSession } from './session.js';
import { Layout } from './ui/layout.js';
import { SignInPage } from './pages/sign-in-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { ErrorState } from './ui/states.js';
import { allowedFor, features } from './features.js';
import { loadAccountPage, loadedAccountPage } from './pages/account-first-load.js';

// Heavier or rarely used pages load on demand: the map page pulls in Leaflet and the basemap.
// The page managers open most loads without Suspense: a suspended page shows no sooner than React's
// fallback throttle (about 300 ms) allows, and its code is usually here already (account-first-load).
function AccountPage() {
  const [page, setPage] = useState(loadedAccountPage);
  const [failed, setFailed] = useState<unknown>(null);
  useEffect(() => { if (!page) loadAccountPage().then(setPage, setFailed); }, [page]);
  if (failed) return <ErrorState error={failed} onRetry={() => window.location.reload()} />;
  return page ? <page.AccountPage /> : <PageLoader />;
}
// The home page and the accounts list load as chunks of their own, started at once for the page
// being opened (startShellPageEarly), so a visit downloads the code of the page it shows.
const loadHome = () => import('./pages/home-page.js');
const loadAccounts = () => import('./pages/accounts-page.js');
const HomePage = lazy(() => loadHome().then((m) => ({ default: m.HomePage })));
const AccountsPage = lazy(() => loadAccounts().then((m) => ({ default: m.AccountsPage })));

/** Starts loading the code of the page at `location` (home or the accounts list) while the app starts. */
export function startShellPageEarly(location: Pick<Location, 'pathname'>): void {
  if (location.pathname === '/') void loadHome();
  else if (location.pathname === '/accounts') void loadAccounts();
}
const ContactsPage = lazy(() => import('./pages/contacts-page.js').then((m) => ({ default: m.ContactsPage })));
const UsersPage = lazy(() => import('./pages/users-page.js').then((m) => ({ default: m.UsersPage })));
const AuditPage = lazy(() => import('./pages/audit-page.js').then((m) => ({ default: m.AuditPage })));
const ProfilePage = lazy(() => import('./pages/profile-page.js').then((m) => ({ default: m.ProfilePage })));

export function PageLoader() {
  return <Center h={240}><Loader aria-label="…" /></Center>;
}

/** Once signed in, the sign-in page forwards to where the user was going (a local path only). */
function AfterSignIn() {
  const [params] = useSearchParams();
  const next = params.get('next');
  return <Navigate to={next && next.startsWith('/') && !next.startsWith('//') ? next : '/'} replace />;
}

export function App() {
  const { me, loading } = useSession();
  const location = useLocation();
  if (loading) return <Center h="100vh"><Loader /></Center>;
  if (!me) {
    return (
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="*" element={<Navigate to={`/sign-in${location.pathname !== '/' ? `?next=${encodeURIComponent(location.pathname + location.search)}` : ''}`} replace />} />
      </Routes>
    );
  }
  const can = capabilities(me.role);
  return (
    <Layout>
      <Suspense fallback={<PageLoader />}>
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/sign-in" element={<AfterSignIn />} />
          <Route path="/accounts" element={can.staff ? <AccountsPage /> : <Navigate to={me.accountId ? `/accounts/${me.accountId}` : '/'} replace />} />
          <Route path="/accounts/:id" element={<AccountPage />} />
          {can.contacts && <Route path="/contacts" element={<ContactsPage />} />}
          {can.admin && <Route path="/admin/users" element={<UsersPage />} />}
          {can.audit && <Route path="/admin/audit" element={<AuditPage />} />}
          <Route path="/profile" element={<ProfilePage />} />
          {features.flatMap((f) => f.routes ?? []).filter((r) => allowedFor(me, r.roles)).map((r) => <Route key={r.path} path={r.path} element={<r.component />} />)}
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}
