import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { api, sessionHint, setCsrfToken, setUnauthenticatedHandler } from './api/client.js';
import type { Locale, Me, Role } from './api/types.js';
import { applyLocale } from './i18n/i18n.js';

type Session = {
  me: Me | null;
  loading: boolean;
  signIn(email: string, password: string): Promise<Me>;
  signOut(): Promise<void>;
  setLocale(locale: Locale): Promise<void>;
  /** Forget the session locally (after sign-out everywhere or a 401). */
  forget(): void;
};

const SessionContext = createContext<Session | null>(null);
const ME_KEY = ['me'] as const;

export function SessionProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const meQuery = useQuery({
    queryKey: ME_KEY,
    queryFn: async () => (sessionHint.get() ? api<Me>('/auth/me') : null),
    staleTime: Infinity,
    retry: false,
  });
  const me = meQuery.isError ? null : (meQuery.data ?? null);

  useEffect(() => {
    setCsrfToken(me?.csrfToken ?? null);
    if (me) void applyLocale(me.locale);
  }, [me]);

  const forget = useCallback(() => {
    sessionHint.set(false);
    setCsrfToken(null);
    qc.setQueryData(ME_KEY, null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'config' });
  }, [qc]);

  useEffect(() => {
    setUnauthenticatedHandler(() => { if (sessionHint.get()) forget(); });
    return () => setUnauthenticatedHandler(null);
  }, [forget]);

  const value = useMemo<Session>(() => ({
    me,
    loading: meQuery.isPending,
    async signIn(email, password) {
      const m = await api<Me>('/auth/login', { method: 'POST', body: { email, password } });
      sessionHint.set(true);
      setCsrfToken(m.csrfToken);
      await applyLocale(m.locale);
      qc.setQueryData(ME_KEY, m);
      return m;
    },
    async signOut() {
      try { await api('/auth/logout', { method: 'POST' }); } finally { forget(); }
    },
    async setLocale(locale) {
      await applyLocale(locale);
      if (!me) return;
      qc.setQueryData(ME_KEY, await api<Me>('/auth/me', { method: 'PATCH', body: { locale } }));
      // Some answers are written in the reader's language (a warning's headline): fetch them again.
      await qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    },
    forget,
  }), [me, meQuery.isPending, qc, forget]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** What the signed-in role may see in the interface (the server enforces the same rules). */
export function capabilities(role: Role | undefined) {
  const staff = role !== undefined && role !== 'dealer';
  const field = role === 'admin' || role === 'director' || role === 'manager';
  return {
    /** Create and edit accounts and their teams, contacts and activities (server: account:create/write, contact:write, activity:write). */
    accountWrite: field,
    contactWrite: field,
    activityWrite: field,
    /** Sites: also logistics (site:write). */
    siteWrite: field || role === 'logistics',
    staff,
    contacts: staff,
    activities: staff,
    users: staff,
    admin: role === 'admin',
    audit: role === 'admin',
  };
}
