import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { AddRateBody, CreateLaneBody, DecideBody, Lane, LaneParams, LaneQuery, Plan, PlanQuery, ProposeBody, Rate, RejectBody, Rule, RuleParams, UpdateLaneBody } from './lanes.contract.js';
import { lanesContribution } from './lanes.contributions.js';
import * as lanes from './lanes.service.js';

const tags = ['lanes'];

/**
 * Lanes and seasonal mode planning (decision 024): lanes of the dealers you see, their rate
 * tables, the month-by-month comparison of ship, rail and road, and seasonal rules proposed from
 * it and approved by the dealer's manager, a director or an admin.
 */
export async function lanesRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  deps.contributions.add(lanesContribution);
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/api/v1/lanes', {
    config: { policy: 'delivery:read' },
    schema: { tags, summary: 'Lanes of the dealers you see, each with the approved rule in force or coming', querystring: LaneQuery, response: { 200: z.object({ items: z.array(Lane) }) } },
  }, async (req) => lanes.listLanes(ctxOf(req, deps), req.query));
  app.post('/api/v1/lanes', {
    config: { policy: 'lane:plan' },
    schema: { tags, summary: 'Create a lane to a dealer you see (code unique)', body: CreateLaneBody, response: { 201: Lane } },
  }, async (req, reply) => reply.status(201).send(await lanes.createLane(ctxOf(req, deps), req.body)));
  app.get('/api/v1/lanes/:code', {
    config: { policy: 'delivery:read' },
    schema: { tags, summary: 'One lane', params: LaneParams, response: { 200: Lane } },
  }, async (req) => lanes.getLane(ctxOf(req, deps), req.params.code));
  app.patch('/api/v1/lanes/:code', {
    config: { policy: 'lane:plan' },
    schema: { tags, summary: 'Change a lane (ports, typhoon distance, default mode, tonnage…); `version` as last read', params: LaneParams, body: UpdateLaneBody, response: { 200: Lane } },
  }, async (req) => lanes.updateLane(ctxOf(req, deps), req.params.code, req.body));
  app.get('/api/v1/lanes/:code/rates', {
    config: { policy: 'delivery:read' },
    schema: { tags, summary: 'The lane\'s rate table by mode and validity', params: LaneParams, response: { 200: z.object({ items: z.array(Rate) }) } },
  }, async (req) => lanes.listRates(ctxOf(req, deps), req.params.code));
  app.post('/api/v1/lanes/:code/rates', {
    config: { policy: 'lane:plan' },
    schema: { tags, summary: 'Add a rate line; one sharing a day with another line of the same mode is refused (409 rate_overlap)', params: LaneParams, body: AddRateBody, response: { 201: Rate } },
  }, async (req, reply) => reply.status(201).send(await lanes.addRate(ctxOf(req, deps), req.params.code, req.body)));
  app.get('/api/v1/lanes/:code/plan', {
    config: { policy: 'delivery:read' },
    schema: { tags, summary: 'Ship, rail and road month by month: rate, transit mean/median/p90, delay against the promise, typhoon chances, and the rules proposed for from → to', params: LaneParams, querystring: PlanQuery, response: { 200: Plan } },
  }, async (req) => lanes.lanePlan(ctxOf(req, deps), req.params.code, req.query));
  app.get('/api/v1/lanes/:code/rules', {
    config: { policy: 'delivery:read' },
    schema: { tags, summary: 'The lane\'s seasonal rules, newest first, with their figures and arithmetic', params: LaneParams, response: { 200: z.object({ items: z.array(Rule) }) } },
  }, async (req) => lanes.listRules(ctxOf(req, deps), req.params.code));
  app.post('/api/v1/lanes/:code/rules', {
    config: { policy: 'lane:plan' },
    schema: { tags, summary: 'Propose switching modes over whole months, priced from the plan as of now', params: LaneParams, body: ProposeBody, response: { 201: Rule } },
  }, async (req, reply) => reply.status(201).send(await lanes.proposeRule(ctxOf(req, deps), req.params.code, req.body)));
  app.post('/api/v1/lanes/:code/rules/:id/approve', {
    config: { policy: 'lane:approve' },
    schema: { tags, summary: 'Approve a proposed rule (the dealer\'s manager, a director or an admin): it becomes the plan, superseding approved rules it overlaps', params: RuleParams, body: DecideBody, response: { 200: Rule } },
  }, async (req) => lanes.approveRule(ctxOf(req, deps), req.params.code, req.params.id, req.body));
  app.post('/api/v1/lanes/:code/rules/:id/reject', {
    config: { policy: 'lane:approve' },
    schema: { tags, summary: 'Reject a proposed rule, with the reason', params: RuleParams, body: RejectBody, response: { 200: Rule } },
  }, async (req) => lanes.rejectRule(ctxOf(req, deps), req.params.code, req.params.id, req.body));
}
