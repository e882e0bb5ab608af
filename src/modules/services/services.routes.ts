import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { idParams } from '../../server/http.js';
import {
  AccountServices, CreateEntitlementBody, CreateServiceKindBody, Entitlement, EntitlementQuery, OpenRequestBody, PutServiceLevelsBody,
  QueueSummary, RecordUsageBody, RequestAssignBody, RequestEscalateBody, RequestMessageBody, RequestQuery, RequestStatusBody, ServiceKind,
  ServiceLevel, ServiceRequest, ServiceRequestDetail, UpdateEntitlementBody, UpdateServiceKindBody, Usage, UsageQuery, WorkingTimeInfo,
} from './services.contract.js';
import { servicesContribution } from './services.contributions.js';
import * as requests from './requests.service.js';
import * as services from './services.service.js';
import { loadServiceSettings } from './services.settings.js';

const tags = ['services'];
const Version = z.strictObject({ version: z.number().int() });
const VersionQuery = z.strictObject({ version: z.coerce.number().int() });
const Levels = z.object({ levels: z.array(ServiceLevel), workingTime: WorkingTimeInfo });

export const SLA_CHECK_JOB = 'services.sla-check';

/**
 * Value beyond price: the service catalogue, entitlements and their balances, logged deliveries with
 * their cost, requests and escalations into the departments with service levels on the working
 * calendar, and the clock check that warns and escalates.
 */
export async function servicesRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const settings = loadServiceSettings();
  const desk = (req: Parameters<typeof ctxOf>[0]) => ({ ...ctxOf(req, deps), calendar: settings.calendar });
  deps.contributions.add(servicesContribution);
  await deps.jobs.register(SLA_CHECK_JOB, async () => { await requests.checkClocks(deps); });
  await deps.jobs.every(SLA_CHECK_JOB, settings.checkMinutes);

  const app = fastify.withTypeProvider<ZodTypeProvider>();

  // ---------- catalogue
  app.get('/api/v1/service-kinds', {
    config: { policy: 'service:read' },
    schema: { tags, summary: 'The service catalogue: kinds of service, unit, unit cost, delivering department', response: { 200: z.object({ items: z.array(ServiceKind) }) } },
  }, async (req) => services.listKinds(ctxOf(req, deps)));
  app.post('/api/v1/service-kinds', {
    config: { policy: 'service:admin' },
    schema: { tags, summary: 'Add a service to the catalogue', body: CreateServiceKindBody, response: { 201: ServiceKind } },
  }, async (req, reply) => reply.status(201).send(await services.createKind(ctxOf(req, deps), req.body)));
  app.patch('/api/v1/service-kinds/:id', {
    config: { policy: 'service:admin' },
    schema: { tags, summary: 'Change a service (or withdraw it: active false)', params: idParams, body: UpdateServiceKindBody, response: { 200: ServiceKind } },
  }, async (req) => services.updateKind(ctxOf(req, deps), req.params.id, req.body));

  // ---------- entitlements
  app.get('/api/v1/service-entitlements', {
    config: { policy: 'service:read' },
    schema: { tags, summary: 'Entitlements: per tier, per account, per agreement (for an account: those that apply to it)', querystring: EntitlementQuery, response: { 200: z.object({ items: z.array(Entitlement) }) } },
  }, async (req) => services.listEntitlements(ctxOf(req, deps), req.query));
  app.post('/api/v1/service-entitlements', {
    config: { policy: 'service:admin' },
    schema: { tags, summary: 'Grant an entitlement', body: CreateEntitlementBody, response: { 201: Entitlement } },
  }, async (req, reply) => reply.status(201).send(await services.createEntitlement(ctxOf(req, deps), req.body)));
  app.patch('/api/v1/service-entitlements/:id', {
    config: { policy: 'service:admin' },
    schema: { tags, summary: 'Change an entitlement (quantity, carry-over, seasons, end)', params: idParams, body: UpdateEntitlementBody, response: { 200: Entitlement } },
  }, async (req) => services.updateEntitlement(ctxOf(req, deps), req.params.id, req.body));
  app.delete('/api/v1/service-entitlements/:id', {
    config: { policy: 'service:admin' },
    schema: { tags, summary: 'Withdraw an entitlement (what was used under it stays in the ledger)', params: idParams, querystring: VersionQuery },
  }, async (req, reply) => { await services.deleteEntitlement(ctxOf(req, deps), req.params.id, req.query.version); return reply.status(204).send(); });

  // ---------- an account's services
  app.get('/api/v1/accounts/:id/services', {
    config: { policy: 'service:read' },
    schema: { tags, summary: "The account's services: used and remaining this period, cost to serve by kind and month", params: idParams, response: { 200: AccountServices } },
  }, async (req) => services.accountServices(ctxOf(req, deps), req.params.id, { withCost: true }));
  app.get('/api/v1/portal/services', {
    config: { policy: 'service:request' },
    schema: { tags, summary: "The dealer's own services: used and remaining this period (no cost)", response: { 200: AccountServices } },
  }, async (req) => {
    const ctx = ctxOf(req, deps);
    if (!ctx.actor.accountId) throw new AppError('not_found', 404, 'Only a dealer portal user has a company of its own here; staff open the account page');
    return services.accountServices(ctx, ctx.actor.accountId, { withCost: false, portalOnly: true });
  });

  // ---------- usage (delivered services and their cost)
  app.get('/api/v1/service-usage', {
    config: { policy: 'service:read' },
    schema: { tags, summary: 'Services taken and delivered, newest first', querystring: UsageQuery, response: { 200: z.object({ items: z.array(Usage), nextCursor: z.string().nullable() }) } },
  }, async (req) => services.listUsage(ctxOf(req, deps), req.query));
  app.post('/api/v1/service-usage', {
    config: { policy: 'service:write' },
    schema: { tags, summary: 'Log a service delivered (or taken) against the account\'s entitlement; 409 entitlement_exhausted when nothing is left', body: RecordUsageBody, response: { 201: Usage } },
  }, async (req, reply) => reply.status(201).send(await services.recordUsage(ctxOf(req, deps), req.body)));
  app.post('/api/v1/service-usage/:id/deliver', {
    config: { policy: 'service:write' },
    schema: { tags, summary: 'Mark a taken service delivered (its cost is incurred now)', params: idParams, body: Version, response: { 200: Usage } },
  }, async (req) => services.settle(ctxOf(req, deps), req.params.id, req.body.version, 'delivered'));
  app.post('/api/v1/service-usage/:id/release', {
    config: { policy: 'service:write' },
    schema: { tags, summary: 'Give a taken service back to the entitlement (not delivered)', params: idParams, body: Version, response: { 200: Usage } },
  }, async (req) => services.settle(ctxOf(req, deps), req.params.id, req.body.version, 'released'));

  // ---------- requests
  app.get('/api/v1/service-requests', {
    config: { policy: 'service:request' },
    schema: { tags, summary: 'Requests and escalations you may see: a department queue, an account\'s, or (dealers) your own', querystring: RequestQuery, response: { 200: z.object({ items: z.array(ServiceRequest), nextCursor: z.string().nullable() }) } },
  }, async (req) => requests.listRequests(desk(req), req.query));
  app.post('/api/v1/service-requests', {
    config: { policy: 'service:request' },
    schema: { tags, summary: 'Open a request or an escalation into the department it concerns', body: OpenRequestBody, response: { 201: ServiceRequestDetail } },
  }, async (req, reply) => reply.status(201).send(await requests.openRequest(desk(req), req.body)));
  app.get('/api/v1/service-requests/:id', {
    config: { policy: 'service:request' },
    schema: { tags, summary: 'One request with its thread (dealers never see internal notes)', params: idParams, response: { 200: ServiceRequestDetail } },
  }, async (req) => requests.getRequest(desk(req), req.params.id));
  app.post('/api/v1/service-requests/:id/messages', {
    config: { policy: 'service:request' },
    schema: { tags, summary: 'Answer on the request (or, staff, add an internal note)', params: idParams, body: RequestMessageBody, response: { 200: ServiceRequestDetail } },
  }, async (req) => requests.addMessage(desk(req), req.params.id, req.body));
  app.post('/api/v1/service-requests/:id/status', {
    config: { policy: 'service:request' },
    schema: { tags, summary: 'Move the request on: in progress, waiting on the customer (the clock pauses), resolved, closed, reopened', params: idParams, body: RequestStatusBody, response: { 200: ServiceRequestDetail } },
  }, async (req) => requests.setStatus(desk(req), req.params.id, req.body));
  app.post('/api/v1/service-requests/:id/take', {
    config: { policy: 'service:queue' },
    schema: { tags, summary: 'Take the request from your department\'s queue', params: idParams, body: Version, response: { 200: ServiceRequestDetail } },
  }, async (req) => requests.takeRequest(desk(req), req.params.id, req.body.version));
  app.post('/api/v1/service-requests/:id/assign', {
    config: { policy: 'service:queue' },
    schema: { tags, summary: 'Give the request to someone in the department (or back to the queue)', params: idParams, body: RequestAssignBody, response: { 200: ServiceRequestDetail } },
  }, async (req) => requests.assignRequest(desk(req), req.params.id, req.body));
  app.post('/api/v1/service-requests/:id/escalate', {
    config: { policy: 'service:read' },
    schema: { tags, summary: 'Escalate one level: the account\'s director, then management', params: idParams, body: RequestEscalateBody, response: { 200: ServiceRequestDetail } },
  }, async (req) => requests.escalateRequest(desk(req), req.params.id, req.body));
  app.get('/api/v1/service-queues', {
    config: { policy: 'service:queue' },
    schema: { tags, summary: 'Each department\'s queue: active, unassigned, due soon, overdue', response: { 200: z.object({ items: z.array(QueueSummary), mine: z.string().nullable() }) } },
  }, async (req) => requests.queueSummary(ctxOf(req, deps)));

  // ---------- service levels
  app.get('/api/v1/service-levels', {
    config: { policy: 'service:read' },
    schema: { tags, summary: 'Response and resolution targets per type and priority (working minutes), and the working time they count in', response: { 200: Levels } },
  }, async (req) => services.serviceLevels(ctxOf(req, deps), settings));
  app.put('/api/v1/service-levels', {
    config: { policy: 'service:admin' },
    schema: { tags, summary: 'Set targets (new requests count by them)', body: PutServiceLevelsBody, response: { 200: Levels } },
  }, async (req) => services.putServiceLevels(ctxOf(req, deps), settings, req.body));
}
