import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { idParams } from '../../server/http.js';
import {
  Accrual, Agreement, AgreementQuery, AgreementSummary, Attainment, CreateAgreementBody, NewVersionBody, PortalProgress, ReverseBody, Settlement,
  SettlementBody, VersionBody,
} from './rebates.contract.js';
import { rebatesContribution } from './rebates.contributions.js';
import { creditNoteXlsx } from './rebates.export.js';
import * as rebates from './rebates.service.js';

const tags = ['rebates'];
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const ACCRUAL_JOB = 'rebates.accrue';

/**
 * Rebate agreements (per account or group, tiered, versioned, approved above a threshold), their
 * attainment and forecast, monthly accruals, settlements with credit notes, and the dealer's own
 * progress in the portal.
 */
export async function rebatesRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const settings = rebates.loadRebateSettings();
  const rc = (req: Parameters<typeof ctxOf>[0]) => ({ ...ctxOf(req, deps), rebates: settings });
  deps.contributions.add(rebatesContribution(settings));
  // After a sales import the accruals are recomputed from the rollups: a cheap check every minute
  // (one max() on import_jobs and one on rebate_accruals) and a recompute only when an import landed.
  await deps.jobs.register(ACCRUAL_JOB, async () => { await rebates.accrueIfImported(deps); });
  await deps.jobs.every(ACCRUAL_JOB, 1);

  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/rebate-agreements', {
    config: { policy: 'rebate:read' },
    schema: { tags, summary: 'Rebate agreements you may see (at least one of their accounts), with the basis and rebate to date', querystring: AgreementQuery, response: { 200: z.object({ items: z.array(AgreementSummary) }) } },
  }, async (req) => rebates.listAgreements(rc(req), req.query));
  app.post('/api/v1/rebate-agreements', {
    config: { policy: 'rebate:write' },
    schema: { tags, summary: 'Draft an agreement: accounts, period, basis, tiers and method', body: CreateAgreementBody, response: { 201: Agreement } },
  }, async (req, reply) => reply.status(201).send(await rebates.createAgreement(rc(req), req.body)));
  app.get('/api/v1/rebate-agreements/:id', {
    config: { policy: 'rebate:read' },
    schema: { tags, summary: 'One agreement with its versions', params: idParams, response: { 200: Agreement } },
  }, async (req) => rebates.getAgreement(rc(req), req.params.id));
  app.post('/api/v1/rebate-agreements/:id/versions', {
    config: { policy: 'rebate:write' },
    schema: { tags, summary: 'Change the terms from a date (a new version; above the threshold it waits for a director)', params: idParams, body: NewVersionBody, response: { 200: Agreement } },
  }, async (req) => rebates.addVersion(rc(req), req.params.id, req.body));
  app.post('/api/v1/rebate-agreements/:id/submit', {
    config: { policy: 'rebate:write' },
    schema: { tags, summary: 'Submit a draft: active at once up to the approval threshold, else pending a director', params: idParams, body: VersionBody, response: { 200: Agreement } },
  }, async (req) => rebates.submitAgreement(rc(req), req.params.id, req.body.version));
  app.post('/api/v1/rebate-agreements/:id/approve', {
    config: { policy: 'rebate:approve' },
    schema: { tags, summary: 'Approve an agreement, or a change of one, that waits for a director', params: idParams, body: VersionBody, response: { 200: Agreement } },
  }, async (req) => rebates.approveAgreement(rc(req), req.params.id, req.body.version));
  app.get('/api/v1/rebate-agreements/:id/attainment', {
    config: { policy: 'rebate:read' },
    schema: { tags, summary: 'Basis to date, tier reached, rebate earned, next tier, and the forecast with the chance of each tier', params: idParams, response: { 200: Attainment } },
  }, async (req) => rebates.attainment(rc(req), req.params.id));
  app.get('/api/v1/rebate-agreements/:id/accruals', {
    config: { policy: 'rebate:read' },
    schema: { tags, summary: 'Monthly accruals, each with the version that produced it', params: idParams, response: { 200: z.object({ items: z.array(Accrual) }) } },
  }, async (req) => rebates.listAccruals(rc(req), req.params.id));
  app.post('/api/v1/rebate-accruals/run', {
    config: { policy: 'rebate:approve' },
    schema: { tags, summary: 'Recompute the monthly accruals of every active agreement now', response: { 200: z.object({ agreements: z.number().int(), rows: z.number().int(), changed: z.number().int() }) } },
  }, async (req) => { ctxOf(req, deps); return rebates.accrueAll(deps); });
  app.get('/api/v1/rebate-agreements/:id/settlements', {
    config: { policy: 'rebate:read' },
    schema: { tags, summary: 'The settlements of the period (issued and reversed)', params: idParams, response: { 200: z.object({ items: z.array(Settlement) }) } },
  }, async (req) => rebates.listSettlements(rc(req), req.params.id));
  app.post('/api/v1/rebate-agreements/:id/settlements/preview', {
    config: { policy: 'rebate:read' },
    schema: { tags, summary: 'What a settlement would pay now (dry run): earned to the cut-off minus paid before, and the lines', params: idParams, body: SettlementBody, response: { 200: Settlement } },
  }, async (req) => rebates.previewSettlement(rc(req), req.params.id, req.body));
  // The manager who keeps the agreement issues its settlement (only on an agreement they may write);
  // reversing one is a director's.
  app.post('/api/v1/rebate-agreements/:id/settlements', {
    config: { policy: 'rebate:write' },
    schema: { tags, summary: 'Issue a settlement and its credit note (409 already_settled if that step was settled)', params: idParams, body: SettlementBody, response: { 201: Settlement } },
  }, async (req, reply) => reply.status(201).send(await rebates.runSettlement(rc(req), req.params.id, req.body)));
  app.get('/api/v1/rebate-settlements/:id', {
    config: { policy: 'rebate:read' },
    schema: { tags, summary: 'One settlement: the credit note', params: idParams, response: { 200: Settlement } },
  }, async (req) => rebates.getSettlement(rc(req), req.params.id));
  app.get('/api/v1/rebate-settlements/:id/credit-note.xlsx', {
    config: { policy: 'rebate:read' },
    schema: { tags, summary: 'The credit note as XLSX', params: idParams, produces: [xlsxType] },
  }, async (req, reply) => {
    const ctx = rc(req);
    const s = await rebates.getSettlement(ctx, req.params.id);
    const body = await creditNoteXlsx(ctx, s);
    return reply.type(xlsxType).header('content-disposition', `attachment; filename="${s.number}.xlsx"`).header('cache-control', 'no-store').send(body);
  });
  app.post('/api/v1/rebate-settlements/:id/reverse', {
    config: { policy: 'rebate:approve' },
    schema: { tags, summary: 'Reverse the latest settlement, with a reason (audited)', params: idParams, body: ReverseBody, response: { 200: Settlement } },
  }, async (req) => rebates.reverseSettlement(rc(req), req.params.id, req.body.reason));

  app.get('/api/v1/portal/rebates', {
    config: { policy: 'rebate:portal' },
    schema: { tags, summary: "The dealer's own rebate progress: tier reached, rebate to date, what the next tier needs (nothing internal)", response: { 200: PortalProgress } },
  }, async (req) => {
    const ctx = rc(req);
    if (!ctx.actor.accountId) throw new AppError('not_found', 404, 'Only a dealer portal user has agreements of its own here; staff open the agreements page');
    return rebates.portalProgress(ctx);
  });
}
