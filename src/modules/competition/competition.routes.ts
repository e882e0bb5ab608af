import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { idParams } from '../../server/http.js';
import {
  AlertQuery, CompareBody, Comparison, DecisionBody, Observation, ObservationQuery, Offer, OfferQuery, OfferSummary, OutcomeBody, RecordObservationBody,
  RecordObservationResult, Trend, TrendQuery, UndercutAlert, Waterfall, WaterfallQuery,
} from './competition.contract.js';
import { competitionContribution } from './competition.contributions.js';
import * as competition from './competition.service.js';
import { loadCompetitionSettings } from './competition.settings.js';

const tags = ['competition'];
const Version = z.strictObject({ version: z.number().int() });

/**
 * Competition: competitor prices seen in the field and their trend by region, undercut alerts
 * against our pocket price, the price waterfall, and the concession-vs-value comparison of a
 * competitor's offer with the decision and its outcome. Staff only; a dealer is refused everywhere.
 */
export async function competitionRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const settings = loadCompetitionSettings();
  deps.contributions.add(competitionContribution);
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/competitor-observations', {
    config: { policy: 'competitor:read' },
    schema: { tags, summary: 'Competitor prices seen, newest first (of the accounts you see, and of regions only)', querystring: ObservationQuery, response: { 200: z.object({ items: z.array(Observation), nextCursor: z.string().nullable() }) } },
  }, async (req) => competition.listObservations(ctxOf(req, deps), req.query));
  app.post('/api/v1/competitor-observations', {
    config: { policy: 'competitor:write' },
    schema: { tags, summary: 'Record a competitor price (at a dealer: compared with our pocket price there; an undercut above the set share raises an alert)', body: RecordObservationBody, response: { 201: RecordObservationResult } },
  }, async (req, reply) => reply.status(201).send(await competition.recordObservation(ctxOf(req, deps), settings, req.body)));
  app.get('/api/v1/competitor-trends', {
    config: { policy: 'competitor:read' },
    schema: { tags, summary: 'A product\'s competitor prices per our unit: by competitor and month, and by province', querystring: TrendQuery.extend({ currency: z.string().regex(/^[A-Z]{3}$/).default('CNY') }), response: { 200: Trend } },
  }, async (req) => competition.trend(ctxOf(req, deps), req.query));

  app.get('/api/v1/undercut-alerts', {
    config: { policy: 'competitor:read' },
    schema: { tags, summary: 'Undercut alerts on the accounts you see', querystring: AlertQuery, response: { 200: z.object({ items: z.array(UndercutAlert) }) } },
  }, async (req) => competition.listAlerts(ctxOf(req, deps), req.query));
  app.post('/api/v1/undercut-alerts/:id/acknowledge', {
    config: { policy: 'competitor:write' },
    schema: { tags, summary: 'Acknowledge an undercut alert', params: idParams, body: Version, response: { 200: UndercutAlert } },
  }, async (req) => competition.acknowledgeAlert(ctxOf(req, deps), req.params.id, req.body.version));

  app.get('/api/v1/accounts/:id/waterfall', {
    config: { policy: 'margin:read' },
    schema: { tags, summary: 'The price waterfall of an account and product: list price to pocket price, per unit; a missing step is unknown, not zero', params: idParams, querystring: WaterfallQuery, response: { 200: Waterfall } },
  }, async (req) => competition.waterfallFor(ctxOf(req, deps), req.params.id, req.query.productId, req.query));

  app.post('/api/v1/competitor-offers/compare', {
    config: { policy: 'margin:read' },
    schema: { tags, summary: 'Concession against value for a competitor\'s offer: the cost of matching, the service alternatives, the margin at risk, and a recommendation (nothing is saved)', body: CompareBody, response: { 200: Comparison } },
  }, async (req) => competition.compare(ctxOf(req, deps), req.body));
  app.post('/api/v1/competitor-offers', {
    config: { policy: 'competitor:write' },
    schema: { tags, summary: 'Record a competitor\'s offer to an account with its comparison as it stands', body: CompareBody, response: { 201: Offer } },
  }, async (req, reply) => reply.status(201).send(await competition.createOffer(ctxOf(req, deps), req.body)));
  app.get('/api/v1/competitor-offers', {
    config: { policy: 'margin:read' },
    schema: { tags, summary: 'Competitor offers and what was decided, newest first', querystring: OfferQuery, response: { 200: z.object({ items: z.array(OfferSummary) }) } },
  }, async (req) => competition.listOffers(ctxOf(req, deps), req.query));
  app.get('/api/v1/competitor-offers/:id', {
    config: { policy: 'margin:read' },
    schema: { tags, summary: 'One competitor offer with its comparison', params: idParams, response: { 200: Offer } },
  }, async (req) => competition.getOffer(ctxOf(req, deps), req.params.id));
  app.post('/api/v1/competitor-offers/:id/decision', {
    config: { policy: 'competitor:write' },
    schema: { tags, summary: 'Record the decision: match, offer value (a service), or decline', params: idParams, body: DecisionBody, response: { 200: Offer } },
  }, async (req) => competition.decideOffer(ctxOf(req, deps), req.params.id, req.body));
  app.post('/api/v1/competitor-offers/:id/outcome', {
    config: { policy: 'competitor:write' },
    schema: { tags, summary: 'Record the outcome: kept, lost or partly lost', params: idParams, body: OutcomeBody, response: { 200: Offer } },
  }, async (req) => competition.recordOutcome(ctxOf(req, deps), req.params.id, req.body));
}
