/**
 * "Protect the dealer" API: site risk and insurance gaps, CAP warnings (upload, feeds, geocodes),
 * typhoon tracks (swaths, replay), matching and value at risk, advisories, notifications.
 * Registers its background jobs: feed polling and the matching pass that drops expired warnings.
 */
import { hazardsContribution } from './hazards.contributions.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { etagOf, expectedVersion, idParams, pageOf, withEtag } from '../../server/http.js';
import {
  AccountRisk, Advisory, AdvisoryQuery, ContactBody, DecisionBody, Notification, NotificationList, NotificationQuery, OutcomeBody,
} from './advisories.contract.js';
import * as advisories from './advisories.service.js';
import {
  AlertDetail, AlertListItem, AlertQuery, BackfillResult, CreateFeedBody, Exposure, ExposureQuery, Feed, GeocodeImportResult, ImportSiteRiskBody,
  ImportSiteRiskResult, InsuranceGapQuery, InsuranceGaps, LangQuery, Match, MatchQuery, MatchRunResult, PollResult, ReplayQuery, ReplayResult, SiteRisk,
  SiteRiskQuery, SwathQuery, SwathResult, Track, TrackDetail, TrackUploadQuery, UpdateFeedBody, UpdateSiteRiskBody, UploadQuery, UploadResult,
} from './hazards.contract.js';
import * as feeds from './feeds.service.js';
import * as hazards from './hazards.service.js';
import type { HazardCtx, HazardDeps } from './hazards.service.js';
import { loadHazardSettings } from './hazards.settings.js';
import * as siteRisk from './site-risk.service.js';

const capTypes = ['application/cap+xml', 'application/xml', 'text/xml', 'application/atom+xml', 'application/rss+xml', 'application/octet-stream'];
const trackTypes = ['text/csv', 'application/csv', 'application/json', 'application/geo+json', 'application/octet-stream'];
const geocodeTypes = ['application/json', 'application/geo+json'];

const MATCH_JOB = 'hazards.match';
const POLL_JOB = 'hazards.poll-feeds';
/** Expired warnings drop out of the matches at least this often. */
const MATCH_EVERY_MINUTES = 5;

export async function hazardsRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const settings = loadHazardSettings();
  const hd: HazardDeps = { db: deps.db, clock: deps.clock, config: deps.config, settings, log: fastify.log };
  const hctx = (req: FastifyRequest): HazardCtx => ({ ...ctxOf(req, deps), settings, log: req.log });
  deps.contributions.add(hazardsContribution(settings, fastify.log));

  await deps.jobs.register(MATCH_JOB, async () => { await hazards.runMatching(hd, hazards.systemTrigger(MATCH_JOB)); });
  await deps.jobs.register(POLL_JOB, async () => { await feeds.pollFeeds(hd, hazards.systemTrigger(POLL_JOB)); });
  await deps.jobs.every(MATCH_JOB, MATCH_EVERY_MINUTES);
  await deps.jobs.every(POLL_JOB, settings.pollMinutes);

  // Raw uploads: the bytes as the body, each route in its own context with its own content types
  // and size limit (anything else is 415). The auth hook runs on request, before the body is read.
  const rawRoute = (types: string[], add: (raw: ReturnType<FastifyInstance['withTypeProvider']>) => void) =>
    fastify.register(async (child) => {
      child.removeAllContentTypeParsers();
      child.addContentTypeParser(types, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      add(child.withTypeProvider<ZodTypeProvider>());
    });

  await rawRoute(capTypes, (raw) => {
    const r = raw.withTypeProvider<ZodTypeProvider>();
    r.post('/api/v1/hazards/alerts', {
      config: { policy: 'hazard:write' },
      bodyLimit: settings.capMaxBytes,
      schema: {
        tags: ['hazards'], summary: 'Upload a CAP 1.2 message (or EDXL-DE / <alerts> of several): stored, deduplicated, matched at once',
        description: 'Send the XML as the body (application/cap+xml or application/xml). A rejected document answers 422 with `reasons` (code, message, where) and stores nothing. Duplicates (same sender, identifier and sent) are counted, not stored again.',
        consumes: capTypes, querystring: UploadQuery, response: { 201: UploadResult, 200: UploadResult },
      },
    }, async (req, reply) => {
      const out = await hazards.uploadCap(hctx(req), req.body as Buffer, req.query.filename);
      return reply.status(out.stored.length ? 201 : 200).send(out);
    });
  });

  await rawRoute(trackTypes, (raw) => {
    raw.withTypeProvider<ZodTypeProvider>().post('/api/v1/hazards/tracks', {
      config: { policy: 'hazard:write' },
      bodyLimit: settings.trackMaxBytes,
      schema: {
        tags: ['hazards'], summary: 'Upload a typhoon track file (JTWC CSV, GeoJSON or IBTrACS CSV); every storm in it is stored with its agency',
        consumes: trackTypes, querystring: TrackUploadQuery, response: { 201: z.array(Track) },
      },
    }, async (req, reply) => reply.status(201).send(await hazards.uploadTrack(hctx(req), req.body as Buffer, req.query)));
  });

  await rawRoute(geocodeTypes, (raw) => {
    raw.withTypeProvider<ZodTypeProvider>().post('/api/v1/hazards/geocodes', {
      config: { policy: 'hazard:admin' },
      bodyLimit: settings.trackMaxBytes,
      schema: {
        tags: ['hazards'], summary: 'Import geocode polygons (GeoJSON FeatureCollection, properties valueName and value); replaces same pairs, then re-matches',
        consumes: geocodeTypes, response: { 200: GeocodeImportResult },
      },
    }, async (req) => hazards.importGeocodes(hctx(req), req.body as Buffer));
  });

  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['hazards'];

  // ---------- site risk
  app.get('/api/v1/sites/:id/risk', {
    config: { policy: 'hazard:read' },
    schema: { tags, summary: "A site's exposure: coastline distance (recomputed when it moved), flood, stock value, insurance (ETag for If-Match)", params: idParams, response: { 200: SiteRisk } },
  }, async (req, reply) => {
    const r = await siteRisk.getSiteRisk(ctxOf(req, deps), req.params.id);
    reply.header('etag', etagOf(r.siteId, r.version));
    return r;
  });

  app.put('/api/v1/sites/:id/risk', {
    config: { policy: 'hazard:write' },
    schema: { tags, summary: "Save a site's flood flag, stock value, company-site flag and insurance (If-Match; the ETag of version 0 before the first save)", params: idParams, body: UpdateSiteRiskBody, response: { 200: SiteRisk } },
  }, async (req, reply) => {
    const version = expectedVersion(req, req.params.id);
    const r = await siteRisk.updateSiteRisk(ctxOf(req, deps), req.params.id, version, req.body);
    reply.header('etag', etagOf(r.siteId, r.version));
    return r;
  });

  app.get('/api/v1/hazards/site-risk', {
    config: { policy: 'hazard:read' },
    schema: { tags, summary: 'Exposure of every site you can see (coastline distances computed as needed)', querystring: SiteRiskQuery, response: { 200: pageOf(SiteRisk) } },
  }, async (req) => siteRisk.listSiteRisk(ctxOf(req, deps), req.query));

  app.post('/api/v1/hazards/site-risk/import', {
    config: { policy: 'hazard:write' },
    schema: { tags, summary: 'Bulk entry of stock values and flood flags by site id', body: ImportSiteRiskBody, response: { 200: ImportSiteRiskResult } },
  }, async (req) => siteRisk.importSiteRisk(ctxOf(req, deps), req.body.items));

  app.post('/api/v1/hazards/site-risk/backfill', {
    config: { policy: 'hazard:write' },
    schema: { tags, summary: 'Compute the coastline distance of every site in scope that moved or never had one', response: { 200: BackfillResult } },
  }, async (req) => siteRisk.backfillCoast(ctxOf(req, deps)));

  app.get('/api/v1/hazards/insurance-gaps', {
    config: { policy: 'hazard:read' },
    schema: {
      tags, summary: 'Uninsured, refused, expired, expiring (default 60 days) or under-insured sites, ranked by uncovered value × exposure; sites whose stock value or insurance is not recorded listed apart',
      querystring: InsuranceGapQuery, response: { 200: InsuranceGaps },
    },
  }, async (req) => siteRisk.insuranceGaps(ctxOf(req, deps), req.query));

  // ---------- warnings
  app.get('/api/v1/hazards/alerts', {
    config: { policy: 'hazard:read' },
    schema: { tags, summary: 'Stored warnings, newest first, with their state now (or only those in force); include=areas adds areas and matched sites', querystring: AlertQuery, response: { 200: pageOf(AlertListItem) } },
  }, async (req) => hazards.listAlerts(hctx(req), req.query));

  app.get('/api/v1/hazards/alerts/:id', {
    config: { policy: 'hazard:read' },
    schema: { tags, summary: "One warning: all infos (your language first), areas as GeoJSON, unresolved geocodes", params: idParams, querystring: LangQuery, response: { 200: AlertDetail } },
  }, async (req) => hazards.getAlert(hctx(req), req.params.id, req.query.lang));

  app.get('/api/v1/hazards/feeds', {
    config: { policy: 'hazard:admin' },
    schema: { tags, summary: 'Configured CAP feeds and how their last poll went', response: { 200: z.array(Feed) } },
  }, async (req) => feeds.listFeeds(hctx(req)));

  app.post('/api/v1/hazards/feeds', {
    config: { policy: 'hazard:admin' },
    schema: { tags, summary: 'Add a feed: a CAP document, or an Atom/RSS feed of CAP entries, polled on the schedule', body: CreateFeedBody, response: { 201: Feed } },
  }, async (req, reply) => {
    const f = await feeds.createFeed(hctx(req), req.body);
    reply.header('etag', etagOf(f.id, f.version));
    return reply.status(201).send(f);
  });

  app.get('/api/v1/hazards/feeds/:id', {
    config: { policy: 'hazard:admin' },
    schema: { tags, summary: 'One feed (ETag for If-Match)', params: idParams, response: { 200: Feed } },
  }, async (req, reply) => withEtag(reply, await feeds.getFeed(hctx(req), req.params.id)));

  app.patch('/api/v1/hazards/feeds/:id', {
    config: { policy: 'hazard:admin' },
    schema: { tags, summary: 'Rename, enable or disable a feed (If-Match)', params: idParams, body: UpdateFeedBody, response: { 200: Feed } },
  }, async (req, reply) => withEtag(reply, await feeds.updateFeed(hctx(req), req.params.id, expectedVersion(req, req.params.id), req.body)));

  app.delete('/api/v1/hazards/feeds/:id', {
    config: { policy: 'hazard:admin' },
    schema: { tags, summary: 'Remove a feed (its alerts stay)', params: idParams },
  }, async (req, reply) => {
    await feeds.deleteFeed(hctx(req), req.params.id);
    return reply.status(204).send();
  });

  app.post('/api/v1/hazards/feeds/:id/poll', {
    config: { policy: 'hazard:admin' },
    schema: { tags, summary: 'Poll one feed now (then re-match if anything new arrived)', params: idParams, response: { 200: PollResult } },
  }, async (req) => feeds.pollFeeds(hd, ctxOf(req, deps), req.params.id));

  app.post('/api/v1/hazards/feeds/poll', {
    config: { policy: 'hazard:admin' },
    schema: { tags, summary: 'Poll every enabled feed now', response: { 200: PollResult } },
  }, async (req) => feeds.pollFeeds(hd, ctxOf(req, deps)));

  // ---------- tracks
  app.get('/api/v1/hazards/tracks', {
    config: { policy: 'hazard:read' },
    schema: { tags, summary: 'Uploaded typhoon tracks', response: { 200: z.array(Track) } },
  }, async (req) => hazards.listTracks(hctx(req)));

  app.get('/api/v1/hazards/tracks/:id', {
    config: { policy: 'hazard:read' },
    schema: { tags, summary: 'One track with its fixes', params: idParams, response: { 200: TrackDetail } },
  }, async (req) => hazards.getTrack(hctx(req), req.params.id));

  app.get('/api/v1/hazards/tracks/:id/swath', {
    config: { policy: 'hazard:read' },
    schema: { tags, summary: 'The area swept by 34, 50 or 64 kt winds (GeoJSON) and your sites inside it', params: idParams, querystring: SwathQuery, response: { 200: SwathResult } },
  }, async (req) => hazards.trackSwath(hctx(req), req.params.id, req.query.kt));

  app.get('/api/v1/hazards/tracks/:id/replay', {
    config: { policy: 'hazard:read' },
    schema: { tags, summary: "Replay a storm against today's sites, step by step: who would have been warned when (creates nothing)", params: idParams, querystring: ReplayQuery, response: { 200: ReplayResult } },
  }, async (req) => hazards.replayTrack(hctx(req), req.params.id, req.query));

  // ---------- matching and value at risk
  app.post('/api/v1/hazards/matching/run', {
    config: { policy: 'hazard:write' },
    schema: { tags, summary: 'Re-evaluate matching now (it also runs after every new warning and on a schedule)', response: { 200: MatchRunResult } },
  }, async (req) => hazards.runMatching(hd, ctxOf(req, deps)));

  app.get('/api/v1/hazards/matches', {
    config: { policy: 'hazard:read' },
    schema: { tags, summary: 'Your sites inside or near an area of a warning in force', querystring: MatchQuery, response: { 200: z.array(Match) } },
  }, async (req) => hazards.listMatches(hctx(req), req.query));

  app.get('/api/v1/hazards/exposure', {
    config: { policy: 'hazard:read' },
    schema: { tags, summary: 'Stock value at risk now, per site, account, manager or team (your scope)', querystring: ExposureQuery, response: { 200: Exposure } },
  }, async (req) => hazards.exposure(hctx(req), req.query.groupBy));

  // ---------- advisories
  app.get('/api/v1/advisories', {
    config: { policy: 'advisory:read' },
    schema: { tags: ['advisories'], summary: 'Advisories of the accounts you can see, newest first', querystring: AdvisoryQuery, response: { 200: pageOf(Advisory) } },
  }, async (req) => advisories.listAdvisories(ctxOf(req, deps), req.query));

  app.get('/api/v1/advisories/:id', {
    config: { policy: 'advisory:read' },
    schema: { tags: ['advisories'], summary: 'One advisory (ETag for If-Match)', params: idParams, response: { 200: Advisory } },
  }, async (req, reply) => withEtag(reply, await advisories.getAdvisory(ctxOf(req, deps), req.params.id)));

  app.post('/api/v1/advisories/:id/contact', {
    config: { policy: 'advisory:write' },
    schema: { tags: ['advisories'], summary: 'Record contacting the dealer: open → contacted (If-Match)', params: idParams, body: ContactBody, response: { 200: Advisory } },
  }, async (req, reply) => withEtag(reply, await advisories.recordContact(ctxOf(req, deps), req.params.id, expectedVersion(req, req.params.id), req.body)));

  app.post('/api/v1/advisories/:id/decision', {
    config: { policy: 'advisory:write' },
    schema: { tags: ['advisories'], summary: "Record the dealer's decision and what was done: contacted → actioned (If-Match)", params: idParams, body: DecisionBody, response: { 200: Advisory } },
  }, async (req, reply) => withEtag(reply, await advisories.recordDecision(ctxOf(req, deps), req.params.id, expectedVersion(req, req.params.id), req.body)));

  app.post('/api/v1/advisories/:id/outcome', {
    config: { policy: 'advisory:write' },
    schema: { tags: ['advisories'], summary: 'Record the outcome (value saved, losses, cost of moving): actioned → closed (If-Match)', params: idParams, body: OutcomeBody, response: { 200: Advisory } },
  }, async (req, reply) => withEtag(reply, await advisories.recordOutcome(ctxOf(req, deps), req.params.id, expectedVersion(req, req.params.id), req.body)));

  app.get('/api/v1/accounts/:id/risk', {
    config: { policy: 'advisory:read' },
    schema: { tags: ['advisories'], summary: "The account's risk tab: site exposure, value at risk now, advisories, and the value-protected ledger with totals", params: idParams, querystring: LangQuery, response: { 200: AccountRisk } },
  }, async (req) => advisories.accountRisk(hctx(req), req.params.id, req.query.lang));

  // ---------- notifications
  app.get('/api/v1/notifications', {
    config: { policy: 'advisory:read' },
    schema: { tags: ['notifications'], summary: 'Your notifications, newest first, with the unread count', querystring: NotificationQuery, response: { 200: NotificationList } },
  }, async (req) => advisories.listNotifications(ctxOf(req, deps), req.query));

  app.post('/api/v1/notifications/:id/read', {
    config: { policy: 'advisory:read' },
    schema: { tags: ['notifications'], summary: 'Mark one notification read', params: idParams, response: { 200: Notification } },
  }, async (req) => advisories.markNotificationRead(ctxOf(req, deps), req.params.id));

  app.post('/api/v1/notifications/read-all', {
    config: { policy: 'advisory:read' },
    schema: { tags: ['notifications'], summary: 'Mark all your notifications read', response: { 200: z.object({ marked: z.number().int() }) } },
  }, async (req) => advisories.markAllRead(ctxOf(req, deps)));
}
