import type { Role } from '../../../web/api/types.js';

// Who sees what of the price pages, as src/server/policy.ts grants it (the server enforces the same).
// A file of its own: feature.tsx is in the first-load bundle and must not pull the pages' code in.

/** price:read: staff who read prices (never a dealer, never department staff). */
export const priceRoles: Role[] = ['admin', 'director', 'manager', 'logistics', 'executive'];
/** price:write: who creates, changes and imports price lists. */
export const canWritePrices = (role: Role | undefined): boolean => role === 'admin' || role === 'director';
