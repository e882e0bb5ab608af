// Who sees what of the module, kept apart from the pages so the navigation shell stays small.
import type { Role } from '../../../web/api/types.js';

/** Who sees the page (server: service:read); who reserves (capacity:plan); who places orders (service:write). */
export const capacityRoles: Role[] = ['admin', 'logistics', 'director', 'manager'];
