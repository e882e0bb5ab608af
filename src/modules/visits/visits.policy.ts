import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor, Role } from '../auth/auth.domain.js';
import { accountVisibleTo } from '../../server/policy.js';

/**
 * Who sees whose visit program. A manager: their own plans and visits; a director: those of the
 * members of the teams they direct (and their own); admin and executive: all. Every row also
 * stays within the account scope of `accountVisibleTo`.
 */
const readsAllVisits: ReadonlySet<Role> = new Set(['admin', 'executive']);

/** SQL condition on a users.id column: the managers whose visit program the actor may see. */
export function managerVisibleTo(actor: Actor, column: string): Expression<SqlBool> {
  const ref = sql.ref(column);
  if (readsAllVisits.has(actor.role)) return sql<SqlBool>`1 = 1`;
  if (actor.role === 'director') {
    return sql<SqlBool>`(${ref} = ${actor.userId} or ${ref} in (select u.id from users u where u.team_id in (select t.id from teams t where t.director_id = ${actor.userId})))`;
  }
  if (actor.role === 'manager') return sql<SqlBool>`${ref} = ${actor.userId}`;
  return sql<SqlBool>`1 = 0`;
}

/** SQL condition on a table with manager_id and account_id (call_plans, visits, call_plan_changes). */
export function programVisibleTo(actor: Actor, table: string): Expression<SqlBool> {
  return sql<SqlBool>`(${managerVisibleTo(actor, `${table}.manager_id`)} and ${accountVisibleTo(actor, `${table}.account_id`)})`;
}

/** A stand-in actor for scoping a query as another user would see it (feed owner, assigned manager). */
export const actorFor = (u: { id: string; email: string; name: string; role: string; team_id: string | null; account_id: string | null; locale: string; time_zone: string }): Actor => ({
  userId: u.id, email: u.email, name: u.name, role: u.role as Role, teamId: u.team_id, accountId: u.account_id, locale: u.locale, timeZone: u.time_zone, via: 'token',
});
