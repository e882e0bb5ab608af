import type { Role } from '../../../web/api/types.js';

// Who sees what of the services pages, as src/server/policy.ts grants it (the server enforces the same).
// A file of its own: feature.tsx is in the first-load bundle and must not pull the pages' code in.

/** Everyone inside the company (service:read). */
export const staffRoles: Role[] = ['admin', 'director', 'manager', 'logistics', 'executive', 'service'];
/** Who works a department's queue (service:queue). */
export const queueRoles: Role[] = ['admin', 'director', 'logistics', 'executive', 'service'];
/** The catalogue, entitlements and service levels (service:admin). */
export const adminRoles: Role[] = ['admin'];
export const canWorkQueue = (role: Role | undefined): boolean => !!role && queueRoles.includes(role);
