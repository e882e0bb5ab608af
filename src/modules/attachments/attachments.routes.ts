import type { Readable } from 'node:stream';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { idParams } from '../../server/http.js';
import { AccountParams, Attachment, AttachmentListQuery, AttachmentPage, UploadAttachmentQuery } from './attachments.contract.js';
import { attachmentsContribution } from './attachments.contributions.js';
import * as attachments from './attachments.service.js';

const tags = ['attachments'];

/**
 * Files on an account: list, upload (the file's bytes as the body, as imports take them), download,
 * delete. Staff who read the account's activities read its files; whoever may change the account
 * uploads and deletes; the dealer portal has none of these routes.
 */
export async function attachmentsRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  deps.contributions.add(attachmentsContribution);
  await deps.jobs.register(attachments.SWEEP_JOB, async () => { await attachments.sweepAttachments(deps); });
  await deps.jobs.every(attachments.SWEEP_JOB, 60);

  // The upload streams to a staging file: any content type is handed over untouched (the type is
  // told from the bytes), and the JSON body limit does not apply (OPENKAM_ATTACHMENT_MAX_MB does).
  await fastify.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    const app = child.withTypeProvider<ZodTypeProvider>();
    app.post('/api/v1/accounts/:id/attachments', {
      config: { policy: 'account:write' },
      schema: {
        tags, summary: 'Attach a file to the account (the raw bytes as the body, its name in fileName)',
        description: 'PDF, pictures (PNG, JPEG, GIF, WebP, HEIC), Word, Excel and PowerPoint (.docx, .xlsx, .pptx), CSV and plain text, told from the content. '
          + 'Programs, scripts, web pages, SVG, archives and documents with macros are refused (415); larger than OPENKAM_ATTACHMENT_MAX_MB is 413.',
        params: AccountParams, querystring: UploadAttachmentQuery, response: { 201: Attachment },
      },
    }, async (req, reply) => {
      const length = req.headers['content-length'] ? Number(req.headers['content-length']) : null;
      const body = (req.body as Readable | undefined) ?? req.raw;
      const a = await attachments.uploadAttachment(ctxOf(req, deps), req.params.id, body, req.query, Number.isFinite(length) ? length : null);
      return reply.status(201).send(a);
    });
  });

  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/accounts/:id/attachments', {
    config: { policy: 'activity:read' },
    schema: { tags, summary: 'The files attached to the account, newest first, and the limits an upload keeps to', params: AccountParams, querystring: AttachmentListQuery, response: { 200: AttachmentPage } },
  }, async (req) => attachments.listAttachments(ctxOf(req, deps), req.params.id, req.query));

  app.get('/api/v1/attachments/:id', {
    config: { policy: 'activity:read' },
    schema: { tags, summary: 'One attachment (its name, type, size, who attached it)', params: idParams, response: { 200: Attachment } },
  }, async (req) => attachments.getAttachment(ctxOf(req, deps), req.params.id));

  app.get('/api/v1/attachments/:id/content', {
    config: { policy: 'activity:read' },
    schema: { tags, summary: 'Download the file (always as an attachment, with its stored type; audited)', params: idParams },
  }, async (req, reply) => {
    const { attachment: a, content } = await attachments.downloadAttachment(ctxOf(req, deps), req.params.id, { audit: req.method !== 'HEAD' });
    return reply
      .type(a.contentType)
      .header('content-length', String(a.sizeBytes))
      .header('content-disposition', contentDisposition(a.fileName, { type: 'attachment' }))
      .header('x-content-type-options', 'nosniff')
      // Opened in a tab anyway, nothing in it may run or load.
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .header('etag', `"${a.sha256}"`)
      .send(content);
  });

  app.delete('/api/v1/attachments/:id', {
    config: { policy: 'account:write' },
    schema: { tags, summary: 'Delete the attachment: its file and its record (audited)', params: idParams, response: { 204: z.null() } },
  }, async (req, reply) => {
    await attachments.deleteAttachment(ctxOf(req, deps), req.params.id);
    return reply.status(204).send(null);
  });
}
