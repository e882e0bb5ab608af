import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { idParams } from '../../server/http.js';
import { BatchResult, DeliveryTermsInput, DeliveryTermsOut, OpenLineOut, OpenLinesQuery, OrderLineBatch, OtifQuery, OtifResult, OverdueLineOut, OverdueLinesQuery, PortalDeliverySummary, ShipmentOut, ShipmentQuery } from './delivery.contract.js';
import { deliveryContribution } from './delivery.contributions.js';
import * as delivery from './delivery.service.js';

const tags = ['delivery'];
const Shipments = z.object({ items: z.array(ShipmentOut) });

/**
 * Delivery: order lines and shipments taken in batches, OTIF by dealer, territory, lane, mode,
 * carrier and month (decision 018), shipment lists with lateness; the dealer's own deliveries in
 * the portal, without freight cost or weight.
 */
export async function deliveryRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  deps.contributions.add(deliveryContribution);
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post('/api/v1/delivery/order-lines', {
    config: { policy: 'delivery:write' },
    schema: { tags, summary: 'Take a batch of order lines with their shipments: all or nothing, idempotent by source key (a re-sent batch changes nothing); dryRun checks and counts without saving', body: OrderLineBatch, response: { 200: BatchResult } },
  }, async (req) => delivery.upsertOrderLines(ctxOf(req, deps), req.body));
  app.get('/api/v1/delivery/otif', {
    config: { policy: 'delivery:read' },
    schema: { tags, summary: 'OTIF of the order lines you see, per line, per order and by volume, with the lateness distribution (decision 018); an empty month is no data, not 100 %; limit/offset page the dealers (decision 033)', querystring: OtifQuery, response: { 200: OtifResult } },
    // Tens of thousands of groups: the answer is built field by field to OtifResult's type by the
    // service, so it is written as it is, without a second, checked copy (decision 033; a test
    // holds the route's body equal to the schema's encoding).
    serializerCompiler: () => (data) => JSON.stringify(data),
  }, async (req) => delivery.otif(ctxOf(req, deps), req.query));
  app.get('/api/v1/delivery/shipments', {
    config: { policy: 'delivery:read' },
    schema: { tags, summary: 'Shipments of the accounts you see, newest delivery first, with days late', querystring: ShipmentQuery, response: { 200: Shipments } },
  }, async (req) => delivery.shipments(ctxOf(req, deps), req.query, true));
  app.get('/api/v1/accounts/:id/shipments', {
    config: { policy: 'delivery:read' },
    schema: { tags, summary: 'An account\'s shipments, newest delivery first, with days late', params: idParams, querystring: ShipmentQuery, response: { 200: Shipments } },
  }, async (req) => delivery.shipments(ctxOf(req, deps), { ...req.query, accountId: req.params.id }, true));
  app.get('/api/v1/accounts/:id/open-lines', {
    config: { policy: 'delivery:read' },
    schema: { tags, summary: 'An account\'s open order lines not yet delivered in full, soonest promise first, with days to the promise (negative: overdue) and the VMI draft a signed VMI order came from', params: idParams, querystring: OpenLinesQuery, response: { 200: z.object({ items: z.array(OpenLineOut), total: z.number().int() }) } },
  }, async (req) => delivery.openLines(ctxOf(req, deps), req.params.id, req.query));
  app.get('/api/v1/delivery/open-lines', {
    config: { policy: 'delivery:read' },
    schema: { tags, summary: 'Open order lines of the accounts you see not yet delivered in full, soonest promise first, with days to the promise and the VMI draft a signed VMI order came from', querystring: OpenLinesQuery, response: { 200: z.object({ items: z.array(OpenLineOut), total: z.number().int() }) } },
  }, async (req) => delivery.openLines(ctxOf(req, deps), undefined, req.query));
  app.get('/api/v1/accounts/:id/delivery-terms', {
    config: { policy: 'delivery:read' },
    schema: { tags, summary: 'A dealer\'s delivery terms: the on-time window, the in-full tolerance and the calendar its OTIF is judged on (defaults when none are agreed)', params: idParams, response: { 200: DeliveryTermsOut } },
  }, async (req) => delivery.getTerms(ctxOf(req, deps), req.params.id));
  app.put('/api/v1/accounts/:id/delivery-terms', {
    config: { policy: 'delivery:write' },
    schema: { tags, summary: 'Set a dealer\'s delivery terms; send the version read to change existing ones (409 when someone changed them first); audited', params: idParams, body: DeliveryTermsInput, response: { 200: DeliveryTermsOut } },
  }, async (req) => delivery.putTerms(ctxOf(req, deps), req.params.id, req.body));
  app.get('/api/v1/portal/deliveries', {
    config: { policy: 'delivery:portal' },
    schema: { tags, summary: 'The dealer\'s own deliveries with days late (no freight cost or weight)', querystring: ShipmentQuery, response: { 200: Shipments } },
  }, async (req) => delivery.shipments(ctxOf(req, deps), req.query, false));
  app.get('/api/v1/delivery/overdue-lines', {
    config: { policy: 'delivery:read' },
    schema: { tags, summary: 'Open order lines of the accounts you see past their promised date and not delivered in full, oldest promise first', querystring: OverdueLinesQuery, response: { 200: z.object({ items: z.array(OverdueLineOut), total: z.number().int() }) } },
  }, async (req) => delivery.overdueLines(ctxOf(req, deps), req.query));
  app.get('/api/v1/portal/delivery-summary', {
    config: { policy: 'delivery:portal' },
    schema: { tags, summary: 'The dealer\'s own on-time share by month over the last 12 months (no tolerance); nothing of other dealers', response: { 200: PortalDeliverySummary } },
  }, async (req) => delivery.portalSummary(ctxOf(req, deps)));
}
