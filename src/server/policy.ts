import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor, Role } from '../modules/auth/auth.domain.js';

/**
 * Authorisation in one place. Every route declares one permission (route config `policy`);
 * the policy plugin refuses a route without one. Record-level scoping of every query that
 * touches account data goes through `accountVisibleTo` below.
 */
export type Permission =
  | 'public' // no sign-in: login, health
  | 'self' // any signed-in user, about themselves
  | 'account:read'
  | 'account:create'
  | 'account:write'
  | 'contact:read'
  | 'contact:write'
  | 'site:read'
  | 'site:write'
  | 'activity:read'
  | 'activity:write'
  | 'product:read'
  | 'product:write'
  | 'user:read'
  | 'user:admin'
  | 'audit:read'
  | 'day:read' // one's day on the home page: what to do today, what waits, the team's and the business's figures (staff only, never the dealer portal)
  | 'visit:read' // call plans, routes, visits, compliance, calendar feeds (scoped by manager and account)
  | 'visit:write' // create plans and routes, request slot changes, check in/out, record outcomes
  | 'plan:approve' // approve or reject slot changes that need the director
  | 'sales:read' // revenue, rollups, segmentation and attention analytics (staff only, never the dealer portal)
  | 'import:run' // upload and follow imports; each upload route also requires the write permission of what it imports
  | 'hazard:read' // warnings, tracks, swaths, replay, site risk, insurance gaps, value at risk (scoped by account; never the dealer portal)
  | 'hazard:write' // upload warnings and tracks, edit site risk (inventory, insurance), re-run matching
  | 'hazard:admin' // configure polled CAP feeds and import the geocode polygon table
  | 'advisory:read' // advisories, value-protected ledger and one's own notifications (scoped by account)
  | 'advisory:write' // record contact, dealer decision, action and outcome of an advisory
  | 'service:read' // service catalogue, entitlements, balances, cost to serve, request lists (scoped by account and department; staff only)
  | 'service:request' // open requests and escalations, answer them, follow them (dealers: their own company's, from the portal)
  | 'service:queue' // work a department's queue: take, assign, escalate, change status (only requests of one's own department, unless admin)
  | 'service:write' // log a delivered service against an entitlement, place orders against reserved delivery capacity
  | 'capacity:plan' // reserve delivery capacity per depot and week for entitled accounts
  | 'service:admin' // the service catalogue, entitlements and service levels
  | 'price:read' // price lists and price lookups (staff only; a dealer is never shown another customer's prices)
  | 'price:write' // create, change and import price lists
  | 'rebate:read' // rebate agreements, accruals, attainment, settlements and credit notes (scoped by account; staff only)
  | 'rebate:write' // draft and change rebate agreements (a version from a date; above the approval threshold a director approves), and issue their settlements
  | 'rebate:approve' // approve agreements above the threshold; reverse settlements; recompute accruals
  | 'rebate:portal' // the dealer's own agreements: tier progress and credit notes, nothing internal
  | 'competitor:read' // competitor price observations, trends and undercut alerts (staff only)
  | 'competitor:write' // record a competitor price observation (from a visit, a dealer, an invoice photo)
  | 'margin:read' // pocket-price waterfalls, margins at risk and the concession-vs-value comparison (internal figures)
  | 'delivery:read' // order lines, shipments, OTIF, lateness, stock-outs, lane plans (scoped by account; staff only)
  | 'delivery:write' // import and change order lines, shipments and dealer stock reports (logistics, admin)
  | 'claim:read' // compensation claims and their evidence (scoped by account; staff only)
  | 'claim:write' // file a claim for a dealer, investigate it, attach evidence
  | 'claim:decide' // accept, partly accept or reject a claim and issue its credit note
  | 'lane:plan' // rate tables, lanes and proposed seasonal mode rules
  | 'lane:approve' // approve a seasonal mode rule: it becomes the lane's plan
  | 'delivery:portal' // the dealer's own deliveries and claims (file a claim, add evidence), nothing internal
  | 'vmi:read' // VMI settings, drafted orders with their arithmetic, the exceptions board (scoped by account; staff only)
  | 'vmi:write' // draft, edit, send and cancel VMI orders, count stock at a visit, change VMI settings (the account's manager and up, in scope)
  | 'vmi:portal' // the dealer's own VMI orders: read and sign (accept, change within bounds, reject), nothing internal
  | 'relationship:read' // stakeholder maps: roles in buying, stance, reporting lines, ties, owners, freshness, gaps (scoped by account; staff only, never the dealer portal)
  | 'relationship:write' // set a person's place on the map, record contact, tie people, record key dates and gifts
  | 'gift:approve'; // approve or decline a gift above the policy's limits

const staffRead: Permission[] = ['self', 'day:read', 'account:read', 'contact:read', 'site:read', 'activity:read', 'product:read', 'user:read', 'sales:read'];
const fieldWrite: Permission[] = ['account:create', 'account:write', 'contact:write', 'site:write', 'activity:write', 'import:run'];

// "Protect the dealer": staff who read accounts read hazards; those who act on them record advisories.
const hazardRead: Permission[] = ['hazard:read', 'advisory:read'];
const hazardAct: Permission[] = [...hazardRead, 'hazard:write', 'advisory:write'];

// Value beyond price: staff follow services and requests; department people work the queues.
const serviceUse: Permission[] = ['service:read', 'service:request', 'service:write'];
const queueWork: Permission[] = [...serviceUse, 'service:queue'];

// Price and rebates: staff read prices and agreements; field staff draft and record; directors approve and settle.
const priceRead: Permission[] = ['price:read', 'rebate:read', 'competitor:read'];
const priceField: Permission[] = [...priceRead, 'rebate:write', 'competitor:write', 'margin:read'];
const priceLead: Permission[] = [...priceField, 'price:write', 'rebate:approve'];

// Delivery: staff read it; the account's manager files, decides and settles its claims and approves its lanes' seasonal
// rules (scoped to the accounts they may write); logistics also imports shipments and plans lanes and rates.
const deliveryRead: Permission[] = ['delivery:read', 'claim:read'];
const deliveryField: Permission[] = [...deliveryRead, 'claim:write', 'claim:decide', 'lane:approve'];
const deliveryLead: Permission[] = [...deliveryField, 'delivery:write', 'lane:plan'];

// VMI: staff who read delivery read the drafted orders; the account's manager and up draft, edit and send them.
const vmiRead: Permission[] = ['vmi:read'];
const vmiWrite: Permission[] = [...vmiRead, 'vmi:write'];

// Relationships: those who look after accounts keep the map; executives read it before they meet people.
const relationshipKeep: Permission[] = ['relationship:read', 'relationship:write'];

const grants: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set<Permission>([...staffRead, ...fieldWrite, 'product:write', 'user:admin', 'audit:read', 'visit:read', 'visit:write', 'plan:approve', ...hazardAct, 'hazard:admin', ...queueWork, 'capacity:plan', 'service:admin', ...priceLead, ...deliveryLead, ...vmiWrite, ...relationshipKeep, 'gift:approve']),
  director: new Set<Permission>([...staffRead, ...fieldWrite, 'visit:read', 'visit:write', 'plan:approve', ...hazardAct, ...queueWork, ...priceLead, ...deliveryLead, ...vmiWrite, ...relationshipKeep, 'gift:approve']),
  manager: new Set<Permission>([...staffRead, ...fieldWrite, 'visit:read', 'visit:write', ...hazardAct, ...serviceUse, ...priceField, ...deliveryField, ...vmiWrite, ...relationshipKeep]),
  logistics: new Set<Permission>([...staffRead, 'site:write', 'product:write', 'import:run', ...hazardAct, ...queueWork, 'capacity:plan', 'price:read', ...deliveryLead, ...vmiRead]),
  executive: new Set<Permission>([...staffRead, 'visit:read', ...hazardRead, ...queueWork, ...priceRead, 'margin:read', ...deliveryRead, ...vmiRead, 'relationship:read']),
  // Department staff: their queue and the accounts it concerns; no sales figures, no visit program.
  service: new Set<Permission>(['self', 'day:read', 'account:read', 'contact:read', 'site:read', 'activity:read', 'product:read', 'user:read', ...queueWork]),
  // The dealer portal: its own account, its sites and the product catalogue, its own service requests and rebate progress; nothing internal.
  dealer: new Set<Permission>(['self', 'account:read', 'site:read', 'product:read', 'service:request', 'rebate:portal', 'delivery:portal', 'vmi:portal']),
};

/** Whether a role holds a permission ('public' is held by everyone, signed in or not). */
export function allows(role: Role | null, permission: Permission): boolean {
  if (permission === 'public') return true;
  return role !== null && grants[role].has(permission);
}

/** Roles that read every account (no record scoping). */
const readsAll: ReadonlySet<Role> = new Set(['admin', 'logistics', 'executive']);

/** Which accounts `accountVisibleTo` lets the actor see, in words a page can show: all, their teams', or their own. */
export function accountScopeOf(actor: Actor): 'all' | 'team' | 'own' | 'department' {
  return readsAll.has(actor.role) ? 'all' : actor.role === 'director' ? 'team' : actor.role === 'service' ? 'department' : 'own';
}

/**
 * SQL condition: the accounts a department's request queue concerns (those with a request in it).
 * Department staff see these accounts and no others.
 */
export function departmentAccounts(department: string | null | undefined, ref: Expression<unknown>): Expression<SqlBool> {
  if (!department) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`${ref} in (select sr.account_id from service_requests sr where sr.department = ${department})`;
}

/**
 * SQL condition: the account id in `column` is visible to the actor.
 * manager: accounts they own or are on the account team of; director: those of every member of the
 * teams they direct (and their own); admin, logistics, executive: all; dealer: only its own account;
 * department staff (service): the accounts with a request in their department's queue.
 */
export function accountVisibleTo(actor: Actor, column: string): Expression<SqlBool> {
  const ref = sql.ref(column);
  if (readsAll.has(actor.role)) return sql<SqlBool>`1 = 1`;
  if (actor.role === 'dealer') {
    return actor.accountId ? sql<SqlBool>`${ref} = ${actor.accountId}` : sql<SqlBool>`1 = 0`;
  }
  if (actor.role === 'service') return departmentAccounts(actor.department, ref);
  if (actor.role === 'director') {
    const members = sql`(select u.id from users u where u.team_id in (select t.id from teams t where t.director_id = ${actor.userId}) or u.id = ${actor.userId})`;
    return sql<SqlBool>`${ref} in (select a.id from accounts a where a.owner_id in ${members} union select at2.account_id from account_team at2 where at2.user_id in ${members})`;
  }
  return sql<SqlBool>`${ref} in (select a.id from accounts a where a.owner_id = ${actor.userId} union select at2.account_id from account_team at2 where at2.user_id = ${actor.userId})`;
}

/**
 * SQL condition: the account id in `column` is one the actor may change: an account they can see,
 * if their role may write accounts at all (admin: every account; director and manager: their
 * scope; logistics, executive and dealer: none). For writes that arrive in bulk (an import), where
 * no route permission is checked per record.
 */
export function accountWritableBy(actor: Actor, column: string): Expression<SqlBool> {
  return allows(actor.role, 'account:write') ? accountVisibleTo(actor, column) : sql<SqlBool>`1 = 0`;
}

/** SQL condition on a users.id column: the users whose records the actor may see as people (owners, team). */
export function userVisibleTo(actor: Actor, column: string): Expression<SqlBool> {
  const ref = sql.ref(column);
  if (actor.role === 'dealer') return sql<SqlBool>`${ref} = ${actor.userId}`;
  return sql<SqlBool>`1 = 1`;
}
