import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { idParams } from '../../server/http.js';
import { AccountStock, PortalStockBatch, StockBatchResult, StockOuts, StockOutsQuery, StockReportBatch } from './stock.contract.js';
import { stockContribution } from './stock.contributions.js';
import { stockImportRoutes } from './stock.import-routes.js';
import * as stock from './stock.service.js';

const tags = ['stock'];
const Period = StockOutsQuery.omit({ accountId: true });

/**
 * Dealer stock reports (taken in batches, or from the dealer in the portal) and the stock-outs
 * derived from them (decision 025): days out, sales likely lost, the late lines that caused them.
 */
export async function stockRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  deps.contributions.add(stockContribution);
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post('/api/v1/stock/reports', {
    config: { policy: 'delivery:write' },
    schema: { tags, summary: 'Take a batch of dealer stock reports: all or nothing (each problem at its line number), idempotent by source key; dryRun checks and counts without saving', body: StockReportBatch, response: { 200: StockBatchResult } },
  }, async (req) => stock.upsertReports(ctxOf(req, deps), req.body));
  app.get('/api/v1/stock/outs', {
    config: { policy: 'delivery:read' },
    schema: { tags, summary: 'Stock-outs per dealer and product in [from, to) (default the last 90 days): days out, spells, sales likely lost and the late lines that caused them', querystring: StockOutsQuery, response: { 200: StockOuts } },
  }, async (req) => stock.stockOuts(ctxOf(req, deps), req.query));
  app.get('/api/v1/accounts/:id/stock', {
    config: { policy: 'delivery:read' },
    schema: { tags, summary: 'An account\'s latest stock per product and its stock-outs in the period', params: idParams, querystring: Period, response: { 200: AccountStock } },
  }, async (req) => stock.accountStock(ctxOf(req, deps), req.params.id, req.query, true));
  app.get('/api/v1/portal/stock', {
    config: { policy: 'delivery:portal' },
    schema: { tags, summary: 'The dealer\'s own latest stock and stock-outs (no prices or values)', querystring: Period, response: { 200: AccountStock } },
  }, async (req) => {
    const ctx = ctxOf(req, deps);
    return stock.accountStock(ctx, ctx.actor.accountId ?? '00000000-0000-7000-8000-000000000000', req.query, false);
  });
  app.post('/api/v1/portal/stock-reports', {
    config: { policy: 'delivery:portal' },
    schema: { tags, summary: 'The dealer reports its own stock (its own account only; a second report of a product and date corrects the first)', body: PortalStockBatch, response: { 200: StockBatchResult } },
  }, async (req) => stock.reportOwnStock(ctxOf(req, deps), req.body));
  await stockImportRoutes(fastify, deps);
}
