import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { accountRecordRoutes, type AccountRecordSpec } from '../../server/account-records.js';
import type { Deps } from '../../server/context.js';
import { CreateNoteBody, Note, UpdateNoteBody } from './notes.contract.js';
import { notesContribution } from './notes.contributions.js';

type Body = Partial<z.infer<typeof CreateNoteBody>>;

export const noteSpec: AccountRecordSpec<Note, z.infer<typeof CreateNoteBody>, z.infer<typeof UpdateNoteBody>> = {
  table: 'account_notes', entity: 'note', label: 'Note', path: '/api/v1/notes', tag: 'notes',
  readPolicy: 'activity:read', writePolicy: 'activity:write',
  item: Note, createBody: CreateNoteBody, updateBody: UpdateNoteBody,
  filters: { pinned: z.enum(['true', 'false']).optional() },
  applyFilters: (q, f) => (f.pinned ? q.where('account_notes.pinned', '=', f.pinned === 'true' ? 1 : 0) : q),
  sorts: { createdAt: 'account_notes.created_at' },
  defaultSort: '-createdAt',
  searchColumns: ['body'],
  toItem: (r) => ({
    id: r.id, accountId: r.account_id, authorId: r.author_id as string, body: r.body as string, pinned: r.pinned === 1,
    createdAt: r.created_at as string, updatedAt: r.updated_at as string, version: r.version,
  }),
  // A note is its author's words: only they (or a director or admin) may change or delete it.
  mayModify: (ctx, row) => row.author_id === ctx.actor.userId || ctx.actor.role === 'director' || ctx.actor.role === 'admin',
  toRow: (b: Body, ctx) => {
    const row: Record<string, unknown> = {};
    if ('accountId' in b) row.author_id = ctx.actor.userId;
    if (b.body !== undefined) row.body = b.body;
    if (b.pinned !== undefined) row.pinned = b.pinned ? 1 : 0;
    return row;
  },
};

export async function notesRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  deps.contributions.add(notesContribution);
  await accountRecordRoutes(app, deps, noteSpec);
}
