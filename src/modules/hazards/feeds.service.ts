/**
 * Polled CAP feeds: their configuration, and the poll that fetches a feed and the documents its
 * entries link to. Every fetch goes through the platform's outbound fetch, so a feed (or a link
 * in it, or a redirect) reaches public addresses only, or what OPENKAM_FEED_ALLOW_HOSTS allows.
 * What went wrong is stored and answered as a generic reason with a stable code; the upstream
 * status, body and addresses go to the server log only, so a feed cannot be used to read, or to
 * map, what the server can reach.
 */
import { checkOutboundUrl, fetchOutbound, OutboundFetchError, type OutboundFailure, type OutboundPolicy } from '../../platform/outbound-fetch.js';
import { AppError, notFound } from '../../server/errors.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import type { CapIssue } from './cap.domain.js';
import { parseCapDocument } from './cap.parse.js';
import type { FeedErrorCode } from './hazards.contract.js';
import * as repo from './hazards.repository.js';
import { ingestCapBytes, ingestFeedAlert, runMatching, type HazardCtx, type HazardDeps, type Trigger } from './hazards.service.js';
import type { HazardSettings } from './hazards.settings.js';
import type { HazardFeedsTable } from './hazards.table.js';

const feedView = (f: HazardFeedsTable) => ({
  id: f.id, name: f.name, url: f.url, enabled: f.enabled === 1, lastPolledAt: f.last_polled_at, lastStatus: f.last_status, lastError: f.last_error,
  lastErrorCode: f.last_error_code as FeedErrorCode | null, lastNewAlerts: f.last_new_alerts, createdAt: f.created_at, version: f.version,
});

const policyOf = (settings: HazardSettings): OutboundPolicy => ({ allow: settings.feedAllowList });

const ADDRESS_NOT_ALLOWED = 'The feed address is not allowed';

export const listFeeds = async (ctx: HazardCtx) => (await repo.listFeeds(ctx.db.kysely)).map(feedView);

export async function getFeed(ctx: HazardCtx, id: string) {
  const f = await repo.findFeed(ctx.db.kysely, id);
  if (!f) throw notFound('Feed');
  return feedView(f);
}

/**
 * Refuses, when it is configured, a feed whose address would be refused when polled. A name
 * that does not resolve now is let through: DNS may be down for a moment, and the poll reports it.
 */
async function assertFeedAddress(ctx: HazardCtx, url: string): Promise<void> {
  try {
    await checkOutboundUrl(url, policyOf(ctx.settings), { timeoutMs: ctx.settings.fetchTimeoutMs });
  } catch (err) {
    if (!(err instanceof OutboundFetchError)) throw err;
    if (err.reason !== 'address_not_allowed') return;
    ctx.log.warn({ url, detail: err.logDetail }, 'CAP feed address refused');
    throw new AppError('feed_address_not_allowed', 422, ADDRESS_NOT_ALLOWED, {
      errors: [{ path: 'body.url', message: 'only public addresses, or those in OPENKAM_FEED_ALLOW_HOSTS' }],
    });
  }
}

export async function createFeed(ctx: HazardCtx, body: { name: string; url: string; enabled: boolean }) {
  await assertFeedAddress(ctx, body.url);
  const now = ctx.clock.now().toISOString();
  const id = newId();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await repo.insertFeed(trx, {
      id, name: body.name, url: body.url, enabled: body.enabled ? 1 : 0, last_polled_at: null, last_status: null, last_error: null, last_error_code: null,
      last_new_alerts: 0, seen_json: '[]', created_at: now, updated_at: now, version: 1,
    });
    await recordAudit(trx, ctx, { action: 'create', entity: 'hazard_feed', entityId: id, after: body });
  });
  return getFeed(ctx, id);
}

export async function updateFeed(ctx: HazardCtx, id: string, version: number, body: { name?: string | undefined; enabled?: boolean | undefined }) {
  const before = await getFeed(ctx, id);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const ok = await repo.updateFeed(trx, id, {
      ...(body.name !== undefined && { name: body.name }), ...(body.enabled !== undefined && { enabled: body.enabled ? 1 : 0 }), updated_at: ctx.clock.now().toISOString(),
    }, version);
    if (!ok) throw new AppError('precondition_failed', 412, 'The feed was changed by someone else since you read it; reload and try again');
    await recordAudit(trx, ctx, { action: 'update', entity: 'hazard_feed', entityId: id, before: { name: before.name, enabled: before.enabled }, after: body });
  });
  return getFeed(ctx, id);
}

export async function deleteFeed(ctx: HazardCtx, id: string) {
  const before = await getFeed(ctx, id);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.deleteFeed(trx, id))) throw notFound('Feed');
    await recordAudit(trx, ctx, { action: 'delete', entity: 'hazard_feed', entityId: id, before });
  });
}

// ---------------------------------------------------------------- polling

const MAX_LINKS_PER_POLL = 50;
const MAX_SEEN = 2000;
const ACCEPT = 'application/cap+xml, application/xml, application/atom+xml, application/rss+xml, text/xml;q=0.9, */*;q=0.1';
/** Document-level faults: the bytes are not a CAP document at all, which is all a user is told. */
const NOT_A_DOCUMENT: ReadonlySet<string> = new Set(['too-large', 'unsupported-encoding', 'doctype-forbidden', 'malformed-xml', 'not-cap']);

const FEED_FAILURE: Record<OutboundFailure, { code: FeedErrorCode; message: string }> = {
  address_not_allowed: { code: 'feed_address_not_allowed', message: ADDRESS_NOT_ALLOWED },
  fetch_failed: { code: 'feed_fetch_failed', message: 'The feed could not be fetched' },
  too_large: { code: 'feed_too_large', message: 'The feed is too large' },
  timeout: { code: 'feed_timeout', message: 'The feed did not answer in time' },
};
const ENTRY_FAILURE: Record<OutboundFailure, string> = {
  address_not_allowed: 'the linked address is not allowed',
  fetch_failed: 'the linked document could not be fetched',
  too_large: 'the linked document is too large',
  timeout: 'the linked document did not answer in time',
};

/** A feed-level failure: what the feed row and the API say. */
class FeedFailure extends Error {
  constructor(readonly code: FeedErrorCode, message: string) {
    super(message);
  }
}

/**
 * CAP faults as a user may see them: their codes and where (element paths of a CAP alert),
 * without the messages, which quote the document's values.
 */
const faultSummary = (reasons: readonly CapIssue[]) =>
  reasons.some((r) => NOT_A_DOCUMENT.has(r.code))
    ? 'the linked document is not a CAP alert'
    : `the CAP alert was rejected (${reasons.slice(0, 3).map((r) => `${r.code} at ${r.where}`).join('; ')})`;

/** An entry's name in a report: its link or id, as the feed itself gave it (a feed from an allowed address). */
const entryLabel = (e: { id?: string | undefined; link?: string | undefined; title?: string | undefined }) => (e.link ?? e.id ?? e.title ?? 'entry').slice(0, 300);

type PollOutcome = { feedId: string; status: string; newAlerts: number; error: string | null; errorCode: FeedErrorCode | null };

/**
 * Polls one feed: a CAP document is ingested as it is; an Atom feed's embedded alerts are
 * ingested and its linked entries fetched; an RSS feed's links are fetched. Entries already
 * fetched are remembered (by id or link) and not fetched again; alerts already stored are
 * deduplicated anyway. A rejected or unreachable entry is skipped and reported, not fatal.
 */
export async function pollFeed(hd: HazardDeps, feed: HazardFeedsTable, trigger: Trigger): Promise<PollOutcome> {
  const seen = new Set(JSON.parse(feed.seen_json) as string[]);
  const newlySeen: string[] = [];
  let newAlerts = 0;
  const problems: string[] = [];
  const policy = policyOf(hd.settings);
  const limits = { timeoutMs: hd.settings.fetchTimeoutMs, maxBytes: hd.settings.capMaxBytes, headers: { accept: ACCEPT } };
  const entryProblem = (label: string, said: string, detail: unknown) => {
    problems.push(`${label}: ${said}`);
    hd.log.warn({ feedId: feed.id, entry: label, detail }, 'CAP feed entry skipped');
  };

  let status = 'ok';
  let error: string | null = null;
  let errorCode: FeedErrorCode | null = null;
  try {
    let bytes: Buffer;
    try {
      bytes = (await fetchOutbound(feed.url, policy, limits)).body;
    } catch (err) {
      if (!(err instanceof OutboundFetchError)) throw err;
      hd.log.warn({ feedId: feed.id, url: feed.url, reason: err.reason, detail: err.logDetail }, 'CAP feed fetch failed');
      throw new FeedFailure(FEED_FAILURE[err.reason].code, FEED_FAILURE[err.reason].message);
    }
    const doc = parseCapDocument(bytes, { maxBytes: limits.maxBytes, invalidGeometry: 'drop', acceptCap11: false });
    if (!doc.ok) {
      hd.log.warn({ feedId: feed.id, reasons: doc.reasons }, 'CAP feed is not a CAP, Atom or RSS document');
      throw new FeedFailure('feed_not_cap', 'The feed is not a CAP, Atom or RSS document');
    }
    const ingest = async (body: Buffer, label: string) => {
      try {
        newAlerts += (await ingestCapBytes(hd, body, { source: 'feed', feedId: feed.id, trigger, keepFile: false })).stored.length;
        return true;
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'cap_rejected')) throw err;
        entryProblem(label, faultSummary((err.details?.reasons ?? []) as CapIssue[]), err.details?.reasons);
        return false;
      }
    };
    if (doc.kind === 'alert' || doc.kind === 'alerts' || doc.kind === 'edxl-de') {
      await ingest(bytes, 'the feed');
    } else {
      let fetched = 0;
      for (const e of doc.entries) {
        const key = e.id ?? e.link;
        if (key && seen.has(key)) continue;
        if (e.alert) {
          if (e.alert.ok) newAlerts += await ingestFeedAlert(hd, e.alert.alert, e.alert.warnings, feed.id, trigger);
          else entryProblem(entryLabel(e), faultSummary(e.alert.reasons), e.alert.reasons);
        } else if (e.link) {
          if (fetched >= MAX_LINKS_PER_POLL) break;
          fetched++;
          let body: Buffer;
          try {
            body = (await fetchOutbound(new URL(e.link, feed.url).toString(), policy, limits)).body;
          } catch (err) {
            if (!(err instanceof OutboundFetchError)) throw err;
            entryProblem(entryLabel(e), ENTRY_FAILURE[err.reason], err.logDetail);
            continue; // not remembered: tried again next poll
          }
          await ingest(body, entryLabel(e));
        }
        if (key) newlySeen.push(key);
      }
    }
    if (problems.length) {
      status = 'partial';
      error = problems.slice(0, 5).join(' | ').slice(0, 2000);
      errorCode = 'feed_entries_failed';
    }
  } catch (err) {
    status = 'failed';
    if (err instanceof FeedFailure) {
      error = err.message;
      errorCode = err.code;
    } else {
      // Ours (the database, a bug), not the feed's: logged in full, stored as a reason only.
      hd.log.error({ err, feedId: feed.id }, 'CAP feed poll failed');
      error = 'The feed could not be polled';
      errorCode = 'feed_poll_failed';
    }
  }
  const allSeen = [...seen, ...newlySeen].slice(-MAX_SEEN);
  await repo.updateFeed(hd.db.kysely, feed.id, {
    last_polled_at: hd.clock.now().toISOString(), last_status: status, last_error: error, last_error_code: errorCode, last_new_alerts: newAlerts, seen_json: JSON.stringify(allSeen),
  });
  return { feedId: feed.id, status, newAlerts, error, errorCode };
}

/** Polls every enabled feed (or one), then re-matches when anything new arrived. */
export async function pollFeeds(hd: HazardDeps, trigger: Trigger, onlyId?: string) {
  const feeds = onlyId ? [await repo.findFeed(hd.db.kysely, onlyId)].filter((f): f is HazardFeedsTable => !!f) : await repo.listFeeds(hd.db.kysely, true);
  if (onlyId && feeds.length === 0) throw notFound('Feed');
  const results: PollOutcome[] = [];
  for (const f of feeds) results.push(await pollFeed(hd, f, trigger));
  if (results.some((r) => r.newAlerts > 0)) await runMatching(hd, trigger);
  return { feeds: results };
}
