/**
 * Priority delivery in the peak season: depots, truckloads reserved per depot and week for entitled
 * accounts, and orders placed against a reservation (issue 14, item 3).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { idParams } from '../../server/http.js';
import {
  CapacityOrder, CreateDepotBody, CreateReservationBody, Depot, OrderList, OrderStatusBody, PlaceOrderBody, Reservation, ReservationList, ReservationQuery,
  UpdateReservationBody,
} from './capacity.contract.js';
import { capacityContribution } from './capacity.contributions.js';
import * as capacity from './capacity.service.js';

const tags = ['capacity'];

export async function capacityRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  deps.contributions.add(capacityContribution);
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/depots', {
    config: { policy: 'service:read' },
    schema: { tags, summary: 'Plants and depots that deliver', response: { 200: z.object({ items: z.array(Depot) }) } },
  }, async (req) => ({ items: await capacity.listDepots(ctxOf(req, deps)) }));
  app.post('/api/v1/depots', {
    config: { policy: 'capacity:plan' },
    schema: { tags, summary: 'Add a plant or depot', body: CreateDepotBody, response: { 201: Depot } },
  }, async (req, reply) => reply.status(201).send(await capacity.createDepot(ctxOf(req, deps), req.body)));

  app.get('/api/v1/capacity-reservations', {
    config: { policy: 'service:read' },
    schema: {
      tags, summary: 'Reserved priority-delivery truckloads per depot and week, with what is ordered and the warnings (over-subscribed, going unused)',
      querystring: ReservationQuery, response: { 200: ReservationList },
    },
  }, async (req) => capacity.listReservations(ctxOf(req, deps), req.query));
  app.post('/api/v1/capacity-reservations', {
    config: { policy: 'capacity:plan' },
    schema: { tags, summary: 'Reserve truckloads of a depot for a week', body: CreateReservationBody, response: { 201: Reservation } },
  }, async (req, reply) => reply.status(201).send(await capacity.createReservation(ctxOf(req, deps), req.body)));
  app.patch('/api/v1/capacity-reservations/:id', {
    config: { policy: 'capacity:plan' },
    schema: { tags, summary: 'Change a reservation (the version read goes in the body)', params: idParams, body: UpdateReservationBody, response: { 200: Reservation } },
  }, async (req) => capacity.updateReservation(ctxOf(req, deps), req.params.id, req.body));

  app.get('/api/v1/capacity-reservations/:id/orders', {
    config: { policy: 'service:read' },
    schema: { tags, summary: 'The orders placed against a reservation (of the accounts in your scope)', params: idParams, response: { 200: OrderList } },
  }, async (req) => capacity.listOrders(ctxOf(req, deps), req.params.id));
  app.post('/api/v1/capacity-reservations/:id/orders', {
    config: { policy: 'service:write' },
    schema: {
      tags, summary: 'Place an order against a reservation: takes its truckloads from the account\'s entitlement (409 over_subscribed, entitlement_exhausted)',
      params: idParams, body: PlaceOrderBody, response: { 201: CapacityOrder },
    },
  }, async (req, reply) => reply.status(201).send(await capacity.placeOrder(ctxOf(req, deps), req.params.id, req.body)));
  app.post('/api/v1/capacity-orders/:id/status', {
    config: { policy: 'service:write' },
    schema: { tags, summary: 'Mark an order delivered (cost incurred) or cancel it (truckloads given back)', params: idParams, body: OrderStatusBody, response: { 200: CapacityOrder } },
  }, async (req) => capacity.setOrderStatus(ctxOf(req, deps), req.params.id, req.body));
}
