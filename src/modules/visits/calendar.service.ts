import ical, { ICalEventStatus } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import type { Deps, Ctx } from '../../server/context.js';
import { notFound } from '../../server/errors.js';
import { allows } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { expandSlot } from './visits.domain.js';
import { actorFor, programVisibleTo } from './visits.policy.js';
import * as repo from './visits.repository.js';
import { randomToken, sha256 } from '../auth/auth.tokens.js';
import { recordAudit } from '../audit/audit.service.js';
import { localIsoOf } from '../../shared/time.js';
import { slotOfPlan, toVisit } from './visits.service.js';
import type { Visit } from './visits.contract.js';

/** VTIMEZONE blocks from the maintained IANA-derived tables of timezones-ical-library. */
const vtimezone = (tz: string): string | null => {
  const block = tzlib_get_ical_block(tz);
  return Array.isArray(block) && block[0] ? block[0] : null;
};

const feedPath = (token: string) => `/api/v1/calendar/feeds/${token}.ics`;

type FeedRow = Awaited<ReturnType<typeof repo.listFeeds>>[number];
const toFeed = (f: FeedRow) => ({ id: f.id, name: f.name, createdAt: f.created_at, lastUsedAt: f.last_used_at, revokedAt: f.revoked_at });

/** A new secret feed URL (absolute, under `baseUrl`); the token is shown once and stored hashed. */
export async function createFeed(ctx: Ctx, name: string, baseUrl: string) {
  const token = `okc_${randomToken(32)}`;
  const id = newId();
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await repo.insertFeed(trx, { id, user_id: ctx.actor.userId, name, token_hash: sha256(token), created_at: now, last_used_at: null, revoked_at: null });
    await recordAudit(trx, ctx, { action: 'create', entity: 'calendar_feed', entityId: id, after: { name } });
  });
  return { id, name, createdAt: now, lastUsedAt: null, revokedAt: null, token, url: `${baseUrl.replace(/\/+$/, '')}${feedPath(token)}` };
}

export async function listFeeds(ctx: Ctx) {
  return (await repo.listFeeds(ctx.db.kysely, ctx.actor.userId)).map(toFeed);
}

export async function revokeFeed(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await repo.revokeFeed(trx, ctx.actor.userId, id, ctx.clock.now().toISOString()))) throw notFound('Calendar feed');
    await recordAudit(trx, ctx, { action: 'revoke', entity: 'calendar_feed', entityId: id });
  });
}

function calendarOf(name: string, tz: string) {
  return ical({ name, prodId: { company: 'OpenKAM', product: 'visits', language: 'EN' }, timezone: { name: tz, generator: vtimezone }, ttl: 3600 });
}

function addVisit(cal: ReturnType<typeof ical>, v: Visit, stamp: Date) {
  cal.createEvent({
    id: `visit-${v.id}@openkam`,
    start: localIsoOf(new Date(v.scheduledStart), v.timeZone),
    end: localIsoOf(new Date(v.scheduledEnd), v.timeZone),
    timezone: v.timeZone,
    stamp,
    summary: `${v.accountName}${v.siteName ? ` · ${v.siteName}` : ''}`,
    location: v.site && v.siteName ? { title: v.siteName, geo: { lat: v.site.lat, lon: v.site.lng } } : v.siteName,
    description: `Status: ${v.status}${v.moved ? ' (moved at the customer\'s request)' : ''}`,
    status: v.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    sequence: v.version,
  });
}

/**
 * The feed behind a secret token: the owner's visits from 8 weeks back to what is materialised
 * ahead, then each active plan as a recurring series from its first occurrence not yet
 * materialised. Unknown or revoked tokens are not found.
 */
export async function feedIcs(deps: Deps, token: string): Promise<string> {
  if (!/^okc_[A-Za-z0-9_-]{20,100}$/.test(token)) throw notFound('Calendar feed');
  const feed = await repo.feedByHash(deps.db.kysely, sha256(token));
  if (!feed) throw notFound('Calendar feed');
  const user = await repo.findUser(deps.db.kysely, feed.user_id);
  if (!user || user.active !== 1 || !allows(user.role as never, 'visit:read')) throw notFound('Calendar feed');
  const actor = actorFor(user);
  const now = deps.clock.now();
  await repo.touchFeed(deps.db.kysely, feed.id, now.toISOString());
  const scope = programVisibleTo(actor, 'visits');
  const visits = await repo.listVisits(deps.db.kysely, scope, { managerId: user.id, from: new Date(now.getTime() - 56 * 86_400_000).toISOString() });
  const cal = calendarOf(`OpenKAM · ${user.name}`, user.time_zone);
  for (const r of visits) addVisit(cal, toVisit(r, now), now);
  const plans = await repo.listPlans(deps.db.kysely, programVisibleTo(actor, 'call_plans'), { managerId: user.id, status: 'active' });
  for (const p of plans) {
    const last = await repo.lastOccurrence(deps.db.kysely, p.id);
    const slot = slotOfPlan(p);
    const after = last ? new Date(`${last}T23:59:59Z`) : now;
    const [first] = expandSlot(slot, new Date(after.getTime() + 86_400_000), new Date(after.getTime() + (p.interval_weeks * 7 + 2) * 86_400_000));
    if (!first) continue;
    cal.createEvent({
      id: `plan-${p.id}@openkam`,
      start: localIsoOf(first.start, p.time_zone),
      end: localIsoOf(first.end, p.time_zone),
      timezone: p.time_zone,
      stamp: now,
      summary: `${p.account_name} (plan)`,
      repeating: `FREQ=WEEKLY;INTERVAL=${p.interval_weeks};BYDAY=${p.weekday.slice(0, 2).toUpperCase()}${p.ends_on ? `;UNTIL=${p.ends_on.replaceAll('-', '')}T235959Z` : ''}`,
      sequence: p.version,
    });
  }
  return cal.toString();
}

/** One visit as an .ics file. */
export function visitIcs(v: Visit, now: Date): string {
  const cal = calendarOf(`OpenKAM visit · ${v.accountName}`, v.timeZone);
  addVisit(cal, v, now);
  return cal.toString();
}
