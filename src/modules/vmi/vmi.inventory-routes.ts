import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { AccountInventory, InventoryParams, InventoryQuery } from './vmi.inventory-contract.js';
import { accountInventory } from './vmi.inventory-service.js';

/** The account's VMI inventory read (decision 035): staff who read VMI (vmi:read), scoped by account; not in the portal. */
export async function vmiInventoryRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/api/v1/vmi/accounts/:accountId/inventory', {
    config: { policy: 'vmi:read' },
    schema: {
      tags: ['vmi'], summary: 'An account\'s dealer inventory per product (one page): on hand, in transit, weekly sell-through, the forecast band, and the 12-month replay of the VMI policy against the dealer\'s actual orders',
      params: InventoryParams, querystring: InventoryQuery, response: { 200: AccountInventory },
    },
  }, async (req) => accountInventory(ctxOf(req, deps), req.params.accountId, req.query));
}
