/**
 * Price lists (issue 15): lists per account, customer group, territory or everyone, with validity,
 * currency, priority and quantity breaks (all-units or graduated); the price lookup with its reason;
 * the import of a list's prices from CSV or XLSX; an account's price group.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { idParams } from '../../server/http.js';
import {
  AccountPricing, CreatePriceListBody, ImportQuery, ImportResult, ItemQuery, itemParams, PriceGroupBody, PriceGroups, PriceList, PriceListItem, PriceListQuery,
  PutItemBody, QuoteQuery, QuoteResponse, UpdatePriceListBody,
} from './pricing.contract.js';
import { pricingContribution } from './pricing.contributions.js';
import { importPrices, MAX_IMPORT_BYTES } from './pricing.import.js';
import * as pricing from './pricing.service.js';

const tags = ['pricing'];
const uploadTypes = ['text/csv', 'application/csv', 'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'];
const VersionQuery = z.strictObject({ version: z.coerce.number().int() });
const DateQuery = z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').optional() });

export async function pricingRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  deps.contributions.add(pricingContribution);

  // The import takes the file's bytes as the body (as the sales import does), streamed to a temporary file.
  await fastify.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser(uploadTypes, (_req, payload, done) => done(null, payload));
    child.withTypeProvider<ZodTypeProvider>().post('/api/v1/price-lists/:id/import', {
      config: { policy: 'price:write' },
      schema: {
        tags, summary: `Import a list's prices from CSV or XLSX (the raw bytes as the body, at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB): columns sku, from, unit_price; all lines or none`,
        description: 'Idempotent: a product whose breaks are already those of the file is left alone. Any bad line and nothing is written; every bad line is listed with its line number. replace=true takes products not in the file off the list. Each product created, changed or removed is audited with its old and new breaks.',
        consumes: uploadTypes, params: idParams, querystring: ImportQuery, response: { 200: ImportResult },
      },
    }, async (req) => importPrices(ctxOf(req, deps), req.params.id, req.body as Readable, req.query));
  });

  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/price-lists', {
    config: { policy: 'price:read' },
    schema: { tags, summary: 'Price lists (a list for one account only if you see the account)', querystring: PriceListQuery, response: { 200: z.object({ items: z.array(PriceList), nextCursor: z.string().nullable() }) } },
  }, async (req) => pricing.listLists(ctxOf(req, deps), req.query));
  app.post('/api/v1/price-lists', {
    config: { policy: 'price:write' },
    schema: { tags, summary: 'Create a price list (its prices are added per product or imported)', body: CreatePriceListBody, response: { 201: PriceList } },
  }, async (req, reply) => reply.status(201).send(await pricing.createList(ctxOf(req, deps), req.body)));
  app.get('/api/v1/price-lists/:id', {
    config: { policy: 'price:read' },
    schema: { tags, summary: 'One price list', params: idParams, response: { 200: PriceList } },
  }, async (req) => pricing.getList(ctxOf(req, deps), req.params.id));
  app.patch('/api/v1/price-lists/:id', {
    config: { policy: 'price:write' },
    schema: { tags, summary: 'Change a price list (the version read goes in the body)', params: idParams, body: UpdatePriceListBody, response: { 200: PriceList } },
  }, async (req) => pricing.updateList(ctxOf(req, deps), req.params.id, req.body));
  app.delete('/api/v1/price-lists/:id', {
    config: { policy: 'price:write' },
    schema: { tags, summary: 'Delete a price list and its prices', params: idParams, querystring: VersionQuery },
  }, async (req, reply) => { await pricing.deleteList(ctxOf(req, deps), req.params.id, req.query.version); return reply.status(204).send(); });

  app.get('/api/v1/price-lists/:id/items', {
    config: { policy: 'price:read' },
    schema: { tags, summary: 'The products on a list with their quantity breaks, by SKU', params: idParams, querystring: ItemQuery, response: { 200: z.object({ items: z.array(PriceListItem), nextCursor: z.string().nullable() }) } },
  }, async (req) => pricing.listItems(ctxOf(req, deps), req.params.id, req.query));
  app.put('/api/v1/price-lists/:id/items/:productId', {
    config: { policy: 'price:write' },
    schema: { tags, summary: 'Set a product\'s quantity breaks on a list', params: itemParams, body: PutItemBody, response: { 200: PriceListItem } },
  }, async (req) => pricing.putItem(ctxOf(req, deps), req.params.id, req.params.productId, req.body.breaks));
  app.delete('/api/v1/price-lists/:id/items/:productId', {
    config: { policy: 'price:write' },
    schema: { tags, summary: 'Take a product off a list', params: itemParams },
  }, async (req, reply) => { await pricing.deleteItem(ctxOf(req, deps), req.params.id, req.params.productId); return reply.status(204).send(); });

  app.get('/api/v1/prices/quote', {
    config: { policy: 'price:read' },
    schema: {
      tags, summary: 'The price of a quantity for an account on a date, and why: which list won and on which rule, which break, each band (price null: no list covers it)',
      querystring: QuoteQuery, response: { 200: QuoteResponse },
    },
  }, async (req) => ({ price: await pricing.quoteFor(ctxOf(req, deps), req.query) }));

  app.get('/api/v1/price-groups', {
    config: { policy: 'price:read' },
    schema: { tags, summary: 'The customer groups accounts are priced in, with how many accounts each', response: { 200: PriceGroups } },
  }, async (req) => pricing.listPriceGroups(ctxOf(req, deps)));
  app.get('/api/v1/accounts/:id/price-lists', {
    config: { policy: 'price:read' },
    schema: { tags, summary: 'The price lists in force for an account on a date (today by default), strongest first', params: idParams, querystring: DateQuery, response: { 200: AccountPricing } },
  }, async (req) => pricing.accountPricing(ctxOf(req, deps), req.params.id, req.query.date));
  app.put('/api/v1/accounts/:id/price-group', {
    config: { policy: 'price:write' },
    schema: { tags, summary: 'Put an account in a customer group for pricing (null: none)', params: idParams, body: PriceGroupBody, response: { 200: AccountPricing } },
  }, async (req) => pricing.setPriceGroup(ctxOf(req, deps), req.params.id, req.body.priceGroup));
}
