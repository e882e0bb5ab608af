import type { Readable } from 'node:stream';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { idParams } from '../../server/http.js';
import {
  AccountClaimQuery, ClaimDetail, ClaimPage, ClaimQuery, CreditNoteBody, DecisionBody, EvidenceParams, EvidenceQuery, FileClaimBody, NoteBody,
  PortalEvidenceQuery, PortalFileClaimBody, StepBody,
} from './claims.contract.js';
import { claimsContribution } from './claims.contributions.js';
import * as claims from './claims.service.js';
import { loadClaimSettings } from './claims.settings.js';

const tags = ['claims'];

const declared = (req: FastifyRequest) => {
  const length = req.headers['content-length'] ? Number(req.headers['content-length']) : null;
  return Number.isFinite(length) ? length : null;
};

async function sendFile(reply: FastifyReply, file: Awaited<ReturnType<typeof claims.evidenceContent>>) {
  const a = file.attachment;
  return reply.type(a.contentType).header('content-length', String(a.sizeBytes))
    .header('content-disposition', contentDisposition(a.fileName, { type: 'attachment' }))
    .header('x-content-type-options', 'nosniff').header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store').send(file.content);
}

/**
 * Compensation claims (decision 023): file, list, read, investigate, decide, credit, close,
 * withdraw, notes and evidence for staff; the dealer's own claims in the portal (file, read
 * without internal notes, add evidence, withdraw its own).
 */
export async function claimsRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const settings = loadClaimSettings();
  const cctx = (req: FastifyRequest) => ({ ...ctxOf(req, deps), ...settings });
  deps.contributions.add(claimsContribution);

  // Evidence arrives as the file's raw bytes, as account attachments do (the type is told from them).
  await fastify.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    const app = child.withTypeProvider<ZodTypeProvider>();
    app.post('/api/v1/claims/:id/evidence', {
      config: { policy: 'claim:write' },
      schema: { tags, summary: 'Add a file to the claim\'s evidence (raw bytes as the body, its name in fileName; internal=true keeps it out of the portal)', params: idParams, querystring: EvidenceQuery, response: { 201: ClaimDetail } },
    }, async (req, reply) => reply.status(201).send(await claims.addEvidence(ctxOf(req, deps), req.params.id, (req.body as Readable | undefined) ?? req.raw, req.query, declared(req), false)));
    app.post('/api/v1/portal/claims/:id/evidence', {
      config: { policy: 'delivery:portal' },
      schema: { tags, summary: 'The dealer adds a file to the evidence of its own claim', params: idParams, querystring: PortalEvidenceQuery, response: { 201: ClaimDetail } },
    }, async (req, reply) => reply.status(201).send(await claims.addEvidence(ctxOf(req, deps), req.params.id, (req.body as Readable | undefined) ?? req.raw, req.query, declared(req), true)));
  });

  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/claims', {
    config: { policy: 'claim:read' },
    schema: { tags, summary: 'Claims of the accounts you see, newest first, by status (or open), account and kind', querystring: ClaimQuery, response: { 200: ClaimPage } },
  }, async (req) => claims.listClaims(ctxOf(req, deps), req.query));
  app.post('/api/v1/claims', {
    config: { policy: 'claim:write' },
    schema: { tags, summary: 'File a claim for a dealer about its order lines or shipments; the response and decision due times are fixed now', body: FileClaimBody, response: { 201: ClaimDetail } },
  }, async (req, reply) => {
    const { accountId, ...body } = req.body;
    return reply.status(201).send(await claims.fileClaim(cctx(req), accountId, body, 'staff'));
  });
  app.get('/api/v1/accounts/:id/claims', {
    config: { policy: 'claim:read' },
    schema: { tags, summary: 'The account\'s claims, newest first', params: idParams, querystring: AccountClaimQuery, response: { 200: ClaimPage } },
  }, async (req) => claims.listClaims(ctxOf(req, deps), { ...req.query, accountId: req.params.id }));
  app.get('/api/v1/claims/:id', {
    config: { policy: 'claim:read' },
    schema: { tags, summary: 'A claim with its lines and shipments, events (investigation notes included) and evidence', params: idParams, response: { 200: ClaimDetail } },
  }, async (req) => claims.getClaim(ctxOf(req, deps), req.params.id, false));
  app.post('/api/v1/claims/:id/investigate', {
    config: { policy: 'claim:write' },
    schema: { tags, summary: 'Start the investigation of a filed claim (its first response)', params: idParams, body: StepBody, response: { 200: ClaimDetail } },
  }, async (req) => claims.takeStep(ctxOf(req, deps), req.params.id, { action: 'investigate', reason: req.body.reason }, false));
  app.post('/api/v1/claims/:id/decision', {
    config: { policy: 'claim:decide' },
    schema: { tags, summary: 'Accept, partly accept (an amount less than claimed) or reject a claim under investigation, with the reason', params: idParams, body: DecisionBody, response: { 200: ClaimDetail } },
  }, async (req) => claims.takeStep(ctxOf(req, deps), req.params.id, { action: 'decide', body: req.body }, false));
  app.post('/api/v1/claims/:id/credit-note', {
    config: { policy: 'claim:decide' },
    schema: { tags, summary: 'Record the credit note of an accepted or partly accepted claim (for the accepted amount, in the claim\'s currency)', params: idParams, body: CreditNoteBody, response: { 200: ClaimDetail } },
  }, async (req) => claims.takeStep(ctxOf(req, deps), req.params.id, { action: 'credit', body: req.body }, false));
  app.post('/api/v1/claims/:id/close', {
    config: { policy: 'claim:write' },
    schema: { tags, summary: 'Close a credited or rejected claim', params: idParams, body: StepBody, response: { 200: ClaimDetail } },
  }, async (req) => claims.takeStep(ctxOf(req, deps), req.params.id, { action: 'close', reason: req.body.reason }, false));
  app.post('/api/v1/claims/:id/withdraw', {
    config: { policy: 'claim:write' },
    schema: { tags, summary: 'Withdraw a claim you filed, while it is filed or under investigation', params: idParams, body: StepBody, response: { 200: ClaimDetail } },
  }, async (req) => claims.takeStep(ctxOf(req, deps), req.params.id, { action: 'withdraw', reason: req.body.reason }, false));
  app.post('/api/v1/claims/:id/notes', {
    config: { policy: 'claim:write' },
    schema: { tags, summary: 'Add an investigation note (internal: never shown in the portal)', params: idParams, body: NoteBody, response: { 201: ClaimDetail } },
  }, async (req, reply) => reply.status(201).send(await claims.addNote(ctxOf(req, deps), req.params.id, req.body.body)));
  app.get('/api/v1/claims/:id/evidence/:attachmentId/content', {
    config: { policy: 'claim:read' },
    schema: { tags, summary: 'Download a file of the claim\'s evidence (audited)', params: EvidenceParams },
  }, async (req, reply) => sendFile(reply, await claims.evidenceContent(ctxOf(req, deps), req.params.id, req.params.attachmentId, false)));

  // ---------- the dealer portal
  const dealerAccount = (req: FastifyRequest) => {
    const a = req.actor?.accountId;
    if (!a) throw new AppError('not_found', 404, 'Your sign-in belongs to no dealer company');
    return a;
  };
  app.get('/api/v1/portal/claims', {
    config: { policy: 'delivery:portal' },
    schema: { tags, summary: 'The dealer\'s own claims, newest first', querystring: AccountClaimQuery, response: { 200: ClaimPage } },
  }, async (req) => claims.listClaims(ctxOf(req, deps), { ...req.query, accountId: dealerAccount(req) }));
  app.post('/api/v1/portal/claims', {
    config: { policy: 'delivery:portal' },
    schema: { tags, summary: 'The dealer files a claim about its own order lines or shipments', body: PortalFileClaimBody, response: { 201: ClaimDetail } },
  }, async (req, reply) => reply.status(201).send(await claims.fileClaim(cctx(req), dealerAccount(req), req.body, 'portal')));
  app.get('/api/v1/portal/claims/:id', {
    config: { policy: 'delivery:portal' },
    schema: { tags, summary: 'One of the dealer\'s claims: its lines, its history and evidence, without the investigation\'s internal notes', params: idParams, response: { 200: ClaimDetail } },
  }, async (req) => claims.getClaim(ctxOf(req, deps), req.params.id, true));
  app.post('/api/v1/portal/claims/:id/withdraw', {
    config: { policy: 'delivery:portal' },
    schema: { tags, summary: 'The dealer withdraws a claim it filed, while it is filed or under investigation', params: idParams, body: StepBody, response: { 200: ClaimDetail } },
  }, async (req) => claims.takeStep(ctxOf(req, deps), req.params.id, { action: 'withdraw', reason: req.body.reason }, true));
  app.get('/api/v1/portal/claims/:id/evidence/:attachmentId/content', {
    config: { policy: 'delivery:portal' },
    schema: { tags, summary: 'Download a file of the evidence of the dealer\'s own claim', params: EvidenceParams },
  }, async (req, reply) => sendFile(reply, await claims.evidenceContent(ctxOf(req, deps), req.params.id, req.params.attachmentId, true)));
}
