// service: department staff (quality, finance, technical…) who work their department's request queue.
export const roles = ['admin', 'director', 'manager', 'logistics', 'executive', 'service', 'dealer'] as const;
export type Role = (typeof roles)[number];

export type TokenScope = 'read' | 'read-write';

/** Who is calling: resolved once per request by the auth plugin. */
export type Actor = {
  userId: string;
  email: string;
  name: string;
  role: Role;
  teamId: string | null;
  /** For dealer portal users: the one account they belong to. */
  accountId: string | null;
  /** The department whose service queue the user works (src/modules/services), if any. */
  department?: string | null;
  locale: string;
  timeZone: string;
  via: 'session' | 'token';
  tokenScope?: TokenScope;
  csrfToken?: string;
};

export const actorLabel = (a: Actor | null): string => (a ? `${a.name} <${a.email}>` : 'system');

/**
 * The caller of scheduled jobs: sees every account (as an admin would), and is named "system"
 * in the audit log. Never resolved from a request.
 */
export const systemActor = (job: string): Actor => ({
  userId: 'system', email: `job:${job}`, name: 'system', role: 'admin', teamId: null, accountId: null,
  locale: 'en', timeZone: 'UTC', via: 'session',
});
