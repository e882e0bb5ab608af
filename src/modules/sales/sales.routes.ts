import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { etagOf, expectedVersion, idParams, pageOf } from '../../server/http.js';
import type { Permission } from '../../server/policy.js';
import {
  ImportJob, JobQuery, MappingQuery, PreviewBody, PreviewResult, RunBody, SalesLine, SalesLineQuery, SavedMapping, SaveMappingBody, Trend, TrendQuery,
  UpdateSalesLineBody, UploadQuery, UploadResult,
} from './sales.contract.js';
import type { ImportKind } from './sales.domain.js';
import { stopAll } from './sales.jobs.js';
import * as sales from './sales.service.js';
import { SWEEP_JOB, sweepUploads } from './sales.uploads.js';

const tags = ['imports'];

/** Content types an upload may be sent as: the file's bytes as the request body (no multipart). */
const uploadTypes = ['text/csv', 'application/csv', 'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'];

const uploadPolicy: Record<ImportKind, Permission> = { sales: 'account:write', accounts: 'account:write', products: 'product:write' };

/** Imports (upload, preview, run, progress, cancel, error file), saved mappings, sales lines and the revenue trend. */
/** Sales lines have integer ids (checked by the service: anything else names no line). */
const lineParams = z.object({ id: z.string().describe('Sales line id') });

export async function salesRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  fastify.addHook('onClose', async () => { await stopAll(deps.db); });

  // Every hour, uploads left past their age are removed (config.uploadMaxAgeHours).
  await deps.jobs.register(SWEEP_JOB, async () => { await sweepUploads(deps); });
  await deps.jobs.every(SWEEP_JOB, 60);

  // Uploads stream to disk: their own content-type parsers hand over the request stream untouched
  // (the JSON body limit does not apply; the service enforces MAX_UPLOAD_BYTES).
  await fastify.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser(uploadTypes, (_req, payload, done) => done(null, payload));
    const app = child.withTypeProvider<ZodTypeProvider>();
    for (const kind of ['sales', 'accounts', 'products'] as const) {
      app.post(`/api/v1/imports/${kind}`, {
        config: { policy: uploadPolicy[kind] },
        schema: {
          tags, summary: `Upload a ${kind} file (CSV or XLSX, the raw bytes as the body); returns the job, the header and a suggested mapping`,
          description: 'Send the file as the request body with Content-Type text/csv or the XLSX type; nothing is imported until POST /api/v1/imports/{id}/run.',
          consumes: uploadTypes, querystring: UploadQuery, response: { 201: UploadResult },
        },
      }, async (req, reply) => {
        const result = await sales.uploadFile(ctxOf(req, deps), kind, req.body as Readable, req.query);
        return reply.status(201).send(result);
      });
    }
  });

  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/imports', {
    config: { policy: 'import:run' },
    schema: { tags, summary: 'Your imports, newest first (admins: everyone\'s)', querystring: JobQuery, response: { 200: pageOf(ImportJob) } },
  }, async (req) => sales.listJobs(ctxOf(req, deps), req.query));

  app.get('/api/v1/imports/:id', {
    config: { policy: 'import:run' },
    schema: { tags, summary: 'One import: status, progress (lines and bytes read), counts; poll while it runs', params: idParams, response: { 200: ImportJob } },
  }, async (req) => sales.getJob(ctxOf(req, deps), req.params.id));

  app.post('/api/v1/imports/:id/preview', {
    config: { policy: 'import:run' },
    schema: { tags, summary: 'The first rows as they would be imported, with each row\'s problems; writes nothing', params: idParams, body: PreviewBody, response: { 200: PreviewResult } },
  }, async (req) => sales.previewImport(ctxOf(req, deps), req.params.id, req.body));

  app.post('/api/v1/imports/:id/run', {
    config: { policy: 'import:run' },
    schema: {
      tags, summary: 'Run the import (or a dry run) in the background: all lines or none', params: idParams, body: RunBody, response: { 202: ImportJob },
      description: 'Idempotent by (document number, line number): unchanged lines are counted, changed ones updated. Lines may name, and change, only accounts you may change (a line that exists on another account is a bad line). Any bad line fails the whole import and the error file lists every bad line. Each account\'s history records the lines an import created on it and every line it changed, old and new.',
    },
  }, async (req, reply) => reply.status(202).send(await sales.runImportJob(ctxOf(req, deps), req.params.id, req.body, (e) => req.log.error({ err: e }, 'import failed'))));

  app.post('/api/v1/imports/:id/cancel', {
    config: { policy: 'import:run' },
    schema: { tags, summary: 'Cancel a running import: it rolls back, nothing is written', params: idParams, response: { 202: ImportJob } },
  }, async (req, reply) => reply.status(202).send(await sales.cancelImport(ctxOf(req, deps), req.params.id)));

  app.get('/api/v1/imports/:id/errors', {
    config: { policy: 'import:run' },
    schema: { tags, summary: 'The bad lines as CSV: line, column, value, reason', params: idParams, produces: ['text/csv'] },
  }, async (req, reply) => {
    const f = await sales.errorFile(ctxOf(req, deps), req.params.id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${encodeURIComponent(f.name)}"`).header('cache-control', 'no-store')
      .send(createReadStream(f.file));
  });

  app.get('/api/v1/import-mappings', {
    config: { policy: 'import:run' },
    schema: { tags, summary: 'Saved column mappings', querystring: MappingQuery, response: { 200: z.object({ items: z.array(SavedMapping) }) } },
  }, async (req) => ({ items: await sales.listMappings(ctxOf(req, deps), req.query.kind) }));

  app.post('/api/v1/import-mappings', {
    config: { policy: 'import:run' },
    schema: { tags, summary: 'Save a column mapping with its parse options', body: SaveMappingBody, response: { 201: SavedMapping } },
  }, async (req, reply) => {
    const m = await sales.saveMapping(ctxOf(req, deps), req.body);
    return reply.status(201).header('etag', etagOf(m.id, m.version)).send(m);
  });

  app.put('/api/v1/import-mappings/:id', {
    config: { policy: 'import:run' },
    schema: { tags, summary: 'Replace a saved mapping (If-Match required)', params: idParams, body: SaveMappingBody, response: { 200: SavedMapping } },
  }, async (req, reply) => {
    const m = await sales.updateMapping(ctxOf(req, deps), req.params.id, expectedVersion(req, req.params.id), req.body);
    return reply.header('etag', etagOf(m.id, m.version)).send(m);
  });

  app.delete('/api/v1/import-mappings/:id', {
    config: { policy: 'import:run' },
    schema: { tags, summary: 'Delete a saved mapping', params: idParams },
  }, async (req, reply) => {
    await sales.deleteMapping(ctxOf(req, deps), req.params.id);
    return reply.status(204).send();
  });

  app.get('/api/v1/accounts/:id/revenue-trend', {
    config: { policy: 'sales:read' },
    schema: { tags: ['sales'], summary: 'Monthly revenue, cost, margin, quantity and lines of an account (from the rollups)', params: idParams, querystring: TrendQuery, response: { 200: Trend } },
  }, async (req) => sales.revenueTrend(ctxOf(req, deps), req.params.id, req.query));

  app.get('/api/v1/sales-lines', {
    config: { policy: 'sales:read' },
    schema: { tags: ['sales'], summary: 'Sales lines of the accounts you can see, newest first', querystring: SalesLineQuery, response: { 200: pageOf(SalesLine) } },
  }, async (req) => sales.listSalesLines(ctxOf(req, deps), req.query));

  app.get('/api/v1/sales-lines/:id', {
    config: { policy: 'sales:read' },
    schema: { tags: ['sales'], summary: 'One sales line (ETag for If-Match)', params: lineParams, response: { 200: SalesLine } },
  }, async (req, reply) => {
    const l = await sales.getSalesLine(ctxOf(req, deps), req.params.id);
    return reply.header('etag', etagOf(l.id, sales.lineVersion(l))).send(l);
  });

  app.patch('/api/v1/sales-lines/:id', {
    config: { policy: 'account:write' },
    schema: { tags: ['sales'], summary: 'Correct a sales line (If-Match required); rollups follow', params: lineParams, body: UpdateSalesLineBody, response: { 200: SalesLine } },
  }, async (req, reply) => {
    const l = await sales.updateSalesLine(ctxOf(req, deps), req.params.id, expectedVersion(req, req.params.id), req.body);
    return reply.header('etag', etagOf(l.id, sales.lineVersion(l))).send(l);
  });

  app.delete('/api/v1/sales-lines/:id', {
    config: { policy: 'account:write' },
    schema: { tags: ['sales'], summary: 'Delete a sales line; rollups follow', params: lineParams },
  }, async (req, reply) => {
    await sales.deleteSalesLine(ctxOf(req, deps), req.params.id);
    return reply.status(204).send();
  });
}

