import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Permission } from '../../server/policy.js';
import { ctxOf, type Deps } from '../../server/context.js';
import { idParams } from '../../server/http.js';
import { StockImportJob, StockPreviewBody, StockPreviewResult, StockStartBody, StockUploadQuery, StockUploadResult } from './stock.import-contract.js';
import * as imports from './stock.import-service.js';

const tags = ['stock'];
const uploadTypes = ['text/csv', 'application/csv', 'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'];

/**
 * Stock report file imports (decision 031), twice: staff at /api/v1/stock/imports (import:run; the
 * dealers they may write), the dealer at /api/v1/portal/stock-imports (delivery:portal; its own
 * company only). Upload, list, status, preview, start, cancel, error file.
 */
export async function stockImportRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const sets: { base: string; policy: Permission; who: string }[] = [
    { base: '/api/v1/stock/imports', policy: 'import:run', who: 'for the dealers you may write' },
    { base: '/api/v1/portal/stock-imports', policy: 'delivery:portal', who: 'of your own company (a row for another dealer is an error)' },
  ];
  for (const { base, policy, who } of sets) {
    // The upload streams to disk: its own content-type parser hands over the request stream untouched.
    await fastify.register(async (child) => {
      child.removeAllContentTypeParsers();
      child.addContentTypeParser(uploadTypes, (_req, payload, done) => done(null, payload));
      child.withTypeProvider<ZodTypeProvider>().post(base, {
        config: { policy },
        schema: {
          tags, summary: `Upload a stock report file ${who} (CSV or XLSX, the raw bytes as the body); returns the job, the header and a suggested mapping`,
          description: `Nothing is imported until POST ${base}/{id}/start.`, consumes: uploadTypes, querystring: StockUploadQuery, response: { 201: StockUploadResult },
        },
      }, async (req, reply) => reply.status(201).send(await imports.upload(ctxOf(req, deps), req.body as Readable, req.query)));
    });

    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(base, {
      config: { policy },
      schema: { tags, summary: 'Your stock imports, newest first (admins: everyone\'s)', querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }), response: { 200: z.object({ items: z.array(StockImportJob) }) } },
    }, async (req) => imports.listJobs(ctxOf(req, deps), req.query.limit));
    app.get(`${base}/:id`, {
      config: { policy },
      schema: { tags, summary: 'One stock import: status, progress, counts; poll while it runs', params: idParams, response: { 200: StockImportJob } },
    }, async (req) => imports.getJob(ctxOf(req, deps), req.params.id));
    app.post(`${base}/:id/preview`, {
      config: { policy },
      schema: { tags, summary: 'The first rows as they would be imported: each row\'s problems, or whether it is new, a correction or already stored; writes nothing', params: idParams, body: StockPreviewBody, response: { 200: StockPreviewResult } },
    }, async (req) => imports.preview(ctxOf(req, deps), req.params.id, req.body));
    app.post(`${base}/:id/start`, {
      config: { policy },
      schema: {
        tags, summary: 'Start the import (or a dry run) in the background: every row or none', params: idParams, body: StockStartBody, response: { 202: StockImportJob },
        description: 'Idempotent by natural key: the dealer, the product (SKU, or item text) and the date; a later report of the same corrects the stored one (the portal\'s form too). Any bad row fails the whole import and the error file lists every problem with its line number.',
      },
    }, async (req, reply) => reply.status(202).send(await imports.start(ctxOf(req, deps), req.params.id, req.body, (e) => req.log.error({ err: e }, 'stock import failed'))));
    app.post(`${base}/:id/cancel`, {
      config: { policy },
      schema: { tags, summary: 'Cancel a running import: it rolls back, nothing is written', params: idParams, response: { 202: StockImportJob } },
    }, async (req, reply) => reply.status(202).send(await imports.cancel(ctxOf(req, deps), req.params.id)));
    app.get(`${base}/:id/errors`, {
      config: { policy },
      schema: { tags, summary: 'The problems as CSV: line, column, value, reason', params: idParams, produces: ['text/csv'] },
    }, async (req, reply) => {
      const f = await imports.errorFile(ctxOf(req, deps), req.params.id);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${encodeURIComponent(f.name)}"`).header('cache-control', 'no-store').send(createReadStream(f.file));
    });
  }
}
