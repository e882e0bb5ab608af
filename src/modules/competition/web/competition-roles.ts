import type { Role } from '../../../web/api/types.js';

// Who sees what of the competition pages, as src/server/policy.ts grants it (the server enforces the same).
// A file of its own: feature.tsx is in the first-load bundle and must not pull the pages' code in.

/** competitor:read and margin:read: staff who follow prices (never a dealer). */
export const readRoles: Role[] = ['admin', 'director', 'manager', 'executive'];
/** competitor:write: who records a competitor price and decides on an offer. */
export const writeRoles: Role[] = ['admin', 'director', 'manager'];
export const canWrite = (role: Role | undefined): boolean => !!role && writeRoles.includes(role);
