import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { idParams } from '../../server/http.js';
import { ShipmentImportJob, ShipmentPreviewBody, ShipmentPreviewResult, ShipmentStartBody, ShipmentUploadQuery, ShipmentUploadResult } from './import.contract.js';
import * as imports from './import.service.js';

const tags = ['delivery'];
const uploadTypes = ['text/csv', 'application/csv', 'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'];

/** Shipment/order-line file imports: upload, preview, start, status, cancel, error file (delivery:write). */
export async function deliveryImportRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  // The upload streams to disk: its own content-type parser hands over the request stream untouched.
  await fastify.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser(uploadTypes, (_req, payload, done) => done(null, payload));
    child.withTypeProvider<ZodTypeProvider>().post('/api/v1/delivery/imports', {
      config: { policy: 'delivery:write' },
      schema: {
        tags, summary: 'Upload a shipment/order-line file (CSV or XLSX, the raw bytes as the body); returns the job, the header and a suggested mapping',
        description: 'Nothing is imported until POST /api/v1/delivery/imports/{id}/start.', consumes: uploadTypes, querystring: ShipmentUploadQuery, response: { 201: ShipmentUploadResult },
      },
    }, async (req, reply) => reply.status(201).send(await imports.upload(ctxOf(req, deps), req.body as Readable, req.query)));
  });

  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/api/v1/delivery/imports', {
    config: { policy: 'delivery:write' },
    schema: { tags, summary: 'Your shipment imports, newest first (admins: everyone\'s)', querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }), response: { 200: z.object({ items: z.array(ShipmentImportJob) }) } },
  }, async (req) => imports.listJobs(ctxOf(req, deps), req.query.limit));
  app.get('/api/v1/delivery/imports/:id', {
    config: { policy: 'delivery:write' },
    schema: { tags, summary: 'One shipment import: status, progress, counts; poll while it runs', params: idParams, response: { 200: ShipmentImportJob } },
  }, async (req) => imports.getJob(ctxOf(req, deps), req.params.id));
  app.post('/api/v1/delivery/imports/:id/preview', {
    config: { policy: 'delivery:write' },
    schema: { tags, summary: 'The first rows as they would be imported, with each row\'s problems and keys; writes nothing', params: idParams, body: ShipmentPreviewBody, response: { 200: ShipmentPreviewResult } },
  }, async (req) => imports.preview(ctxOf(req, deps), req.params.id, req.body));
  app.post('/api/v1/delivery/imports/:id/start', {
    config: { policy: 'delivery:write' },
    schema: {
      tags, summary: 'Start the import (or a dry run) in the background: every row or none', params: idParams, body: ShipmentStartBody, response: { 202: ShipmentImportJob },
      description: 'Idempotent by natural key: an order line by its source key (the mapped key column, else order and line number), its shipment by that key and the shipment number. Any bad row fails the whole import and the error file lists every problem with its line number. Text in the weight or freight column is kept as the note, the number left empty.',
    },
  }, async (req, reply) => reply.status(202).send(await imports.start(ctxOf(req, deps), req.params.id, req.body, (e) => req.log.error({ err: e }, 'shipment import failed'))));
  app.post('/api/v1/delivery/imports/:id/cancel', {
    config: { policy: 'delivery:write' },
    schema: { tags, summary: 'Cancel a running import: it rolls back, nothing is written', params: idParams, response: { 202: ShipmentImportJob } },
  }, async (req, reply) => reply.status(202).send(await imports.cancel(ctxOf(req, deps), req.params.id)));
  app.get('/api/v1/delivery/imports/:id/errors', {
    config: { policy: 'delivery:write' },
    schema: { tags, summary: 'The problems as CSV: line, column, value, reason', params: idParams, produces: ['text/csv'] },
  }, async (req, reply) => {
    const f = await imports.errorFile(ctxOf(req, deps), req.params.id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${encodeURIComponent(f.name)}"`).header('cache-control', 'no-store').send(createReadStream(f.file));
  });
}
