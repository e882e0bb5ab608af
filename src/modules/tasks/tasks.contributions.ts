import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Contribution, timelineBefore, type TimelineQuery } from '../../platform/contributions.js';
import type { AgendaItem, TimelineEvent } from '../../platform/contributions.contract.js';
import type { Ctx } from '../../server/context.js';
import { accountVisibleTo } from '../../server/policy.js';
import { addDays, isTimeZone, localDateOf } from '../../shared/time.js';

const CREATED = 'task:';
const DONE = 'task-done:';
const db = (ctx: Ctx) => ctx.db.kysely as Kysely<Database>;
const todayOf = (ctx: Ctx) => localDateOf(ctx.clock.now(), isTimeZone(ctx.actor.timeZone) ? ctx.actor.timeZone : 'UTC');

function base(ctx: Ctx) {
  return db(ctx).selectFrom('tasks')
    .leftJoin('users as assignee', 'assignee.id', 'tasks.assignee_id')
    .leftJoin('users as creator', 'creator.id', 'tasks.created_by')
    .leftJoin('users as closer', 'closer.id', 'tasks.done_by')
    .selectAll('tasks').select(['assignee.name as assignee_name', 'creator.name as creator_name', 'closer.name as closer_name'])
    .where(accountVisibleTo(ctx.actor, 'tasks.account_id'));
}

async function timeline(ctx: Ctx, accountId: string, q: TimelineQuery): Promise<TimelineEvent[]> {
  let created = base(ctx).where('tasks.account_id', '=', accountId).where(timelineBefore(CREATED, 'tasks.created_at', 'tasks.id', q.before));
  let done = base(ctx).where('tasks.account_id', '=', accountId).where('tasks.done_at', 'is not', null).where(timelineBefore(DONE, 'tasks.done_at', 'tasks.id', q.before));
  if (q.userId) { created = created.where('tasks.created_by', '=', q.userId); done = done.where('tasks.done_by', '=', q.userId); }
  const [c, d] = await Promise.all([
    created.orderBy('tasks.created_at', 'desc').orderBy('tasks.id', 'desc').limit(q.limit).execute(),
    done.orderBy('tasks.done_at', 'desc').orderBy('tasks.id', 'desc').limit(q.limit).execute(),
  ]);
  const link = { tab: 'tasks' };
  return [
    ...c.map((r): TimelineEvent => ({
      id: `${CREATED}${r.id}`, at: r.created_at, kind: 'task', module: 'tasks', accountId, actor: r.creator_name ? { id: r.created_by, name: r.creator_name } : null,
      titleKey: 'tasks.timeline.created', params: { title: r.title, assignee: r.assignee_name, due: r.due_date }, body: r.notes, link,
    })),
    ...d.map((r): TimelineEvent => ({
      id: `${DONE}${r.id}`, at: r.done_at!, kind: 'task', module: 'tasks', accountId, actor: r.closer_name && r.done_by ? { id: r.done_by, name: r.closer_name } : null,
      titleKey: 'tasks.timeline.done', params: { title: r.title }, body: null, status: 'ok', link,
    })),
  ];
}

/** Open tasks assigned to the caller: overdue now, due today, due in the next three days. */
async function agenda(ctx: Ctx): Promise<AgendaItem[]> {
  const today = todayOf(ctx);
  const rows = await base(ctx).innerJoin('accounts', 'accounts.id', 'tasks.account_id')
    .select(['accounts.code', 'accounts.name', 'accounts.name_en'])
    .where('tasks.assignee_id', '=', ctx.actor.userId).where('tasks.status', '=', 'open')
    .where('tasks.due_date', 'is not', null).where('tasks.due_date', '<=', addDays(today, 3))
    .orderBy('tasks.due_date').orderBy('tasks.id').limit(200).execute();
  return rows.map((r): AgendaItem => ({
    id: `${CREATED}${r.id}`, module: 'tasks', kind: 'task', urgency: r.due_date! < today ? 'now' : r.due_date === today ? 'today' : 'soon', at: null,
    titleKey: r.due_date! < today ? 'tasks.agenda.overdue' : 'tasks.agenda.due', params: { title: r.title, due: r.due_date },
    account: { id: r.account_id, code: r.code, name: r.name, nameEn: r.name_en }, siteId: null, flags: [], link: { to: `/accounts/${r.account_id}?tab=tasks` },
  }));
}

/** Tasks and next steps: open and overdue in the header, created and done on the timeline, due ones on the day. */
export const tasksContribution: Contribution = {
  module: 'tasks',
  facts: {
    permission: 'activity:read',
    async list(ctx, accountId) {
      const today = todayOf(ctx);
      const open = await base(ctx).where('tasks.account_id', '=', accountId).where('tasks.status', '=', 'open').execute();
      const overdue = open.filter((t) => t.due_date !== null && t.due_date < today).length;
      const dueToday = open.filter((t) => t.due_date === today).length;
      return [{
        id: 'tasks.open', module: 'tasks', labelKey: 'tasks.facts.open', order: 60, value: { kind: 'count', value: open.length },
        status: overdue ? 'act' : dueToday ? 'watch' : 'info',
        ...(overdue ? { noteKey: 'tasks.facts.overdue', noteParams: { count: overdue } } : dueToday ? { noteKey: 'tasks.facts.dueToday', noteParams: { count: dueToday } } : {}),
        link: { tab: 'tasks' },
      }];
    },
  },
  timeline: { permission: 'activity:read', kinds: ['task'], list: timeline },
  agenda: { permission: 'activity:read', list: agenda },
};
