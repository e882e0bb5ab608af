import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ctxOf, type Deps } from '../../server/context.js';
import {
  AccountParams, CancelBody, CountBody, CountResult, CreateDraftBody, DraftLineParams, DraftParams, EditLineBody, ExceptionPage, ExceptionQuery, SendBody,
  VmiDraft, VmiDraftPage, VmiDraftQuery, VmiSettings, VmiSettingsBody,
} from './vmi.contract.js';
import { loadHazardSettings } from '../hazards/hazards.settings.js';
import { vmiContribution } from './vmi.contributions.js';
import { registerVmiJobs } from './vmi.jobs.js';
import * as vmi from './vmi.service.js';

const tags = ['vmi'];

/**
 * Vendor-managed inventory for staff (decision 034): an account's VMI settings, the week's drafted
 * order (draft, recompute, edit with a reason, send, cancel), the rep's stock count from the
 * phone, and the exceptions board. Reads: staff; writes: the account's manager and up, in scope.
 */
export async function vmiRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  deps.contributions.add(vmiContribution);
  const mail = loadHazardSettings();
  await registerVmiJobs(deps, fastify.log);
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/vmi/drafts', {
    config: { policy: 'vmi:read' },
    schema: { tags, summary: 'VMI orders of the accounts you see, newest first, by status and account', querystring: VmiDraftQuery, response: { 200: VmiDraftPage } },
  }, async (req) => vmi.listDrafts(ctxOf(req, deps), req.query));
  app.post('/api/v1/vmi/accounts/:accountId/drafts', {
    config: { policy: 'vmi:write' },
    schema: { tags, summary: 'Draft the account\'s order as of a date (default today) from its stock, open orders, sales and warnings; a draft being prepared is recomputed, keeping the rep\'s edits', params: AccountParams, body: CreateDraftBody, response: { 201: VmiDraft } },
  }, async (req, reply) => reply.status(201).send(await vmi.draftOrder(ctxOf(req, deps), req.params.accountId, req.body.asOf)));
  app.get('/api/v1/vmi/drafts/:id', {
    config: { policy: 'vmi:read' },
    schema: { tags, summary: 'A VMI order: lines with the arithmetic (why), exceptions, notes, edits and the dealer\'s signature (its hash checked)', params: DraftParams, response: { 200: VmiDraft } },
  }, async (req) => vmi.getDraft(ctxOf(req, deps), req.params.id));
  app.patch('/api/v1/vmi/drafts/:id/lines/:productId', {
    config: { policy: 'vmi:write' },
    schema: { tags, summary: 'Change a line\'s quantity with a reason code (other: with a note); 409 when the version is not the current one', params: DraftLineParams, body: EditLineBody, response: { 200: VmiDraft } },
  }, async (req) => vmi.editLine(ctxOf(req, deps), req.params.id, req.params.productId, req.body));
  app.post('/api/v1/vmi/drafts/:id/send', {
    config: { policy: 'vmi:write' },
    schema: { tags, summary: 'Send the order to the dealer for signature; it expires after the account\'s expiry hours', params: DraftParams, body: SendBody, response: { 200: VmiDraft } },
  }, async (req) => {
    const ctx = ctxOf(req, deps);
    const sent = await vmi.sendDraft(ctx, req.params.id, req.body.version);
    void vmi.mailOrderToSign(ctx, sent, mail, req.log); // after the answer's data is final; best-effort
    return sent;
  });
  app.post('/api/v1/vmi/drafts/:id/cancel', {
    config: { policy: 'vmi:write' },
    schema: { tags, summary: 'Cancel an order being prepared or waiting for the dealer, with the reason', params: DraftParams, body: CancelBody, response: { 200: VmiDraft } },
  }, async (req) => vmi.cancelDraft(ctxOf(req, deps), req.params.id, req.body.version, req.body.reason));
  app.post('/api/v1/vmi/accounts/:accountId/counts', {
    config: { policy: 'vmi:write' },
    schema: { tags, summary: 'A rep\'s stock count (saved as dealer stock reports); the same clientId sent twice saves once; the account\'s draft is recomputed', params: AccountParams, body: CountBody, response: { 200: CountResult } },
  }, async (req) => vmi.recordStockCount(ctxOf(req, deps), req.params.accountId, req.body));
  app.get('/api/v1/vmi/exceptions', {
    config: { policy: 'vmi:read' },
    schema: { tags, summary: 'The VMI board: exceptions (stock-out, below min, above max, slow mover) of open orders in [from, to], by date, optionally of one kind', querystring: ExceptionQuery, response: { 200: ExceptionPage } },
  }, async (req) => vmi.exceptionBoard(ctxOf(req, deps), req.query));
  app.get('/api/v1/vmi/accounts/:accountId/settings', {
    config: { policy: 'vmi:read' },
    schema: { tags, summary: 'The account\'s VMI settings as they apply (lead time and rhythm derived when not set)', params: AccountParams, response: { 200: VmiSettings } },
  }, async (req) => vmi.getSettings(ctxOf(req, deps), req.params.accountId));
  app.put('/api/v1/vmi/accounts/:accountId/settings', {
    config: { policy: 'vmi:write' },
    schema: { tags, summary: 'Replace the account\'s VMI settings and product lines', params: AccountParams, body: VmiSettingsBody, response: { 200: VmiSettings } },
  }, async (req) => vmi.putSettings(ctxOf(req, deps), req.params.accountId, req.body));
}
