// Who sees what of the module, kept apart from the pages so the navigation shell stays small.
import type { Role } from '../../../web/api/types.js';

/** Roles holding hazard:read / advisory:read (src/server/policy.ts); dealers have none. */
export const hazardRoles: Role[] = ['admin', 'director', 'manager', 'logistics', 'executive'];
/** Roles holding hazard:write and advisory:write. */
export const hazardWriteRoles: Role[] = ['admin', 'director', 'manager', 'logistics'];
