// Who sees what of the module, kept apart from the pages so the navigation shell stays small.
import type { Role } from '../../../web/api/types.js';

/** Roles holding import:run (src/server/policy.ts). */
export const importRoles: Role[] = ['admin', 'director', 'manager', 'logistics'];
/** Roles holding sales:read: every staff role, never the dealer portal. */
export const salesReadRoles: Role[] = ['admin', 'director', 'manager', 'logistics', 'executive'];
