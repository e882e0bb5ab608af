// Who sees what of the module, kept apart from the pages so the navigation shell stays small.
import type { Me } from '../../../web/api/types.js';

/** Roles that have a visit program or oversee one (the server scopes what each sees). */
export const programRoles: Me['role'][] = ['admin', 'director', 'manager', 'executive'];
/** Roles that decide on slot changes. */
export const approverRoles: Me['role'][] = ['admin', 'director'];
