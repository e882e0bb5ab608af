/**
 * Requests and escalations into the departments: open (a manager, or the dealer in the portal), the
 * department's queue, take, answer, wait on the customer (the clock pauses), resolve, close, escalate;
 * the service-level clocks on the working calendar, and the job that warns, flags breaches and
 * escalates. Who sees what: `requestVisibleTo`. Every change is audited on the account.
 */
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { keyset, pageOf, parseSort } from '../../db/keyset.js';
import type { Ctx, Deps } from '../../server/context.js';
import { AppError, badRequest, notFound } from '../../server/errors.js';
import { accountVisibleTo, allows } from '../../server/policy.js';
import type { Actor } from '../auth/auth.domain.js';
import { systemActor } from '../auth/auth.domain.js';
import { recordAudit } from '../audit/audit.service.js';
import { notifyUsers } from '../hazards/advisories.service.js';
import { newId } from '../../shared/ids.js';
import type { z } from 'zod';
import type { OpenRequestBody, RequestEvent, RequestQuery, ServiceRequest } from './services.contract.js';
import {
  defaultTargets, departmentOfType, departments, isOpenStatus, MAX_ESCALATION, nextStatuses, requestNumber, WARNING_SHARE,
  type Department, type Priority, type RequestStatus, type RequestType, type SlaState,
} from './services.domain.js';
import { dueAt, workingMinutesBetween, type Interval, type WorkingCalendar } from './sla.domain.js';
import { balancesOn, COMPANY_TIME_ZONE, releaseForRequest, takeService } from './entitlements.service.js';
import { localDateOf } from '../../shared/time.js';
import type { ServiceRequestsTable } from './services.table.js';

type Q = Kysely<Database> | Transaction<Database>;
type Row = ServiceRequestsTable & { account_name: string; account_name_en: string | null; opener_name: string; assignee_name: string | null };

/** The service desk's context: the request context and the working calendar the clocks count in. */
export type DeskCtx = Ctx & { calendar: WorkingCalendar };

// ---------- who sees what ----------

/** Whether the actor works the queue of a department (admins work every queue). */
export const worksQueue = (actor: Actor, department: string): boolean =>
  actor.role === 'admin' || (allows(actor.role, 'service:queue') && actor.department === department);

/**
 * SQL condition on service_requests (alias sr): the requests the actor may see. Dealers: their own
 * company's requests opened from the portal. Department staff: their department's queue. Other
 * staff: requests of accounts they see, and their department's queue if they work one.
 */
export function requestVisibleTo(actor: Actor): Expression<SqlBool> {
  if (actor.role === 'dealer') {
    return actor.accountId ? sql<SqlBool>`(sr.account_id = ${actor.accountId} and sr.opened_via = 'portal')` : sql<SqlBool>`1 = 0`;
  }
  // Department staff see their department's requests only, not every request of the accounts they concern.
  if (actor.role === 'service') return actor.department ? sql<SqlBool>`sr.department = ${actor.department}` : sql<SqlBool>`1 = 0`;
  const own = accountVisibleTo(actor, 'sr.account_id');
  return actor.department ? sql<SqlBool>`(${own} or sr.department = ${actor.department})` : own;
}

function selectRequests(db: Q) {
  return db.selectFrom('service_requests as sr')
    .innerJoin('accounts as a', 'a.id', 'sr.account_id')
    .innerJoin('users as o', 'o.id', 'sr.opened_by')
    .leftJoin('users as asg', 'asg.id', 'sr.assignee_id')
    .selectAll('sr')
    .select(['a.name as account_name', 'a.name_en as account_name_en', 'o.name as opener_name', 'asg.name as assignee_name']);
}

const pausesOf = (r: Pick<ServiceRequestsTable, 'paused_json'>): { from: string; to: string }[] => JSON.parse(r.paused_json) as { from: string; to: string }[];
const intervals = (p: { from: string; to: string }[]): Interval[] => p.map((x) => ({ from: new Date(x.from), to: new Date(x.to) }));

/** The live SLA state of a request at `now` (the stored column lags by up to one check). */
function liveState(r: ServiceRequestsTable, now: string): SlaState {
  if (r.status === 'resolved' || r.status === 'closed') return r.sla_state === 'missed' || r.breached_at ? 'missed' : 'met';
  // While waiting on the customer the clock stands: the state is what it was when it stopped.
  if (r.status === 'waiting_customer') return r.sla_state === 'breached' || r.sla_state === 'warning' ? r.sla_state : 'ok';
  return now >= r.next_due_at ? 'breached' : now >= r.warn_at ? 'warning' : 'ok';
}

function toRequest(r: Row, cal: WorkingCalendar, now: Date): ServiceRequest {
  const nowIso = now.toISOString();
  const active = isOpenStatus(r.status as RequestStatus);
  let left: number | null = null;
  if (active) {
    // While waiting on the customer the clock stands: the time left is what was left when it stopped.
    const at = r.status === 'waiting_customer' && r.waiting_since ? new Date(r.waiting_since) : now;
    const due = new Date(r.next_due_at);
    left = at <= due ? workingMinutesBetween(cal, at, due) : -workingMinutesBetween(cal, due, at);
  }
  return {
    id: r.id, number: r.number, accountId: r.account_id, accountName: r.account_name, accountNameEn: r.account_name_en,
    type: r.type as RequestType, serviceKindId: r.service_kind_id, department: r.department as Department, priority: r.priority as Priority,
    subject: r.subject, body: r.body, status: r.status as RequestStatus,
    openedBy: { id: r.opened_by, name: r.opener_name }, openedVia: r.opened_via as 'staff' | 'portal',
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    escalationLevel: r.escalation_level, responseDueAt: r.response_due_at, resolutionDueAt: r.resolution_due_at,
    firstResponseAt: r.first_response_at, waitingSince: r.waiting_since, slaState: liveState(r, nowIso),
    workingMinutesLeft: left === null ? null : Math.round(left), resolvedAt: r.resolved_at,
    createdAt: r.created_at, updatedAt: r.updated_at, version: r.version,
  };
}

// ---------- clocks ----------

/** The due instants of a request from its start, targets and pauses; `responded`: the response target is met. */
export function clocksOf(cal: WorkingCalendar, r: { created_at: string; response_minutes: number; resolution_minutes: number; first_response_at: string | null }, pauses: Interval[]) {
  const start = new Date(r.created_at);
  const responseDue = dueAt(cal, start, r.response_minutes, pauses);
  const resolutionDue = dueAt(cal, start, r.resolution_minutes, pauses);
  const running = r.first_response_at ? { minutes: r.resolution_minutes, due: resolutionDue } : { minutes: r.response_minutes, due: responseDue };
  const warn = dueAt(cal, start, Math.floor(running.minutes * WARNING_SHARE), pauses);
  return {
    response_due_at: responseDue.toISOString(), resolution_due_at: resolutionDue.toISOString(),
    next_due_at: running.due.toISOString(), warn_at: warn.toISOString(),
  };
}

async function targetsOf(db: Q, type: RequestType, priority: Priority): Promise<{ response: number; resolution: number }> {
  const row = await db.selectFrom('service_levels').select(['response_minutes', 'resolution_minutes']).where('type', '=', type).where('priority', '=', priority).executeTakeFirst();
  return row ? { response: row.response_minutes, resolution: row.resolution_minutes } : defaultTargets[priority];
}

// ---------- reading ----------

async function findRow(db: Q, ctx: Ctx, id: string): Promise<Row | undefined> {
  return (await selectRequests(db).where('sr.id', '=', id).where(requestVisibleTo(ctx.actor)).executeTakeFirst()) as Row | undefined;
}

async function eventsOf(db: Q, ctx: Ctx, requestId: string): Promise<RequestEvent[]> {
  let q = db.selectFrom('service_request_events as e').leftJoin('users as u', 'u.id', 'e.author_id')
    .select(['e.id', 'e.kind', 'e.internal', 'e.body', 'e.from_status', 'e.to_status', 'e.author_id', 'e.at', 'u.name as author_name', 'u.role as author_role'])
    .where('e.request_id', '=', requestId);
  if (ctx.actor.role === 'dealer') q = q.where('e.internal', '=', 0);
  const rows = await q.orderBy('e.at').orderBy('e.id').execute();
  return rows.map((e) => ({
    id: e.id, kind: e.kind as RequestEvent['kind'], internal: e.internal === 1, body: e.body, fromStatus: e.from_status, toStatus: e.to_status,
    author: e.author_id ? { id: e.author_id, name: e.author_name ?? '', side: e.author_role === 'dealer' ? 'customer' : 'company' } : { id: 'system', name: 'OpenKAM', side: 'system' },
    at: e.at,
  }));
}

export async function getRequest(ctx: DeskCtx, id: string) {
  const r = await findRow(ctx.db.kysely, ctx, id);
  if (!r) throw notFound('Request');
  return { ...toRequest(r, ctx.calendar, ctx.clock.now()), events: await eventsOf(ctx.db.kysely, ctx, id) };
}

export async function listRequests(ctx: DeskCtx, q: z.infer<typeof RequestQuery>) {
  const now = ctx.clock.now().toISOString();
  let query = selectRequests(ctx.db.kysely).where(requestVisibleTo(ctx.actor));
  if (q.department) query = query.where('sr.department', '=', q.department);
  if (q.accountId) query = query.where('sr.account_id', '=', q.accountId);
  if (q.status === 'active') query = query.where('sr.status', 'in', ['open', 'in_progress', 'waiting_customer']);
  else if (q.status !== 'all') query = query.where('sr.status', '=', q.status);
  if (q.priority) query = query.where('sr.priority', '=', q.priority);
  if (q.assignee === 'me') query = query.where('sr.assignee_id', '=', ctx.actor.userId);
  if (q.assignee === 'none') query = query.where('sr.assignee_id', 'is', null);
  if (q.sla) {
    const running = sql<SqlBool>`sr.status in ('open', 'in_progress')`;
    if (q.sla === 'breached') query = query.where(sql<SqlBool>`((${running} and sr.next_due_at <= ${now}) or (sr.status = 'waiting_customer' and sr.sla_state = 'breached'))`);
    if (q.sla === 'warning') query = query.where(sql<SqlBool>`${running} and sr.warn_at <= ${now} and sr.next_due_at > ${now}`);
    if (q.sla === 'ok') query = query.where(sql<SqlBool>`sr.status in ('open', 'in_progress', 'waiting_customer') and sr.warn_at > ${now}`);
  }
  if (q.q) {
    const pat = `%${q.q.toLowerCase()}%`;
    query = query.where((eb) => eb.or([eb(eb.fn('lower', ['sr.subject']), 'like', pat), eb(eb.fn('lower', ['sr.number']), 'like', pat), eb(eb.fn('lower', ['a.name']), 'like', pat), eb(eb.fn('lower', ['a.name_en']), 'like', pat)]));
  }
  const sort = parseSort(q.sort, { due: 'sr.next_due_at', created: 'sr.created_at' }, 'due');
  const rows = (await keyset(query, sort, 'sr.id', q.cursor, q.limit).execute()) as Row[];
  const nowDate = ctx.clock.now();
  return pageOf(rows, q.limit, (r) => (sort.column === 'sr.next_due_at' ? r.next_due_at : r.created_at), (r) => r.id, (r) => toRequest(r, ctx.calendar, nowDate));
}

/** Per department: active requests, unassigned, due soon and overdue (the caller's visible ones). */
export async function queueSummary(ctx: Ctx) {
  const now = ctx.clock.now().toISOString();
  const rows = await ctx.db.kysely.selectFrom('service_requests as sr')
    .select((eb) => [
      'sr.department',
      eb.fn.countAll<number>().as('open'),
      sql<number>`sum(case when sr.assignee_id is null then 1 else 0 end)`.as('unassigned'),
      sql<number>`sum(case when sr.status <> 'waiting_customer' and sr.warn_at <= ${now} and sr.next_due_at > ${now} then 1 else 0 end)`.as('warning'),
      sql<number>`sum(case when (sr.status <> 'waiting_customer' and sr.next_due_at <= ${now}) or (sr.status = 'waiting_customer' and sr.sla_state = 'breached') then 1 else 0 end)`.as('breached'),
    ])
    .where('sr.status', 'in', ['open', 'in_progress', 'waiting_customer'])
    .where(requestVisibleTo(ctx.actor))
    .groupBy('sr.department').execute();
  const by = new Map(rows.map((r) => [r.department, r]));
  return {
    items: departments.map((d) => ({ department: d, open: Number(by.get(d)?.open ?? 0), unassigned: Number(by.get(d)?.unassigned ?? 0), warning: Number(by.get(d)?.warning ?? 0), breached: Number(by.get(d)?.breached ?? 0) })),
    mine: (ctx.actor.department as Department | null | undefined) ?? null,
  };
}

// ---------- writing ----------

async function addEvent(trx: Transaction<Database>, r: { id: string; account_id: string }, e: { kind: RequestEvent['kind']; internal: boolean; body?: string | null; from?: string | null; to?: string | null; authorId: string | null; at: string }) {
  await trx.insertInto('service_request_events').values({
    id: newId(), request_id: r.id, account_id: r.account_id, kind: e.kind, internal: e.internal ? 1 : 0, body: e.body ?? null,
    from_status: e.from ?? null, to_status: e.to ?? null, author_id: e.authorId === 'system' ? null : e.authorId, at: e.at,
  }).execute();
}

/** Active staff who work a department's queue. */
async function departmentStaff(db: Q, department: string): Promise<string[]> {
  return (await db.selectFrom('users').select('id').where('department', '=', department).where('active', '=', 1).where('role', '!=', 'dealer').execute()).map((u) => u.id);
}

async function accountOwner(db: Q, accountId: string): Promise<string | null> {
  return (await db.selectFrom('accounts').select('owner_id').where('id', '=', accountId).executeTakeFirst())?.owner_id ?? null;
}

async function nextNumber(trx: Transaction<Database>, year: number): Promise<string> {
  const prefix = `SR-${year}-`;
  const last = await trx.selectFrom('service_requests').select((eb) => eb.fn.max('number').as('n')).where('number', 'like', `${prefix}%`).executeTakeFirst();
  const n = last?.n ? Number(String(last.n).slice(prefix.length)) + 1 : 1;
  return requestNumber(year, n);
}

export async function openRequest(ctx: DeskCtx, body: z.infer<typeof OpenRequestBody>) {
  const db = ctx.db.kysely;
  const portal = ctx.actor.role === 'dealer';
  const accountId = portal ? ctx.actor.accountId : body.accountId;
  if (!accountId) throw badRequest('Say which account the request is for', [{ path: 'body.accountId', message: 'required' }]);
  const account = await db.selectFrom('accounts').select(['id', 'tier', 'owner_id', 'name']).where('id', '=', accountId).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
  if (!account) throw new AppError('not_found', 404, 'Account was not found', { errors: [{ path: 'body.accountId', message: 'no such account in your scope' }] });
  let department: Department;
  let kind: { id: string; department: string; name_en: string } | undefined;
  if (body.type === 'service') {
    if (!body.serviceKindId) throw badRequest('Say which service is asked for', [{ path: 'body.serviceKindId', message: 'required for a service request' }]);
    kind = await db.selectFrom('service_kinds').select(['id', 'department', 'name_en']).where('id', '=', body.serviceKindId).where('active', '=', 1).executeTakeFirst();
    if (!kind) throw badRequest('No such service in the catalogue', [{ path: 'body.serviceKindId', message: 'unknown or withdrawn service' }]);
    department = kind.department as Department;
  } else {
    if (body.serviceKindId) throw badRequest('Only a service request names a service', [{ path: 'body.serviceKindId', message: 'leave out, or use type "service"' }]);
    department = departmentOfType[body.type];
  }
  const targets = await targetsOf(db, body.type, body.priority);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const id = newId();
  const base = { created_at: at, response_minutes: targets.response, resolution_minutes: targets.resolution, first_response_at: null };
  const clocks = clocksOf(ctx.calendar, base, []);
  for (let attempt = 0; ; attempt++) {
    try {
      await db.transaction().execute(async (trx) => {
        const number = await nextNumber(trx, now.getUTCFullYear());
        const row: ServiceRequestsTable = {
          id, number, account_id: account.id, type: body.type, service_kind_id: kind?.id ?? null, department, priority: body.priority,
          subject: body.subject, body: body.body, status: 'open', opened_by: ctx.actor.userId, opened_via: portal ? 'portal' : 'staff',
          assignee_id: null, escalation_level: 1, ...base, ...clocks, waiting_since: null, paused_json: '[]', sla_state: 'ok',
          warned_at: null, breached_at: null, resolved_at: null, closed_at: null, updated_at: at, version: 1,
        };
        await trx.insertInto('service_requests').values(row).execute();
        await addEvent(trx, row, { kind: 'opened', internal: false, body: body.body, to: 'open', authorId: ctx.actor.userId, at });
        if (kind) {
          // A service asked for is taken from the entitlement now when it is consumed on request;
          // with nothing left the request still goes in, marked for the department to decide.
          const date = localDateOf(now, COMPANY_TIME_ZONE);
          const balances = await balancesOn(trx, { id: account.id, tier: account.tier }, date, kind.id);
          const pick = balances.find((b) => b.remaining >= 1);
          if (pick?.entitlement.consumedOn === 'request') {
            await takeService(trx, ctx, { accountId: account.id, serviceKindId: kind.id, quantity: 1, delivered: false, beyondEntitlement: false, requestId: id, reference: number });
          } else if (!pick) {
            await addEvent(trx, row, { kind: 'note', internal: true, body: `No entitlement to "${kind.name_en}" is left this period: delivering it is beyond entitlement (goodwill or charged).`, authorId: 'system', at });
          }
        }
        await recordAudit(trx, ctx, { action: 'service_request.open', entity: 'service_request', entityId: id, accountId: account.id, after: { number, type: body.type, priority: body.priority, subject: body.subject, department } });
        const notify = [...await departmentStaff(trx, department), ...(portal && account.owner_id ? [account.owner_id] : [])].filter((u) => u !== ctx.actor.userId);
        await notifyUsers(trx, at, notify, { kind: 'service.request', title: `${number}: ${body.subject}`, body: `${account.name} · ${department}`, entity: 'service_request', entityId: id });
      });
      break;
    } catch (err) {
      // Two requests opened at once may draw the same number: the second tries the next one.
      if (attempt < 3 && /unique|duplicate/i.test(String((err as Error).message)) && !(err instanceof AppError)) continue;
      throw err;
    }
  }
  return getRequest(ctx, id);
}

type Change = (trx: Transaction<Database>, r: Row, at: string) => Promise<Partial<ServiceRequestsTable> | null>;

/** Loads a visible request, checks the version, applies `change` in one transaction with audit. */
async function change(ctx: DeskCtx, id: string, version: number | null, action: string, fn: Change) {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const r = await findRow(trx, ctx, id);
    if (!r) throw notFound('Request');
    if (version !== null && r.version !== version) throw new AppError('precondition_failed', 412, 'The request was changed by someone else since you read it; reload and try again');
    const at = ctx.clock.now().toISOString();
    const set = await fn(trx, r, at);
    if (set) {
      const res = await trx.updateTable('service_requests').set({ ...set, updated_at: at, version: r.version + 1 }).where('id', '=', id).where('version', '=', r.version).executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new AppError('precondition_failed', 412, 'The request was changed by someone else since you read it; reload and try again');
    }
    await recordAudit(trx, ctx, { action, entity: 'service_request', entityId: id, accountId: r.account_id, before: { status: r.status, assignee: r.assignee_id, level: r.escalation_level }, after: set ?? {} });
  });
  return getRequest(ctx, id);
}

function assertWorks(ctx: Ctx, r: Row): void {
  if (!worksQueue(ctx.actor, r.department)) throw new AppError('forbidden', 403, `Only the ${r.department} department works this request`);
}

/** A pause ended now: add it to the list and recompute the due instants. */
function resumed(cal: WorkingCalendar, r: Row, at: string): Partial<ServiceRequestsTable> {
  const pauses = r.waiting_since ? [...pausesOf(r), { from: r.waiting_since, to: at }] : pausesOf(r);
  return { waiting_since: null, paused_json: JSON.stringify(pauses), ...clocksOf(cal, r, intervals(pauses)) };
}

export function addMessage(ctx: DeskCtx, id: string, body: { body: string; internal: boolean }) {
  const fromCustomer = ctx.actor.role === 'dealer';
  if (fromCustomer && body.internal) throw badRequest('A customer cannot write internal notes', [{ path: 'body.internal', message: 'must be false' }]);
  return change(ctx, id, null, body.internal ? 'service_request.note' : 'service_request.message', async (trx, r, at) => {
    if (r.status === 'closed') throw new AppError('invalid_state', 409, 'The request is closed; open a new one');
    await addEvent(trx, r, { kind: body.internal ? 'note' : 'message', internal: body.internal, body: body.body, authorId: ctx.actor.userId, at });
    let set: Partial<ServiceRequestsTable> | null = null;
    if (fromCustomer) {
      // The customer answered: the clock runs again.
      if (r.status === 'waiting_customer') {
        set = { status: 'in_progress', ...resumed(ctx.calendar, r, at) };
        await addEvent(trx, r, { kind: 'status', internal: false, from: r.status, to: 'in_progress', authorId: 'system', at });
      }
      const to = r.assignee_id ? [r.assignee_id] : await departmentStaff(trx, r.department);
      await notifyUsers(trx, at, to, { kind: 'service.message', title: `${r.number}: ${r.subject}`, body: body.body.slice(0, 200), entity: 'service_request', entityId: r.id });
    } else if (!body.internal) {
      // The first answer to the customer from the company meets the response target.
      if (!r.first_response_at) {
        const responded = { ...r, first_response_at: at };
        set = { first_response_at: at, ...clocksOf(ctx.calendar, responded, intervals(pausesOf(r))) };
      }
      const opener = await trx.selectFrom('users').select(['id', 'role']).where('id', '=', r.opened_by).executeTakeFirst();
      const to = [opener?.id, await accountOwner(trx, r.account_id)].filter((u): u is string => !!u && u !== ctx.actor.userId);
      await notifyUsers(trx, at, to, { kind: 'service.message', title: `${r.number}: ${r.subject}`, body: body.body.slice(0, 200), entity: 'service_request', entityId: r.id });
    }
    return set;
  });
}

export function setStatus(ctx: DeskCtx, id: string, body: { status: RequestStatus; note: string | null; version: number }) {
  return change(ctx, id, body.version, `service_request.${body.status}`, async (trx, r, at) => {
    const from = r.status as RequestStatus;
    if (from === body.status) throw new AppError('no_change', 409, `The request is already ${from.replace('_', ' ')}`);
    if (!nextStatuses[from].includes(body.status)) throw new AppError('invalid_transition', 409, `A request that is ${from.replace('_', ' ')} cannot become ${body.status.replace('_', ' ')}`);
    // The requester's side may close a resolved request, reopen it, or withdraw its own request; the department does the rest.
    const requesterMay = (from === 'resolved' && (body.status === 'closed' || body.status === 'in_progress')) || (body.status === 'closed' && r.opened_by === ctx.actor.userId);
    if (!worksQueue(ctx.actor, r.department) && !requesterMay) throw new AppError('forbidden', 403, `Only the ${r.department} department can set this request to ${body.status.replace('_', ' ')}`);
    let set: Partial<ServiceRequestsTable> = { status: body.status };
    if (from === 'waiting_customer') set = { ...set, ...resumed(ctx.calendar, r, at) };
    if (body.status === 'waiting_customer') set.waiting_since = at;
    if (body.status === 'resolved') {
      set.resolved_at = at;
      set.sla_state = at <= r.resolution_due_at && !r.breached_at ? 'met' : 'missed';
    }
    if (from === 'resolved' && body.status === 'in_progress') { set.resolved_at = null; set.sla_state = r.breached_at ? 'breached' : 'ok'; }
    if (body.status === 'closed') {
      set.closed_at = at;
      if (!r.resolved_at) { set.sla_state = r.breached_at ? 'missed' : 'met'; await releaseForRequest(trx, ctx, r.id); }
    }
    await addEvent(trx, r, { kind: 'status', internal: false, body: body.note, from, to: body.status, authorId: ctx.actor.userId, at });
    if (body.status === 'resolved' || body.status === 'waiting_customer') {
      const to = [r.opened_by, await accountOwner(trx, r.account_id)].filter((u): u is string => !!u && u !== ctx.actor.userId);
      await notifyUsers(trx, at, to, { kind: 'service.status', title: `${r.number}: ${body.status === 'resolved' ? 'resolved' : 'waiting for your answer'}`, body: body.note ?? r.subject, entity: 'service_request', entityId: r.id });
    }
    return set;
  });
}

export function takeRequest(ctx: DeskCtx, id: string, version: number) {
  return change(ctx, id, version, 'service_request.take', async (trx, r, at) => {
    assertWorks(ctx, r);
    if (!isOpenStatus(r.status as RequestStatus)) throw new AppError('invalid_state', 409, 'Only an open request can be taken');
    if (r.assignee_id === ctx.actor.userId) throw new AppError('no_change', 409, 'You have this request already');
    await addEvent(trx, r, { kind: 'assigned', internal: true, body: ctx.actor.name, authorId: ctx.actor.userId, at });
    return { assignee_id: ctx.actor.userId, ...(r.status === 'open' ? { status: 'in_progress' } : {}) };
  });
}

export function assignRequest(ctx: DeskCtx, id: string, body: { assigneeId: string | null; version: number }) {
  return change(ctx, id, body.version, 'service_request.assign', async (trx, r, at) => {
    assertWorks(ctx, r);
    let name = 'queue';
    if (body.assigneeId) {
      const u = await trx.selectFrom('users').select(['id', 'name', 'department', 'active', 'role']).where('id', '=', body.assigneeId).executeTakeFirst();
      if (!u || u.active !== 1 || u.role === 'dealer' || (u.department !== r.department && u.role !== 'admin')) {
        throw badRequest(`The request can only be assigned to someone in the ${r.department} department`, [{ path: 'body.assigneeId', message: 'no active member of that department' }]);
      }
      name = u.name;
      await notifyUsers(trx, at, [u.id].filter((x) => x !== ctx.actor.userId), { kind: 'service.assigned', title: `${r.number}: ${r.subject}`, body: 'assigned to you', entity: 'service_request', entityId: r.id });
    }
    await addEvent(trx, r, { kind: 'assigned', internal: true, body: name, authorId: ctx.actor.userId, at });
    return { assignee_id: body.assigneeId };
  });
}

/** Who hears of an escalation to `level`: the department; then the account's director; then management. */
async function escalationAudience(db: Q, r: Row, level: number): Promise<string[]> {
  const out = [...await departmentStaff(db, r.department)];
  if (level >= 2) {
    const directors = await db.selectFrom('accounts as a').innerJoin('users as u', 'u.id', 'a.owner_id').innerJoin('teams as t', 't.id', 'u.team_id')
      .select('t.director_id').where('a.id', '=', r.account_id).execute();
    out.push(...directors.map((d) => d.director_id).filter((d): d is string => !!d));
    const owner = await accountOwner(db, r.account_id);
    if (owner) out.push(owner);
  }
  if (level >= 3) out.push(...await departmentStaff(db, 'management'), ...(await db.selectFrom('users').select('id').where('role', '=', 'executive').where('active', '=', 1).execute()).map((u) => u.id));
  return out;
}

export function escalateRequest(ctx: DeskCtx, id: string, body: { note: string; version: number }) {
  return change(ctx, id, body.version, 'service_request.escalate', async (trx, r, at) => {
    if (!isOpenStatus(r.status as RequestStatus)) throw new AppError('invalid_state', 409, 'Only an open request can be escalated');
    if (r.escalation_level >= MAX_ESCALATION) throw new AppError('invalid_state', 409, 'The request is at the highest level already (management)');
    const level = r.escalation_level + 1;
    await addEvent(trx, r, { kind: 'escalated', internal: true, body: body.note, to: String(level), authorId: ctx.actor.userId, at });
    await notifyUsers(trx, at, (await escalationAudience(trx, r, level)).filter((u) => u !== ctx.actor.userId), { kind: 'service.escalated', title: `${r.number} escalated to level ${level}`, body: body.note, entity: 'service_request', entityId: r.id });
    return { escalation_level: level };
  });
}

// ---------- the clock job ----------

/**
 * Checks the service-level clocks: a running request past its warning instant is flagged "due soon"
 * (the assignee or the department hears of it), one past its due instant is breached and escalated
 * one level (the next level hears of it). Each transition happens once.
 */
export async function checkClocks(deps: Deps): Promise<{ warned: number; breached: number }> {
  const ctx = { ...deps, actor: systemActor('sla-check'), requestId: 'sla-check' };
  const now = deps.clock.now().toISOString();
  const db = deps.db.kysely;
  const due = await selectRequests(db).where('sr.status', 'in', ['open', 'in_progress'])
    .where((eb) => eb.or([eb.and([eb('sr.sla_state', '=', 'ok'), eb('sr.warn_at', '<=', now)]), eb.and([eb('sr.sla_state', 'in', ['ok', 'warning']), eb('sr.next_due_at', '<=', now)])]))
    .limit(5000).execute() as Row[];
  let warned = 0, breached = 0;
  for (const r of due) {
    const breach = r.next_due_at <= now;
    await db.transaction().execute(async (trx) => {
      const res = await trx.updateTable('service_requests')
        .set(breach
          ? { sla_state: 'breached', breached_at: now, escalation_level: Math.min(MAX_ESCALATION, r.escalation_level + 1), updated_at: now, version: r.version + 1 }
          : { sla_state: 'warning', warned_at: now, updated_at: now, version: r.version + 1 })
        .where('id', '=', r.id).where('version', '=', r.version).executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return; // changed meanwhile: the next check sees it
      const target = r.first_response_at ? 'resolution' : 'response';
      await addEvent(trx, r, { kind: breach ? 'sla_breach' : 'sla_warning', internal: true, body: `${target} due ${r.next_due_at}`, authorId: 'system', at: now });
      const audience = breach ? await escalationAudience(trx, r, Math.min(MAX_ESCALATION, r.escalation_level + 1)) : r.assignee_id ? [r.assignee_id] : await departmentStaff(trx, r.department);
      await notifyUsers(trx, now, audience, { kind: breach ? 'service.breach' : 'service.warning', title: `${r.number}: ${breach ? `${target} target missed` : `${target} due soon`}`, body: r.subject, entity: 'service_request', entityId: r.id });
      await recordAudit(trx, ctx, { action: breach ? 'service_request.breach' : 'service_request.warning', entity: 'service_request', entityId: r.id, accountId: r.account_id, after: { target, dueAt: r.next_due_at } });
    });
    if (breach) breached++; else warned++;
  }
  return { warned, breached };
}
