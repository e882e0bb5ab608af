import { portfolioContribution } from './portfolio.contributions.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type Ctx, ctxOf, type Deps } from '../../server/context.js';
import { idParams } from '../../server/http.js';
import {
  ApplyTiersBody, ApplyTiersResult, Attention, AttentionQuery, Designation, DesignationBody, Moves, MovesQuery, SegmentPageQuery, SegmentQuery, Segmentation,
} from './portfolio.contract.js';
import { attentionXlsx, segmentationXlsx } from './portfolio.export.js';
import * as portfolio from './portfolio.service.js';

const tags = ['portfolio'];
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendXlsx(ctx: Ctx, reply: FastifyReply, name: string, body: Buffer) {
  const stamp = ctx.clock.now().toISOString().slice(0, 10);
  return reply.type(xlsxType).header('content-disposition', `attachment; filename="${name}-${stamp}.xlsx"`).header('cache-control', 'no-store').send(body);
}

/** Segmentation (ABC), key accounts, tier moves, designations, applying tiers, the attention check, and their XLSX exports. */
export async function portfolioRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  deps.contributions.add(portfolioContribution);
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/portfolio/segments', {
    config: { policy: 'sales:read' },
    schema: { tags, summary: 'ABC tiers by revenue or margin over a window (rolling 12 months by default), company-wide; the totals, curve and a page of the table of the accounts you can see', querystring: SegmentPageQuery, response: { 200: Segmentation } },
  }, async (req) => portfolio.segment(ctxOf(req, deps), req.query, { page: { limit: req.query.limit, cursor: req.query.cursor } }));

  app.get('/api/v1/portfolio/segments/export', {
    config: { policy: 'sales:read' },
    schema: { tags, summary: 'The ABC table as XLSX', querystring: SegmentQuery, produces: [xlsxType] },
  }, async (req, reply) => {
    const ctx = ctxOf(req, deps);
    return sendXlsx(ctx, reply, 'abc', await segmentationXlsx(ctx, await portfolio.segment(ctx, req.query), ['ABC', 'ABC分级']));
  });

  app.get('/api/v1/portfolio/key-accounts', {
    config: { policy: 'sales:read' },
    schema: { tags, summary: 'Key accounts (computed A or designated) with their cumulative share, a page at a time', querystring: SegmentPageQuery, response: { 200: Segmentation } },
  }, async (req) => portfolio.keyAccounts(ctxOf(req, deps), req.query, { limit: req.query.limit, cursor: req.query.cursor }));

  app.get('/api/v1/portfolio/key-accounts/export', {
    config: { policy: 'sales:read' },
    schema: { tags, summary: 'The key-account ranking as XLSX', querystring: SegmentQuery, produces: [xlsxType] },
  }, async (req, reply) => {
    const ctx = ctxOf(req, deps);
    return sendXlsx(ctx, reply, 'key-accounts', await segmentationXlsx(ctx, await portfolio.keyAccounts(ctx, req.query), ['Key accounts', '关键客户']));
  });

  app.get('/api/v1/portfolio/tier-moves', {
    config: { policy: 'sales:read' },
    schema: { tags, summary: 'Who rose and who fell between two periods, and by how much', querystring: MovesQuery, response: { 200: Moves } },
  }, async (req) => portfolio.moves(ctxOf(req, deps), req.query));

  app.get('/api/v1/portfolio/attention', {
    config: { policy: 'sales:read' },
    schema: { tags, summary: 'Where the hours go: time by tier per manager and team against revenue by tier; accounts with too little or too much attention', querystring: AttentionQuery, response: { 200: Attention } },
  }, async (req) => portfolio.attention(ctxOf(req, deps), req.query));

  app.get('/api/v1/portfolio/attention/export', {
    config: { policy: 'sales:read' },
    schema: { tags, summary: 'The 80/20 attention check as XLSX', querystring: AttentionQuery, produces: [xlsxType] },
  }, async (req, reply) => {
    const ctx = ctxOf(req, deps);
    return sendXlsx(ctx, reply, 'attention', await attentionXlsx(ctx, await portfolio.attention(ctx, req.query)));
  });

  app.get('/api/v1/portfolio/key-accounts/:id', {
    config: { policy: 'sales:read' },
    schema: { tags, summary: 'Whether an account is designated a key account by hand, and why', params: idParams, response: { 200: Designation } },
  }, async (req) => portfolio.getDesignation(ctxOf(req, deps), req.params.id));

  app.put('/api/v1/portfolio/key-accounts/:id', {
    config: { policy: 'account:write' },
    schema: { tags, summary: 'Designate (or undesignate) a key account by hand, with a reason (audited)', params: idParams, body: DesignationBody, response: { 200: Designation } },
  }, async (req) => portfolio.designate(ctxOf(req, deps), req.params.id, req.body));

  app.post('/api/v1/portfolio/apply-tiers', {
    config: { policy: 'account:write' },
    schema: { tags, summary: 'Write the computed tiers to the accounts you may edit (audited per account); dryRun lists the changes only', body: ApplyTiersBody, response: { 200: ApplyTiersResult } },
  }, async (req) => portfolio.applyTiers(ctxOf(req, deps), req.body));
}
