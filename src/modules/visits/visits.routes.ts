import type { FastifyInstance } from 'fastify';
import { systemActor } from '../auth/auth.domain.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { expectedVersion, idParams, withEtag } from '../../server/http.js';
import * as calendar from './calendar.service.js';
import * as plans from './call-plans.service.js';
import * as optimise from './optimise.service.js';
import {
  BatchChangeBody, CalendarFeed, CallPlan, ChangeQuery, ChangeRequestBody, CheckInBody, CheckOutBody, Compliance, ComplianceQuery, CreatedFeed,
  CreateFeedBody, CreatePlanBody, CreateRouteBody, DayProposal, DecisionBody, MaterialiseBody, MaterialiseResult, MissedBody, MoveBody,
  OptimiseDayBody, OptimiseWeekBody, paged, PlanChange, PlanQuery, ProgramManager, RouteQuery, Today, TodayQuery, UpdateRouteBody, UpdateVisitBody, Visit,
  VisitQuery, VisitRoute, WeekProposal,
} from './visits.contract.js';
import * as visits from './visits.service.js';
import { visitsContribution } from './visits.contributions.js';

const ChangeResult = z.object({ change: PlanChange, plan: CallPlan });
const ApproveAllBody = z.strictObject({ ids: z.array(z.string().uuid()).min(1).max(200), note: z.string().trim().max(2000).optional() });
const list = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item) });

/**
 * Where the app is reached from outside, for absolute links (calendar feed URLs): OPENKAM_PUBLIC_URL
 * when set, else the request's protocol and host (X-Forwarded-* honoured only with OPENKAM_TRUST_PROXY).
 */
export function publicBaseUrl(req: { protocol: string; host: string }, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.OPENKAM_PUBLIC_URL?.trim();
  if (configured) {
    try {
      const u = new URL(configured);
      if (u.protocol === 'http:' || u.protocol === 'https:') return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
    } catch { /* not a URL: fall back to the request */ }
  }
  return `${req.protocol}://${req.host}`;
}

/** The fixed visit program: routes, call plans with change control, optimisation, visits, compliance, calendar. */
export async function visitsRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const ctx = (req: Parameters<typeof ctxOf>[0]) => ctxOf(req, deps);
  deps.contributions.add(visitsContribution);

  // Every day, the next four weeks of visits are generated from the active plans.
  const MATERIALISE_JOB = 'visits.materialise';
  await deps.jobs.register(MATERIALISE_JOB, async () => {
    await visits.materialise({ ...deps, actor: systemActor(MATERIALISE_JOB), requestId: `job:${MATERIALISE_JOB}` }, { weeks: 4 });
  });
  await deps.jobs.every(MATERIALISE_JOB, 24 * 60);

  // ---- routes ----
  let tags = ['visit routes'];
  app.get('/api/v1/visit-routes', { config: { policy: 'visit:read' }, schema: { tags, summary: 'Named weekday routes you can see, with their stops', querystring: RouteQuery, response: { 200: list(VisitRoute) } } },
    async (req) => ({ items: await plans.listRoutes(ctx(req), req.query) }));
  app.post('/api/v1/visit-routes', { config: { policy: 'visit:write' }, schema: { tags, summary: 'Create a route: a manager, a weekday, a base', body: CreateRouteBody, response: { 201: VisitRoute } } },
    async (req, reply) => reply.status(201).send(withEtag(reply, await plans.createRoute(ctx(req), req.body))));
  app.get('/api/v1/visit-routes/:id', { config: { policy: 'visit:read' }, schema: { tags, summary: 'One route with its ordered stops', params: idParams, response: { 200: VisitRoute } } },
    async (req, reply) => withEtag(reply, await plans.getRoute(ctx(req), req.params.id)));
  app.patch('/api/v1/visit-routes/:id', { config: { policy: 'visit:write' }, schema: { tags, summary: 'Update a route (If-Match required)', params: idParams, body: UpdateRouteBody, response: { 200: VisitRoute } } },
    async (req, reply) => withEtag(reply, await plans.updateRoute(ctx(req), req.params.id, expectedVersion(req, req.params.id), req.body)));
  app.post('/api/v1/visit-routes/:id/optimise-day', {
    config: { policy: 'visit:read' },
    schema: { tags, summary: 'Propose the order and slot times of a route\'s day (changes nothing; submit `changes` to apply)', params: idParams, body: OptimiseDayBody, response: { 200: DayProposal } },
  }, async (req) => optimise.optimiseDay(ctx(req), req.params.id, req.body));
  app.post('/api/v1/visit-routes/optimise-week', {
    config: { policy: 'visit:read' },
    schema: { tags, summary: 'Propose weekdays for new or changed key accounts of a manager (changes nothing)', body: OptimiseWeekBody, response: { 200: WeekProposal } },
  }, async (req) => optimise.optimiseWeek(ctx(req), req.body));

  // ---- call plans and change control ----
  tags = ['call plans'];
  app.get('/api/v1/call-plans', { config: { policy: 'visit:read' }, schema: { tags, summary: 'Call plans you can see (cursor-paged)', querystring: PlanQuery, response: { 200: paged(CallPlan) } } },
    async (req) => plans.listPlans(ctx(req), req.query));
  app.get('/api/v1/visit-managers', {
    config: { policy: 'visit:read' },
    schema: {
      tags: ['visit routes'], summary: 'The managers whose visit program you can see; canPlan: you may create their plans and routes (manager: self; director: self and the teams\' managers; admin: all)',
      response: { 200: list(ProgramManager) },
    },
  }, async (req) => ({ items: await plans.programManagers(ctx(req)) }));
  app.post('/api/v1/call-plans', { config: { policy: 'visit:write' }, schema: { tags, summary: 'Create a call plan (a recurring slot); its visits are materialised', body: CreatePlanBody, response: { 201: CallPlan } } },
    async (req, reply) => reply.status(201).send(withEtag(reply, await plans.createPlan(ctx(req), req.body))));
  app.get('/api/v1/call-plans/:id', { config: { policy: 'visit:read' }, schema: { tags, summary: 'One call plan (ETag for If-Match)', params: idParams, response: { 200: CallPlan } } },
    async (req, reply) => withEtag(reply, await plans.getPlan(ctx(req), req.params.id)));
  app.post('/api/v1/call-plans/:id/changes', {
    config: { policy: 'visit:write' },
    schema: {
      tags, summary: 'Change a slot with a reason (If-Match required): a customer request applies at once, any other reason waits for the director',
      params: idParams, body: ChangeRequestBody, response: { 201: ChangeResult },
    },
  }, async (req, reply) => {
    const r = await plans.requestChange(ctx(req), req.params.id, expectedVersion(req, req.params.id), req.body);
    reply.header('etag', `"${r.plan.id}.${r.plan.version}"`);
    return reply.status(201).send(r);
  });
  app.get('/api/v1/call-plans/:id/history', { config: { policy: 'visit:read' }, schema: { tags, summary: 'The full history of a slot', params: idParams, response: { 200: list(PlanChange) } } },
    async (req) => ({ items: await plans.planHistory(ctx(req), req.params.id) }));
  app.get('/api/v1/call-plan-changes', { config: { policy: 'visit:read' }, schema: { tags, summary: 'Slot changes you can see (status=pending: awaiting approval; cursor-paged)', querystring: ChangeQuery, response: { 200: paged(PlanChange) } } },
    async (req) => plans.listChanges(ctx(req), req.query));
  app.post('/api/v1/call-plan-changes/batch', {
    config: { policy: 'visit:write' },
    schema: { tags, summary: 'Submit several slot changes with one reason (e.g. an optimisation proposal); all wait for approval', body: BatchChangeBody, response: { 201: list(PlanChange) } },
  }, async (req, reply) => reply.status(201).send({ items: await plans.requestChanges(ctx(req), req.body) }));
  app.post('/api/v1/call-plan-changes/approve', {
    config: { policy: 'plan:approve' },
    schema: { tags, summary: 'Approve a group of pending changes at once: all or none (director of the managers\' teams, or admin)', body: ApproveAllBody, response: { 200: list(PlanChange) } },
  }, async (req) => ({ items: await plans.approveChanges(ctx(req), req.body.ids, req.body.note) }));
  app.post('/api/v1/call-plan-changes/:id/approve', {
    config: { policy: 'plan:approve' },
    schema: { tags, summary: 'Approve a pending change (director of the manager\'s team, or admin)', params: idParams, body: DecisionBody, response: { 200: ChangeResult } },
  }, async (req) => plans.approveChange(ctx(req), req.params.id, req.body.note));
  app.post('/api/v1/call-plan-changes/:id/reject', {
    config: { policy: 'plan:approve' },
    schema: { tags, summary: 'Reject a pending change (director of the manager\'s team, or admin)', params: idParams, body: DecisionBody, response: { 200: ChangeResult } },
  }, async (req) => plans.rejectChange(ctx(req), req.params.id, req.body.note));

  // ---- visits ----
  tags = ['visits'];
  app.get('/api/v1/visits', { config: { policy: 'visit:read' }, schema: { tags, summary: 'Visits you can see, by period, manager, account, status (cursor-paged)', querystring: VisitQuery, response: { 200: paged(Visit) } } },
    async (req) => visits.listVisits(ctx(req), req.query));
  app.get('/api/v1/visits/today', { config: { policy: 'visit:read' }, schema: { tags, summary: 'The phone view: today\'s visits in order and the next stop', querystring: TodayQuery, response: { 200: Today } } },
    async (req) => visits.today(ctx(req), req.query.managerId));
  app.get('/api/v1/visits/compliance', { config: { policy: 'visit:read' }, schema: { tags, summary: 'Punctuality and compliance per manager and team over a period', querystring: ComplianceQuery, response: { 200: Compliance } } },
    async (req) => visits.compliance(ctx(req), req.query));
  app.post('/api/v1/visits/materialise', {
    config: { policy: 'visit:write' },
    schema: { tags, summary: 'Generate the next weeks\' visits from the plans in your scope (idempotent; also the daily job)', body: MaterialiseBody, response: { 200: MaterialiseResult } },
  }, async (req) => visits.materialise(ctx(req), req.body));
  app.get('/api/v1/visits/:id', { config: { policy: 'visit:read' }, schema: { tags, summary: 'One visit', params: idParams, response: { 200: Visit } } },
    async (req, reply) => withEtag(reply, await visits.getVisit(ctx(req), req.params.id)));
  app.patch('/api/v1/visits/:id', { config: { policy: 'visit:write' }, schema: { tags, summary: 'Outcome notes, order taken, issues (If-Match required)', params: idParams, body: UpdateVisitBody, response: { 200: Visit } } },
    async (req, reply) => withEtag(reply, await visits.updateOutcome(ctx(req), req.params.id, expectedVersion(req, req.params.id), req.body)));
  app.post('/api/v1/visits/:id/check-in', { config: { policy: 'visit:write' }, schema: { tags, summary: 'Check in from the phone: time and position', params: idParams, body: CheckInBody, response: { 200: Visit } } },
    async (req, reply) => withEtag(reply, await visits.checkIn(ctx(req), req.params.id, req.body)));
  app.post('/api/v1/visits/:id/check-out', { config: { policy: 'visit:write' }, schema: { tags, summary: 'Check out: time, position, outcome, order, issues', params: idParams, body: CheckOutBody, response: { 200: Visit } } },
    async (req, reply) => withEtag(reply, await visits.checkOut(ctx(req), req.params.id, req.body)));
  app.post('/api/v1/visits/:id/missed', { config: { policy: 'visit:write' }, schema: { tags, summary: 'Record a missed visit with its reason', params: idParams, body: MissedBody, response: { 200: Visit } } },
    async (req, reply) => withEtag(reply, await visits.markMissed(ctx(req), req.params.id, req.body.reason)));
  app.post('/api/v1/visits/:id/move', { config: { policy: 'visit:write' }, schema: { tags, summary: 'Move one visit at the customer\'s request (the plan stays)', params: idParams, body: MoveBody, response: { 200: Visit } } },
    async (req, reply) => withEtag(reply, await visits.moveVisit(ctx(req), req.params.id, req.body)));
  app.get('/api/v1/visits/:id/calendar.ics', { config: { policy: 'visit:read' }, schema: { tags, summary: 'One visit as an iCalendar file', params: idParams } },
    async (req, reply) => {
      const v = await visits.getVisit(ctx(req), req.params.id);
      return reply.type('text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="visit-${v.id}.ics"`).send(calendar.visitIcs(v, deps.clock.now()));
    });

  // ---- calendar feeds ----
  tags = ['calendar'];
  app.get('/api/v1/calendar/feeds', { config: { policy: 'visit:read' }, schema: { tags, summary: 'Your calendar feed URLs (tokens are never shown again)', response: { 200: list(CalendarFeed) } } },
    async (req) => ({ items: await calendar.listFeeds(ctx(req)) }));
  app.post('/api/v1/calendar/feeds', { config: { policy: 'visit:read' }, schema: { tags, summary: 'Create a secret iCalendar feed URL of your plan and visits (shown once)', body: CreateFeedBody, response: { 201: CreatedFeed } } },
    async (req, reply) => reply.status(201).send(await calendar.createFeed(ctx(req), req.body.name, publicBaseUrl(req))));
  app.delete('/api/v1/calendar/feeds/:id', { config: { policy: 'visit:read' }, schema: { tags, summary: 'Revoke a feed URL', params: idParams, response: { 204: z.null() } } },
    async (req, reply) => { await calendar.revokeFeed(ctx(req), req.params.id); return reply.status(204).send(null); });
  app.get('/api/v1/calendar/feeds/:token.ics', {
    config: { policy: 'public' },
    schema: { tags, summary: 'The iCalendar feed behind a secret token (subscribe from Google Calendar, Outlook, Apple Calendar)', params: z.object({ token: z.string().max(200) }) },
  }, async (req, reply) => reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(await calendar.feedIcs(deps, req.params.token)));
}
