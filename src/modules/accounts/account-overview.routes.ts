import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AccountFacts, Agenda, PortalCards, Timeline, TimelineQueryString } from '../../platform/contributions.contract.js';
import { ctxOf, type Deps } from '../../server/context.js';
import { badRequest } from '../../server/errors.js';
import { idParams } from '../../server/http.js';
import { dayBounds, isTimeZone, localDateOf } from '../../shared/time.js';
import { getAccount } from './accounts.service.js';

const encodeCursor = (c: { at: string; id: string }): string => Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');
function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { at: v[0], id: v[1] };
  } catch { /* fall through */ }
  throw badRequest('The cursor is not valid; start again from the first page', [{ path: 'querystring.cursor', message: 'invalid cursor' }]);
}

const DayQueryString = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe('The day, YYYY-MM-DD; today in your time zone when omitted'),
});

/**
 * Where the modules meet: the account's facts and timeline, the caller's day, the dealer's portal
 * cards. Each reads the contribution registry; no module is named here.
 */
export async function accountOverviewRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['account overview'];

  app.get('/api/v1/accounts/:id/facts', {
    config: { policy: 'account:read' },
    schema: { tags, summary: 'The figures that matter on one account, each with a status and a link, from every module you may read', params: idParams, response: { 200: AccountFacts } },
  }, async (req) => {
    const ctx = ctxOf(req, deps);
    await getAccount(ctx, req.params.id);
    return deps.contributions.facts(ctx, req.params.id);
  });

  app.get('/api/v1/accounts/:id/timeline', {
    config: { policy: 'account:read' },
    schema: { tags, summary: 'One timeline of everything that happened on the account, newest first, filterable by kind and person (cursor-paged)', params: idParams, querystring: TimelineQueryString, response: { 200: Timeline } },
  }, async (req) => {
    const ctx = ctxOf(req, deps);
    await getAccount(ctx, req.params.id);
    const kinds = req.query.kind?.split(',').map((k) => k.trim()).filter(Boolean);
    const page = await deps.contributions.timeline(ctx, req.params.id, {
      limit: req.query.limit,
      ...(req.query.cursor ? { before: decodeCursor(req.query.cursor) } : {}),
      ...(kinds?.length ? { kinds } : {}),
      ...(req.query.userId ? { userId: req.query.userId } : {}),
    });
    return { items: page.items, unavailable: page.unavailable, nextCursor: page.next ? encodeCursor(page.next) : null, kinds: deps.contributions.timelineKinds(ctx) };
  });

  app.get('/api/v1/home/day', {
    config: { policy: 'day:read' },
    schema: { tags, summary: 'Your day: what to do today and what waits for you, how your team is doing and the figures of the business, from every module you may read', querystring: DayQueryString, response: { 200: Agenda } },
  }, async (req) => {
    const ctx = ctxOf(req, deps);
    const tz = isTimeZone(ctx.actor.timeZone) ? ctx.actor.timeZone : 'UTC';
    const date = req.query.date ?? localDateOf(ctx.clock.now(), tz);
    const { start, end } = dayBounds(date, tz);
    const agenda = await deps.contributions.agenda(ctx, { date, from: start.toISOString(), to: end.toISOString() });
    return { ...agenda, date };
  });

  app.get('/api/v1/portal/cards', {
    config: { policy: 'account:read' },
    schema: { tags, summary: 'What the dealer portal shows its company: warnings about its sites, its account manager, what waits for its signature', response: { 200: PortalCards } },
  }, async (req) => deps.contributions.portal(ctxOf(req, deps)));
}
