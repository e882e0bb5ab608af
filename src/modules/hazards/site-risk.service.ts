/** Use cases of site risk: coastline distance (kept in step with the coordinates), flood, stock value, insurance, gaps. */
import { sql } from 'kysely';
import type { Ctx } from '../../server/context.js';
import { AppError, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { recordAudit } from '../audit/audit.service.js';
import { distanceToCoastM } from './coastline.js';
import type { SiteRisk, UpdateSiteRiskBody } from './hazards.contract.js';
import * as repo from './hazards.repository.js';
import type { RiskSite } from './hazards.repository.js';
import type { SiteRiskTable } from './hazards.table.js';
import { assessGap, COASTAL_M, exposureParts, gapRankValue, insuranceState, type Missing } from './site-risk.domain.js';

type Db = Ctx['db'];
const scope = (ctx: Pick<Ctx, 'actor'>) => accountVisibleTo(ctx.actor, 'sites.account_id');

export function toSiteRisk(s: RiskSite): SiteRisk {
  const r = s.risk;
  return {
    siteId: s.id, siteName: s.name, accountId: s.accountId, accountName: s.accountName, accountNameEn: s.accountNameEn, ownerId: s.ownerId, lat: s.lat, lng: s.lng,
    coastDistanceM: r && r.coast_lat === s.lat && r.coast_lng === s.lng && r.coast_distance_m !== null ? Math.round(r.coast_distance_m) : null,
    floodProne: r?.flood_prone === 1, companySite: r?.company_site === 1,
    inventory: r && r.inventory_value_minor !== null && r.inventory_currency ? { amountMinor: r.inventory_value_minor, currency: r.inventory_currency } : null,
    insurance: {
      status: (r?.insurance_status ?? 'unknown') as SiteRisk['insurance']['status'], state: insuranceState(r?.insurance_status ?? 'unknown'), insurer: r?.insurer ?? null, policyNumber: r?.policy_number ?? null,
      cover: r && r.cover_minor !== null && r.cover_currency ? { amountMinor: r.cover_minor, currency: r.cover_currency } : null,
      expiresOn: r?.insurance_expires_on ?? null, refusedReason: r?.refused_reason ?? null,
    },
    updatedAt: r?.updated_at ?? null, version: r?.version ?? 0,
  };
}

const stale = (s: RiskSite) => s.lat !== null && s.lng !== null && (!s.risk || s.risk.coast_distance_m === null || s.risk.coast_lat !== s.lat || s.risk.coast_lng !== s.lng);

/**
 * Brings the stored coastline distance in line with the site's coordinates (computed when
 * missing or when the site moved). Derived data: it does not bump the risk version.
 */
async function freshen(db: Db, now: string, sites: RiskSite[]): Promise<RiskSite[]> {
  const out: RiskSite[] = [];
  for (const s of sites) {
    if (!stale(s)) { out.push(s); continue; }
    const d = { distanceM: distanceToCoastM({ lat: s.lat!, lng: s.lng! }), lat: s.lat!, lng: s.lng! };
    await repo.setCoastDistance(db.kysely, s.id, d, now);
    const base = s.risk ?? repo.emptyRisk(s.id, now, { version: 0 });
    out.push({ ...s, risk: { ...base, coast_distance_m: d.distanceM, coast_lat: d.lat, coast_lng: d.lng } });
  }
  return out;
}

export async function getSiteRisk(ctx: Ctx, siteId: string): Promise<SiteRisk> {
  const s = await repo.findRiskSite(ctx.db.kysely, scope(ctx), siteId);
  if (!s) throw notFound('Site');
  const [fresh] = await freshen(ctx.db, ctx.clock.now().toISOString(), [s]);
  return toSiteRisk(fresh!);
}

export async function listSiteRisk(ctx: Ctx, q: { limit: number; cursor?: string | undefined; accountId?: string | undefined }) {
  const all = await repo.listRiskSites(ctx.db.kysely, scope(ctx), q.accountId ? { accountId: q.accountId } : {});
  const start = q.cursor ? all.findIndex((s) => s.id === q.cursor) + 1 : 0;
  if (q.cursor && start === 0) throw new AppError('invalid_request', 400, 'The cursor is not valid; start again from the first page', { errors: [{ path: 'querystring.cursor', message: 'invalid cursor' }] });
  const page = all.slice(start, start + q.limit);
  const fresh = await freshen(ctx.db, ctx.clock.now().toISOString(), page);
  return { items: fresh.map(toSiteRisk), nextCursor: start + q.limit < all.length ? page[page.length - 1]!.id : null };
}

/** Computes the coastline distance of every site in scope whose coordinates changed since (or never had one). */
export async function backfillCoast(ctx: Ctx) {
  const all = await repo.listRiskSites(ctx.db.kysely, scope(ctx));
  const todo = all.filter(stale);
  await freshen(ctx.db, ctx.clock.now().toISOString(), todo);
  const without = all.filter((s) => s.lat === null || s.lng === null).length;
  return { computed: todo.length, unchanged: all.length - todo.length - without, withoutCoordinates: without };
}

function patchOf(body: UpdateSiteRiskBody): Partial<SiteRiskTable> {
  const p: Partial<SiteRiskTable> = {};
  if (body.floodProne !== undefined) p.flood_prone = body.floodProne ? 1 : 0;
  if (body.companySite !== undefined) p.company_site = body.companySite ? 1 : 0;
  if (body.inventory !== undefined) {
    p.inventory_value_minor = body.inventory?.amountMinor ?? null;
    p.inventory_currency = body.inventory?.currency ?? null;
  }
  if (body.insurance) {
    const i = body.insurance;
    Object.assign(p, {
      insurance_status: i.status, insurer: i.insurer, policy_number: i.policyNumber, cover_minor: i.cover?.amountMinor ?? null, cover_currency: i.cover?.currency ?? null,
      insurance_expires_on: i.expiresOn, refused_reason: i.status === 'refused' ? i.refusedReason : null,
    });
  }
  return p;
}

async function writeRisk(trx: Parameters<typeof repo.insertSiteRisk>[0], s: RiskSite, version: number, patch: Partial<SiteRiskTable>, now: string): Promise<boolean> {
  if (!s.risk) {
    if (version !== 0) return false;
    await repo.insertSiteRisk(trx, repo.emptyRisk(s.id, now, { ...patch, updated_at: now, version: 1 }));
    return true;
  }
  return repo.updateSiteRisk(trx, s.id, version, { ...patch, updated_at: now });
}

/** Saves flood, stock value, company-site flag and insurance; If-Match on the risk version (0 before the first save). */
export async function updateSiteRisk(ctx: Ctx, siteId: string, version: number, body: UpdateSiteRiskBody): Promise<SiteRisk> {
  const s = await repo.findRiskSite(ctx.db.kysely, scope(ctx), siteId);
  if (!s) throw notFound('Site');
  if (body.insurance?.status === 'refused' && !body.insurance.refusedReason) {
    throw new AppError('validation_failed', 400, 'Say why the insurance was refused', { errors: [{ path: 'body.insurance.refusedReason', message: 'required when status is refused' }] });
  }
  const before = toSiteRisk(s);
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await writeRisk(trx, s, version, patchOf(body), now))) {
      throw new AppError('precondition_failed', 412, "The site's risk data was changed by someone else since you read it; reload and try again");
    }
    await recordAudit(trx, ctx, {
      action: 'update', entity: 'site_risk', entityId: siteId, accountId: s.accountId,
      before: Object.fromEntries(Object.keys(body).map((k) => [k, before[k as keyof SiteRisk]])), after: body,
    });
  });
  return getSiteRisk(ctx, siteId);
}

/** Bulk entry of stock values (and flood flags), e.g. from the logistics system; each site in scope, audited. */
export async function importSiteRisk(ctx: Ctx, items: { siteId: string; inventory?: { amountMinor: number; currency: string } | null | undefined; floodProne?: boolean | undefined }[]) {
  const sites = new Map((await repo.listRiskSites(ctx.db.kysely, scope(ctx), { siteIds: [...new Set(items.map((i) => i.siteId))] })).map((s) => [s.id, s]));
  const notFoundIds: string[] = [];
  let updated = 0;
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    for (const item of items) {
      const s = sites.get(item.siteId);
      if (!s) { notFoundIds.push(item.siteId); continue; }
      const patch = patchOf({ ...(item.inventory !== undefined ? { inventory: item.inventory } : {}), ...(item.floodProne !== undefined ? { floodProne: item.floodProne } : {}) });
      const current = await repo.findRiskSite(trx, sql<boolean>`1 = 1`, s.id);
      await writeRisk(trx, current!, current!.risk?.version ?? 0, patch, now);
      await recordAudit(trx, ctx, { action: 'import', entity: 'site_risk', entityId: s.id, accountId: s.accountId, after: item });
      updated++;
    }
  });
  return { updated, notFound: notFoundIds };
}

/**
 * Sites whose stock is not (or soon not) covered: uninsured, refused, expired or expiring within
 * `withinDays`, or under-insured; ranked by the uncovered stock value (value × uninsured share)
 * weighted by exposure (coast, flood). A site whose stock value or insurance nobody recorded is
 * not ranked as if it were zero: it is listed apart with what is missing, most exposed first.
 */
export async function insuranceGaps(ctx: Ctx, q: { withinDays: number; limit: number; offset?: number; unknownLimit?: number; unknownOffset?: number }) {
  const now = ctx.clock.now();
  const today = now.toISOString().slice(0, 10);
  const sites = (await freshen(ctx.db, now.toISOString(), await repo.listRiskSites(ctx.db.kysely, scope(ctx)))).map(toSiteRisk);
  const ranked = [];
  const unknown = [];
  const uncovered = new Map<string, number>();
  for (const s of sites) {
    const a = assessGap({ insuranceStatus: s.insurance.status, expiresOn: s.insurance.expiresOn, cover: s.insurance.cover, inventory: s.inventory, coastDistanceM: s.coastDistanceM, floodProne: s.floodProne }, today, q.withinDays);
    if (!a) continue;
    const parts = exposureParts(s.coastDistanceM, s.floodProne);
    const exposure = { coast: parts.coast, flood: parts.flood, coastalWithinM: COASTAL_M };
    if (a.kind === 'unknown' || !s.inventory) {
      unknown.push({ site: s, reason: a.reason, daysToExpiry: a.daysToExpiry, missing: a.kind === 'unknown' ? a.missing : (['stock'] as Missing[]), exposureFactor: parts.factor, exposure });
      continue;
    }
    const uncoveredValueMinor = Math.round(s.inventory.amountMinor * a.uninsuredShare);
    uncovered.set(s.inventory.currency, (uncovered.get(s.inventory.currency) ?? 0) + uncoveredValueMinor);
    ranked.push({
      site: s, reason: a.reason, daysToExpiry: a.daysToExpiry, exposureFactor: parts.factor, exposure, uninsuredShare: a.uninsuredShare, uncoveredValueMinor,
      weightedValueMinor: gapRankValue(s.inventory.amountMinor, a.uninsuredShare, parts.factor),
    });
  }
  ranked.sort((a, b) => b.weightedValueMinor - a.weightedValueMinor || b.exposureFactor - a.exposureFactor || a.site.siteName.localeCompare(b.site.siteName));
  unknown.sort((a, b) => b.exposureFactor - a.exposureFactor || (a.site.coastDistanceM ?? Infinity) - (b.site.coastDistanceM ?? Infinity) || a.site.siteName.localeCompare(b.site.siteName));
  const offset = q.offset ?? 0, unknownOffset = q.unknownOffset ?? 0;
  return {
    items: ranked.slice(offset, offset + q.limit), total: ranked.length,
    uncovered: [...uncovered].map(([currency, amountMinor]) => ({ amountMinor, currency })),
    unknown: {
      items: unknown.slice(unknownOffset, unknownOffset + (q.unknownLimit ?? 20)), total: unknown.length,
      missingStock: unknown.filter((u) => u.missing.includes('stock')).length, missingInsurance: unknown.filter((u) => u.missing.includes('insurance')).length,
    },
  };
}
