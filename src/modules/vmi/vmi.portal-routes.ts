import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { DraftParams, PortalOrder, PortalOrderList, PortalOrderQuery, SignBody, SignResult } from './vmi.contract.js';
import * as signing from './vmi.signing.js';

const tags = ['vmi'];

/** The dealer's VMI orders in the portal (decision 034): its own, nothing internal; it accepts, changes within bounds or rejects. */
export async function vmiPortalRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/api/v1/portal/vmi/orders', {
    config: { policy: 'vmi:portal' },
    schema: { tags, summary: 'The dealer\'s own VMI orders sent for signature (and those decided or expired), newest first', querystring: PortalOrderQuery, response: { 200: PortalOrderList } },
  }, async (req) => signing.listOwnOrders(ctxOf(req, deps), req.query));
  app.get('/api/v1/portal/vmi/orders/:id', {
    config: { policy: 'vmi:portal' },
    schema: { tags, summary: 'One of the dealer\'s VMI orders: its lines with the bounds it may sign within, and its signature', params: DraftParams, response: { 200: PortalOrder } },
  }, async (req) => signing.getOwnOrder(ctxOf(req, deps), req.params.id));
  app.post('/api/v1/portal/vmi/orders/:id/sign', {
    config: { policy: 'vmi:portal' },
    schema: { tags, summary: 'Accept, change (each line within its bounds) or reject (with a reason) the order at the version you saw; 409 when it changed since, 410 when it expired', params: DraftParams, body: SignBody, response: { 200: SignResult } },
  }, async (req) => signing.signOrder(ctxOf(req, deps), req.params.id, req.body));
}
