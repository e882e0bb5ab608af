import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { keyset, pageOf as pageRows, parseSort } from '../db/keyset.js';
import { recordAudit } from '../modules/audit/audit.service.js';
import { newId } from '../shared/ids.js';
import { ctxOf, type Ctx, type Deps } from './context.js';
import { AppError, notFound } from './errors.js';
import { expectedVersion, idParams, pageOf, withEtag } from './http.js';
import { accountVisibleTo, type Permission } from './policy.js';

type Row = Record<string, unknown> & { id: string; account_id: string; version: number };

/**
 * Records that belong to one account (contacts, sites, activities…) share one shape:
 * visible through the account's scope, versioned, audited. A spec names the table and maps rows.
 */
export type AccountRecordSpec<T extends { id: string; version: number }, C extends { accountId: string }, U> = {
  table: 'contacts' | 'sites' | 'activities' | 'tasks' | 'account_notes';
  entity: string;
  label: string;
  path: string;
  tag: string;
  readPolicy: Permission;
  writePolicy: Permission;
  item: z.ZodType<T>;
  createBody: z.ZodType<C>;
  updateBody: z.ZodType<U>;
  /** Extra list filters: query schema fields and how they narrow the query. */
  filters?: z.ZodRawShape;
  applyFilters?: (q: any, query: Record<string, unknown>) => any;
  sorts: Record<string, string>;
  defaultSort: string;
  searchColumns: string[];
  toItem(row: Row): T;
  toRow(body: C | U, ctx: Ctx): Record<string, unknown>;
  /** Extra rule for changing or deleting a record the caller can see (e.g. only its author). */
  mayModify?: (ctx: Ctx, row: Row) => boolean;
  /** Why a record may not be changed or deleted at all (it follows another record), or null. Answered 409. */
  locked?: (row: Row) => string | null;
  /** Checks that need the database (e.g. an assignee who exists), before a create or an update is written. */
  check?: (ctx: Ctx, body: C | U) => Promise<void>;
};

export function accountRecordService<T extends { id: string; version: number }, C extends { accountId: string }, U>(spec: AccountRecordSpec<T, C, U>) {
  const t = spec.table;
  const db = (ctx: Ctx) => ctx.db.kysely as unknown as Kysely<any>;
  const scoped = (ctx: Ctx) => db(ctx).selectFrom(t).selectAll(t).where(accountVisibleTo(ctx.actor, `${t}.account_id`));
  const find = async (ctx: Ctx, id: string): Promise<Row | undefined> => (await scoped(ctx).where(`${t}.id`, '=', id).executeTakeFirst()) as Row | undefined;

  const assertMayModify = (ctx: Ctx, row: Row): void => {
    if (spec.mayModify && !spec.mayModify(ctx, row)) throw new AppError('forbidden', 403, `Only its author or a director can change this ${spec.label.toLowerCase()}`);
    const locked = spec.locked?.(row);
    if (locked) throw new AppError('locked', 409, locked);
  };

  async function assertAccountVisible(ctx: Ctx, accountId: string): Promise<void> {
    const ok = await db(ctx).selectFrom('accounts').select('id').where('id', '=', accountId).where(accountVisibleTo(ctx.actor, 'accounts.id')).executeTakeFirst();
    if (!ok) throw new AppError('not_found', 404, 'Account was not found', { errors: [{ path: 'body.accountId', message: 'no such account in your scope' }] });
  }

  return {
    async list(ctx: Ctx, q: { limit: number; cursor?: string; sort?: string; q?: string; accountId?: string } & Record<string, unknown>) {
      const sort = parseSort(q.sort, spec.sorts, spec.defaultSort);
      let query = scoped(ctx);
      if (q.accountId) query = query.where(`${t}.account_id`, '=', q.accountId);
      if (q.q) {
        const pat = `%${q.q.toLowerCase()}%`;
        query = query.where((eb: any) => eb.or(spec.searchColumns.map((c) => eb(eb.fn('lower', [`${t}.${c}`]), 'like', pat))));
      }
      if (spec.applyFilters) query = spec.applyFilters(query, q);
      const rows = (await keyset(query, sort, `${t}.id`, q.cursor, q.limit).execute()) as Row[];
      const key = sort.column.split('.').pop()!;
      return pageRows(rows, q.limit, (r) => r[key], (r) => r.id, spec.toItem);
    },
    async get(ctx: Ctx, id: string): Promise<T> {
      const r = await find(ctx, id);
      if (!r) throw notFound(spec.label);
      return spec.toItem(r);
    },
    async create(ctx: Ctx, body: C): Promise<T> {
      await assertAccountVisible(ctx, body.accountId);
      await spec.check?.(ctx, body);
      const now = ctx.clock.now().toISOString();
      const row = { id: newId(), account_id: body.accountId, ...spec.toRow(body, ctx), created_at: now, updated_at: now, version: 1 };
      await ctx.db.kysely.transaction().execute(async (trx) => {
        await (trx as unknown as Kysely<any>).insertInto(t).values(row).execute();
        await recordAudit(trx, ctx, { action: 'create', entity: spec.entity, entityId: row.id, accountId: body.accountId, after: body });
      });
      return this.get(ctx, row.id);
    },
    async update(ctx: Ctx, id: string, version: number, body: U): Promise<T> {
      const before = await find(ctx, id);
      if (!before) throw notFound(spec.label);
      assertMayModify(ctx, before);
      await spec.check?.(ctx, body);
      await ctx.db.kysely.transaction().execute(async (trx) => {
        const r = await (trx as unknown as Kysely<any>).updateTable(t)
          .set({ ...spec.toRow(body, ctx), updated_at: ctx.clock.now().toISOString(), version: version + 1 })
          .where('id', '=', id).where('version', '=', version).executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) throw new AppError('precondition_failed', 412, `The ${spec.label.toLowerCase()} was changed by someone else since you read it; reload and try again`);
        await recordAudit(trx, ctx, { action: 'update', entity: spec.entity, entityId: id, accountId: before.account_id, before: spec.toItem(before), after: body });
      });
      return this.get(ctx, id);
    },
    async remove(ctx: Ctx, id: string, version: number): Promise<void> {
      const before = await find(ctx, id);
      if (!before) throw notFound(spec.label);
      assertMayModify(ctx, before);
      await ctx.db.kysely.transaction().execute(async (trx) => {
        const r = await (trx as unknown as Kysely<any>).deleteFrom(t).where('id', '=', id).where('version', '=', version).executeTakeFirst();
        if (Number(r.numDeletedRows) !== 1) throw new AppError('precondition_failed', 412, `The ${spec.label.toLowerCase()} was changed by someone else since you read it; reload and try again`);
        await recordAudit(trx, ctx, { action: 'delete', entity: spec.entity, entityId: id, accountId: before.account_id, before: spec.toItem(before) });
      });
    },
  };
}

/** The five routes of an account record: list, create, get, update, delete. */
export async function accountRecordRoutes<T extends { id: string; version: number }, C extends { accountId: string }, U>(
  fastify: FastifyInstance, deps: Deps, spec: AccountRecordSpec<T, C, U>,
): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const svc = accountRecordService(spec);
  const tags = [spec.tag];
  const query = z.strictObject({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
    sort: z.string().max(30).optional(),
    q: z.string().trim().max(100).optional(),
    accountId: z.string().uuid().optional(),
    ...spec.filters,
  });

  app.get(spec.path, {
    config: { policy: spec.readPolicy },
    schema: { tags, summary: `List ${spec.tag} you can see`, querystring: query, response: { 200: pageOf(spec.item) } },
  }, async (req) => svc.list(ctxOf(req, deps), req.query as never) as never);

  app.post(spec.path, {
    config: { policy: spec.writePolicy },
    schema: { tags, summary: `Create a ${spec.label.toLowerCase()}`, body: spec.createBody, response: { 201: spec.item as z.ZodTypeAny } },
  }, async (req, reply) => reply.status(201).send(withEtag(reply, await svc.create(ctxOf(req, deps), req.body as C)) as never));

  app.get(`${spec.path}/:id`, {
    config: { policy: spec.readPolicy },
    schema: { tags, summary: `One ${spec.label.toLowerCase()}`, params: idParams, response: { 200: spec.item as z.ZodTypeAny } },
  }, async (req, reply) => withEtag(reply, await svc.get(ctxOf(req, deps), req.params.id)) as never);

  app.patch(`${spec.path}/:id`, {
    config: { policy: spec.writePolicy },
    schema: { tags, summary: `Update a ${spec.label.toLowerCase()} (If-Match required)`, params: idParams, body: spec.updateBody, response: { 200: spec.item as z.ZodTypeAny } },
  }, async (req, reply) => {
    const version = expectedVersion(req, req.params.id);
    return withEtag(reply, await svc.update(ctxOf(req, deps), req.params.id, version, req.body as U)) as never;
  });

  app.delete(`${spec.path}/:id`, {
    config: { policy: spec.writePolicy },
    schema: { tags, summary: `Delete a ${spec.label.toLowerCase()} (If-Match required)`, params: idParams, response: { 204: z.null() } },
  }, async (req, reply) => {
    const version = expectedVersion(req, req.params.id);
    await svc.remove(ctxOf(req, deps), req.params.id, version);
    return reply.status(204).send(null);
  });
}
