import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { accountRecordRoutes, type AccountRecordSpec } from '../../server/account-records.js';
import type { Deps } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { CreateTaskBody, Task, TaskStatus, UpdateTaskBody } from './tasks.contract.js';
import { tasksContribution } from './tasks.contributions.js';

type Body = Partial<z.infer<typeof CreateTaskBody>> & { status?: z.infer<typeof TaskStatus> };

export const taskSpec: AccountRecordSpec<Task, z.infer<typeof CreateTaskBody>, z.infer<typeof UpdateTaskBody>> = {
  table: 'tasks', entity: 'task', label: 'Task', path: '/api/v1/tasks', tag: 'tasks',
  readPolicy: 'activity:read', writePolicy: 'activity:write',
  item: Task, createBody: CreateTaskBody, updateBody: UpdateTaskBody,
  filters: {
    assigneeId: z.string().uuid().optional(),
    status: TaskStatus.optional(),
    dueBefore: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe('Due before this day (YYYY-MM-DD)'),
  },
  applyFilters: (q, f) => {
    if (f.assigneeId) q = q.where('tasks.assignee_id', '=', f.assigneeId);
    if (f.status) q = q.where('tasks.status', '=', f.status);
    if (f.dueBefore) q = q.where('tasks.due_date', '<', f.dueBefore);
    return q;
  },
  sorts: { createdAt: 'tasks.created_at', updatedAt: 'tasks.updated_at' },
  defaultSort: '-createdAt',
  searchColumns: ['title', 'notes'],
  toItem: (r) => ({
    id: r.id, accountId: r.account_id, title: r.title as string, notes: r.notes as string | null, assigneeId: r.assignee_id as string,
    dueDate: r.due_date as string | null, status: r.status as Task['status'], doneAt: r.done_at as string | null, doneBy: r.done_by as string | null,
    createdBy: r.created_by as string, createdAt: r.created_at as string, updatedAt: r.updated_at as string, version: r.version,
  }),
  // The assignee must be an active member of staff (not a dealer): someone who can do the work.
  check: async (ctx, body) => {
    const id = (body as Body).assigneeId;
    if (!id) return;
    const u = await ctx.db.kysely.selectFrom('users').select(['role', 'active']).where('id', '=', id).executeTakeFirst();
    if (!u || u.active !== 1 || u.role === 'dealer') {
      throw new AppError('invalid_request', 400, 'The task cannot be assigned to that person', { errors: [{ path: 'body.assigneeId', message: 'no active member of staff with this id' }] });
    }
  },
  toRow: (b: Body, ctx) => {
    const row: Record<string, unknown> = {};
    if ('accountId' in b) { row.created_by = ctx.actor.userId; row.status = 'open'; row.assignee_id = b.assigneeId ?? ctx.actor.userId; }
    else if (b.assigneeId !== undefined) row.assignee_id = b.assigneeId;
    if (b.title !== undefined) row.title = b.title;
    if (b.notes !== undefined) row.notes = b.notes;
    if (b.dueDate !== undefined) row.due_date = b.dueDate;
    if (b.status !== undefined) {
      row.status = b.status;
      // Done records who closed it and when; reopening clears both.
      row.done_at = b.status === 'done' ? ctx.clock.now().toISOString() : null;
      row.done_by = b.status === 'done' ? ctx.actor.userId : null;
    }
    return row;
  },
};

export async function tasksRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  deps.contributions.add(tasksContribution);
  await accountRecordRoutes(app, deps, taskSpec);
}
