/**
 * Use cases of warnings and typhoon tracks: ingest CAP (upload or feed), list and show alerts in
 * the caller's language, tracks and swaths, replay, and the matching engine that turns the active
 * warnings into site matches and advisories. The pure work is the core's (cap.*, alert-store,
 * cap-areas, hazard-match, swath); this file loads, decides what to store and stores. Feeds
 * (their configuration and polling) are feeds.service.ts's.
 */
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { Ctx, Deps } from '../../server/context.js';
import { AppError, notFound } from '../../server/errors.js';
import { accountVisibleTo } from '../../server/policy.js';
import { newId } from '../../shared/ids.js';
import { nulPaths } from '../../shared/text.js';
import type { Actor } from '../auth/auth.domain.js';
import { recordAudit } from '../audit/audit.service.js';
import { computeActiveSet, type ActiveSet } from './alert-store.domain.js';
import { alertExpiresMs, CAP_REVIEW_CODES, headlineIn, headlinesOf, selectInfos, type CapAlert, type CapInfo, type CapIssue, type LocalizedHeadline } from './cap.domain.js';
import { parseCapDocument } from './cap.parse.js';
import { alertHazardAreas, buildGeocodeResolver, type GeocodeResolver } from './cap-areas.js';
import { aggregateValueAtRisk, areaToGeoJson, matchSites, type HazardArea, type MoneyMinor } from './hazard-match.js';
import { computeSwath, replayWind, swathToGeoJson, swathToHazardArea } from './swath.js';
import type { StormTrack, WindThreshold } from './track.domain.js';
import { parseTrackText, TrackFormatError } from './track.parse.js';
import { proposeMove, type Candidate } from './advisories.domain.js';
import { deliverAdvisory, type AdvisoryMessage } from './advisories.delivery.js';
import * as advRepo from './advisories.repository.js';
import * as repo from './hazards.repository.js';
import type { RiskSite } from './hazards.repository.js';
import type { HazardSettings } from './hazards.settings.js';
import type { HazardAlertsTable } from './hazards.table.js';
import type { AlertSummary } from './hazards.contract.js';

export type Log = { info(obj: unknown, msg?: string): void; warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };

/** What system runs (jobs, matching after an upload) are given. */
export type HazardDeps = Pick<Deps, 'db' | 'clock' | 'config'> & { settings: HazardSettings; log: Log };
/** A request's context plus the module's settings. */
export type HazardCtx = Ctx & { settings: HazardSettings; log: Log };

/** Who caused a system run: the request that triggered it, or a job. */
export type Trigger = { actor: Actor | null; requestId: string };

const LOOKBACK_MS = 30 * 86_400_000;
const threadKeyOf = (sender: string, identifier: string) => `${sender}|${identifier}`;
const money = (minor: number | null | undefined, currency: string | null | undefined): MoneyMinor | null =>
  minor === null || minor === undefined || !currency ? null : { amountMinor: Number(minor), currency };

/** The caller's language: `?lang=` when given, else the user's locale. */
export const languageOf = (ctx: Pick<Ctx, 'actor'>, lang?: string): string => lang ?? ctx.actor.locale ?? 'zh-CN';

/**
 * A stored warning's headline in the reader's language (an English reader of a zh-CN alert with
 * an English info block reads the English one); the headline kept at parse time otherwise.
 */
export const headlineFor = (row: { headline: string | null; headlines: readonly LocalizedHeadline[] }, lang: string): string | null =>
  headlineIn(row.headlines, lang) ?? row.headline;

// ---------------------------------------------------------------- ingestion

/** An alert of a document that could not be read safely: where it is, and why. */
export type RefusedAlert = { where: string; reasons: CapIssue[] };

export type IngestOutcome = { stored: HazardAlertsTable[]; duplicates: number; warnings: CapIssue[]; rejected: RefusedAlert[]; file: string | null };

function headlineOf(alert: CapAlert, langs: readonly string[]): { headline: string | null; info: CapInfo | undefined } {
  const info = selectInfos(alert, langs)[0];
  return { headline: info?.headline ?? info?.event ?? null, info };
}

async function toRow(hd: HazardDeps, db: Parameters<typeof repo.insertAlert>[0], alert: CapAlert, warnings: CapIssue[], meta: { source: 'upload' | 'feed'; feedId: string | null; file: string | null; by: string | null }): Promise<HazardAlertsTable> {
  const refs = alert.references.map((r) => ({ sender: r.sender, identifier: r.identifier }));
  // An Update or Cancel joins the chain of what it references; a re-issue joins its own key's chain.
  const thread = (await repo.threadOf(db, refs.length ? refs : [{ sender: alert.sender, identifier: alert.identifier }]))
    ?? (refs[0] ? threadKeyOf(refs[0].sender, refs[0].identifier) : threadKeyOf(alert.sender, alert.identifier));
  const { headline, info } = headlineOf(alert, ['zh-CN']);
  return {
    id: newId(), sender: alert.sender, identifier: alert.identifier, sent_at: new Date(alert.sent.epochMs).toISOString(), sent_text: alert.sent.text,
    status: alert.status, msg_type: alert.msgType, thread_key: thread, expires_at: new Date(alertExpiresMs(alert, hd.settings.alertTtlMs)).toISOString(),
    headline, headlines_json: JSON.stringify(headlinesOf(alert)), event: info?.event ?? null, severity: info?.severity ?? null, urgency: info?.urgency ?? null, certainty: info?.certainty ?? null,
    languages: JSON.stringify([...new Set(alert.infos.map((i) => i.language))]), alert_json: JSON.stringify(alert),
    warnings_json: warnings.length ? JSON.stringify(warnings) : null, source: meta.source, feed_id: meta.feedId, file_path: meta.file,
    received_at: hd.clock.now().toISOString(), received_by: meta.by,
  };
}

/**
 * Parses a CAP document and stores its alerts that are not yet stored (sender + identifier +
 * sent), each with the core's warnings. An alert the core refused does not take the others
 * with it (one unreadable message must not silence 58 real ones): it is reported in `rejected`.
 * Only a document with no readable alert is refused (422 with the core's reasons), and then
 * nothing is stored, not even the file.
 */
export async function ingestCapBytes(
  hd: HazardDeps, bytes: Buffer, meta: { source: 'upload' | 'feed'; feedId: string | null; trigger: Trigger; keepFile: boolean; filename?: string },
): Promise<IngestOutcome> {
  const doc = parseCapDocument(bytes, { maxBytes: hd.settings.capMaxBytes });
  if (!doc.ok) throw rejected(doc.reasons);
  const refused: RefusedAlert[] = doc.alerts.flatMap((a) => (a.ok ? [] : [{ where: a.where, reasons: a.reasons }]));
  const good = doc.alerts.flatMap((a) => (a.ok ? [a] : []));
  if (good.length === 0) {
    if (refused.length) throw rejected(refused.flatMap((r) => r.reasons));
    throw rejected([{ code: 'not-cap', message: doc.kind === 'rss' || doc.kind === 'atom' ? 'the feed embeds no CAP alert; add its URL as a feed instead' : 'the document holds no CAP alert', where: 'document' }]);
  }
  const warnings = good.flatMap((a) => a.warnings);
  const db = hd.db.kysely;
  const fresh: typeof good = [];
  for (const a of good) if (!(await repo.findAlertByKey(db, a.alert.sender, a.alert.identifier, new Date(a.alert.sent.epochMs).toISOString()))) fresh.push(a);
  // The same message twice in one document counts once.
  const unique = fresh.filter((a, i) => fresh.findIndex((b) => b.alert.sender === a.alert.sender && b.alert.identifier === a.alert.identifier && b.alert.sent.epochMs === a.alert.sent.epochMs) === i);
  if (unique.length === 0) return { stored: [], duplicates: good.length, warnings, rejected: refused, file: null };

  let fileRel: string | null = null;
  let fileAbs: string | null = null;
  if (meta.keepFile) {
    const day = hd.clock.now().toISOString().slice(0, 10);
    fileRel = path.posix.join('uploads', 'cap', `${day}-${newId()}.xml`);
    fileAbs = path.join(hd.config.dataDir, fileRel);
    await mkdir(path.dirname(fileAbs), { recursive: true });
    await writeFile(fileAbs, bytes, { flag: 'wx' });
  }
  const stored: HazardAlertsTable[] = [];
  try {
    await db.transaction().execute(async (trx) => {
      for (const a of unique) {
        const row = await toRow(hd, trx, a.alert, a.warnings, { source: meta.source, feedId: meta.feedId, file: fileRel, by: meta.trigger.actor?.userId ?? null });
        await repo.insertAlert(trx, row);
        stored.push(row);
        await recordAudit(trx, { clock: hd.clock, requestId: meta.trigger.requestId, actor: meta.trigger.actor }, {
          action: 'create', entity: 'hazard_alert', entityId: row.id,
          after: { sender: row.sender, identifier: row.identifier, sent: row.sent_text, msgType: row.msg_type, status: row.status, source: row.source, file: fileRel, filename: meta.filename ?? null },
        });
      }
    });
  } catch (err) {
    if (fileAbs) await unlink(fileAbs).catch(() => undefined);
    throw err;
  }
  return { stored, duplicates: good.length - unique.length, warnings, rejected: refused, file: fileRel };
}

function rejected(reasons: CapIssue[]): AppError {
  return new AppError('cap_rejected', 422, `The CAP document was rejected: ${reasons.slice(0, 3).map((r) => `${r.where}: ${r.message}`).join('; ')}`, { reasons });
}

/** Stores an alert embedded in a feed entry (already parsed) unless it is stored already; 1 when stored. */
export async function ingestFeedAlert(hd: HazardDeps, alert: CapAlert, warnings: CapIssue[], feedId: string, trigger: Trigger): Promise<number> {
  const db = hd.db.kysely;
  if (await repo.findAlertByKey(db, alert.sender, alert.identifier, new Date(alert.sent.epochMs).toISOString())) return 0;
  await db.transaction().execute(async (trx) => {
    const row = await toRow(hd, trx, alert, warnings, { source: 'feed', feedId, file: null, by: null });
    await repo.insertAlert(trx, row);
    await recordAudit(trx, { clock: hd.clock, requestId: trigger.requestId, actor: trigger.actor }, {
      action: 'create', entity: 'hazard_alert', entityId: row.id, after: { sender: row.sender, identifier: row.identifier, sent: row.sent_text, msgType: row.msg_type, source: 'feed', feedId },
    });
  });
  return 1;
}

// ---------------------------------------------------------------- alert views

const parseAlert = (row: HazardAlertsTable): CapAlert => JSON.parse(row.alert_json) as CapAlert;

async function activeSetNow(hd: HazardDeps): Promise<{ rows: HazardAlertsTable[]; byAlert: Map<CapAlert, HazardAlertsTable>; set: ActiveSet; nowMs: number }> {
  const now = hd.clock.now();
  const rows = await repo.loadRelevantAlerts(hd.db.kysely, now.toISOString(), new Date(now.getTime() - LOOKBACK_MS).toISOString());
  const byAlert = new Map<CapAlert, HazardAlertsTable>();
  for (const r of rows) byAlert.set(parseAlert(r), r);
  const set = computeActiveSet([...byAlert.keys()], now.getTime(), { defaultTtlMs: hd.settings.alertTtlMs });
  return { rows, byAlert, set, nowMs: now.getTime() };
}

function statesOf(byAlert: Map<CapAlert, HazardAlertsTable>, set: ActiveSet): Map<string, AlertSummary['state']> {
  const m = new Map<string, AlertSummary['state']>();
  for (const a of set.active) m.set(byAlert.get(a.alert)!.id, 'active');
  for (const f of set.inactive) m.set(byAlert.get(f.alert)!.id, f.fate);
  return m;
}

function stateOfUnloaded(r: HazardAlertsTable): AlertSummary['state'] {
  if (r.status !== 'Actual' || ['Cancel', 'Ack', 'Error'].includes(r.msg_type)) return 'ignored';
  return 'expired';
}

/** Whether the core flagged the stored alert for a person (e.g. no area could be placed). */
function needsReview(r: HazardAlertsTable): boolean {
  if (!r.warnings_json) return false;
  return (JSON.parse(r.warnings_json) as CapIssue[]).some((w) => CAP_REVIEW_CODES.includes(w.code));
}

function summary(r: HazardAlertsTable, state: AlertSummary['state'], lang: string): AlertSummary {
  const alert = parseAlert(r);
  const { headline, info } = headlineOf(alert, [lang]);
  return {
    id: r.id, sender: r.sender, identifier: r.identifier, sent: r.sent_text, sentAt: r.sent_at, status: r.status, msgType: r.msg_type, threadKey: r.thread_key,
    state, expiresAt: r.expires_at, headline, event: info?.event ?? null, severity: info?.severity ?? null, urgency: info?.urgency ?? null,
    certainty: info?.certainty ?? null, effective: info ? utc(info.effective.epochMs) : null, onset: info?.onset ? utc(info.onset.epochMs) : null,
    languages: JSON.parse(r.languages) as string[], source: r.source as 'upload' | 'feed', receivedAt: r.received_at, needsReview: needsReview(r),
  };
}

const utc = (ms: number) => new Date(ms).toISOString();

const hdOf = (ctx: HazardCtx): HazardDeps => ({ db: ctx.db, clock: ctx.clock, config: ctx.config, settings: ctx.settings, log: ctx.log });

export function summaries(ctx: HazardCtx, rows: HazardAlertsTable[], lang?: string): Promise<AlertSummary[]> {
  return activeSetNow(hdOf(ctx)).then(({ byAlert, set }) => {
    const states = statesOf(byAlert, set);
    return rows.map((r) => summary(r, states.get(r.id) ?? stateOfUnloaded(r), languageOf(ctx, lang)));
  });
}

/**
 * Alerts newest first (or only those in force), with their state now and a headline in the
 * caller's language; with `include=areas`, each one's areas as GeoJSON and its matched sites, so
 * a map needs one request instead of one per warning.
 */
export async function listAlerts(ctx: HazardCtx, q: { limit: number; cursor?: string | undefined; state: 'active' | 'all'; lang?: string | undefined; include?: 'areas' | undefined }) {
  const lang = languageOf(ctx, q.lang);
  const { byAlert, set } = await activeSetNow(hdOf(ctx));
  const states = statesOf(byAlert, set);
  const withAreas = async (items: AlertSummary[], rows: HazardAlertsTable[]) => {
    if (q.include !== 'areas' || rows.length === 0) return items;
    const resolver = await geocodeResolver(ctx.db);
    const matched = await repo.listOpenMatches(ctx.db.kysely, accountVisibleTo(ctx.actor, 'hazard_matches.account_id'), { limit: 100_000 });
    const sitesByAlert = new Map<string, Set<string>>();
    for (const m of matched) sitesByAlert.set(m.alert_id, (sitesByAlert.get(m.alert_id) ?? new Set()).add(m.site_id));
    return items.map((s, i) => ({
      ...s,
      areasGeoJson: areasGeoJson(alertHazardAreas(parseAlert(rows[i]!), { languages: [lang], geocodes: resolver }).areas),
      matchedSites: sitesByAlert.get(s.id)?.size ?? 0,
    }));
  };
  if (q.state === 'active') {
    const rows = set.active.slice(0, q.limit).map((a) => byAlert.get(a.alert)!);
    return { items: await withAreas(rows.map((r) => summary(r, 'active', lang)), rows), nextCursor: null };
  }
  let before: { sentAt: string; id: string } | undefined;
  if (q.cursor) {
    const [sentAt, id] = q.cursor.split('~');
    if (!sentAt || !id) throw new AppError('invalid_request', 400, 'The cursor is not valid; start again from the first page', { errors: [{ path: 'querystring.cursor', message: 'invalid cursor' }] });
    before = { sentAt, id };
  }
  const rows = await repo.listAlerts(ctx.db.kysely, { limit: q.limit + 1, ...(before ? { before } : {}) });
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: await withAreas(page.map((r) => summary(r, states.get(r.id) ?? stateOfUnloaded(r), lang)), page),
    nextCursor: rows.length > q.limit && last ? `${last.sent_at}~${last.id}` : null,
  };
}

const infoView = (i: CapInfo) => ({
  language: i.language, event: i.event, headline: i.headline ?? null, description: i.description ?? null, instruction: i.instruction ?? null,
  senderName: i.senderName ?? null, categories: i.categories, urgency: i.urgency, severity: i.severity, certainty: i.certainty,
  effective: i.effective.text, onset: i.onset?.text ?? null, expires: i.expires?.text ?? null, web: i.web ?? null,
  areas: i.areas.map((a) => ({ areaDesc: a.areaDesc, polygons: a.polygons.length + (a.repairedPolygons?.length ?? 0), circles: a.circles.length, geocodes: a.geocodes })),
});

const areasGeoJson = (areas: HazardArea[]) => ({
  type: 'FeatureCollection' as const,
  features: areas.map((a) => ({ type: 'Feature', id: a.id, geometry: areaToGeoJson(a), properties: { id: a.id, label: a.label ?? null } })) as unknown[],
});

async function geocodeResolver(db: HazardDeps['db']): Promise<GeocodeResolver> {
  const rows = await repo.loadGeocodes(db.kysely);
  return buildGeocodeResolver({
    type: 'FeatureCollection',
    features: rows.map((r) => ({ type: 'Feature' as const, geometry: JSON.parse(r.geometry_json) as { type: string; coordinates: unknown }, properties: { valueName: r.value_name, value: r.value } })),
  });
}

/** One alert: every info (caller's language first), areas as GeoJSON, unresolved geocodes, and how many in-scope sites it matches now. */
export async function getAlert(ctx: HazardCtx, id: string, lang?: string) {
  const row = await repo.findAlert(ctx.db.kysely, id);
  if (!row) throw notFound('Alert');
  const language = languageOf(ctx, lang);
  const [s] = await summaries(ctx, [row], language);
  const alert = parseAlert(row);
  const preferred = selectInfos(alert, [language]);
  const infos = [...preferred, ...alert.infos.filter((i) => !preferred.includes(i))];
  const { areas, unresolved } = alertHazardAreas(alert, { languages: [language], geocodes: await geocodeResolver(ctx.db) });
  const matched = await repo.listOpenMatches(ctx.db.kysely, accountVisibleTo(ctx.actor, 'hazard_matches.account_id'), { alertId: id, limit: 10_000 });
  return {
    ...s!,
    infos: infos.map(infoView),
    references: alert.references.map((r) => ({ sender: r.sender, identifier: r.identifier, sent: r.sent.text })),
    areasGeoJson: areasGeoJson(areas),
    unresolvedAreas: unresolved,
    warnings: row.warnings_json ? (JSON.parse(row.warnings_json) as CapIssue[]) : [],
    matchedSites: new Set(matched.map((m) => m.site_id)).size,
  };
}

/** Upload: store, then re-evaluate matching at once so advisories open before the answer. */
export async function uploadCap(ctx: HazardCtx, bytes: Buffer, filename?: string) {
  const out = await ingestCapBytes(hdOf(ctx), bytes, { source: 'upload', feedId: null, trigger: ctx, keepFile: true, ...(filename ? { filename } : {}) });
  const matching = out.stored.length ? await runMatching(hdOf(ctx), ctx) : { activeAlerts: 0, matches: 0, opened: 0, updated: 0, ended: 0 };
  return { stored: await summaries(ctx, out.stored), duplicates: out.duplicates, warnings: out.warnings, rejected: out.rejected, file: out.file, matching };
}

// ---------------------------------------------------------------- geocodes

/** Imports (replaces by valueName + value) geocode polygons from a GeoJSON FeatureCollection, then re-matches. */
export async function importGeocodes(ctx: HazardCtx, bytes: Buffer) {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new AppError('invalid_geojson', 422, 'The body is not valid JSON');
  }
  const fc = json as { type?: string; features?: unknown };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new AppError('invalid_geojson', 422, 'Expected a GeoJSON FeatureCollection');
  // PostgreSQL cannot store U+0000 in the names and values kept as text.
  const nul = nulPaths(json, 'document', 1);
  if (nul.length) throw new AppError('invalid_geojson', 422, `${nul[0]!.replace(/^document\./, '')}: the NUL character (U+0000) is not allowed`);
  const now = ctx.clock.now().toISOString();
  let imported = 0, skipped = 0;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    for (const f of fc.features as { geometry?: { type?: string; coordinates?: unknown }; properties?: Record<string, unknown> }[]) {
      const vn = f?.properties?.valueName, v = f?.properties?.value;
      const okGeom = f?.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon') && Array.isArray(f.geometry.coordinates);
      if (typeof vn !== 'string' || (typeof v !== 'string' && typeof v !== 'number') || !okGeom) { skipped++; continue; }
      const name = typeof f.properties?.name === 'string' ? f.properties.name : null;
      await repo.upsertGeocode(trx, { id: newId(), value_name: vn.trim(), value: String(v).trim(), name, geometry_json: JSON.stringify(f.geometry), imported_at: now });
      imported++;
    }
    await recordAudit(trx, ctx, { action: 'import', entity: 'hazard_geocodes', entityId: 'geocodes', after: { imported, skipped } });
  });
  if (imported) await runMatching(hdOf(ctx), ctx);
  return { imported, skipped, total: imported + skipped };
}

// ---------------------------------------------------------------- tracks

const trackView = (t: { id: string; storm_id: string; name: string; agency: string; first_fix_at: string | null; last_fix_at: string | null; fix_count: number; uploaded_at: string }) => ({
  id: t.id, stormId: t.storm_id, name: t.name, agency: t.agency, firstFixAt: t.first_fix_at, lastFixAt: t.last_fix_at, fixCount: t.fix_count, uploadedAt: t.uploaded_at,
});

/** Stores every storm in a track file (JTWC CSV, GeoJSON, IBTrACS), each with its agency, and keeps the file. */
export async function uploadTrack(ctx: HazardCtx, bytes: Buffer, q: { agency?: string | undefined; stormId?: string | undefined; filename?: string | undefined }) {
  let tracks: StormTrack[];
  try {
    tracks = parseTrackText(bytes.toString('utf8'), { ...(q.agency ? { agency: q.agency } : {}), ...(q.stormId ? { id: q.stormId } : {}) });
  } catch (err) {
    if (err instanceof TrackFormatError) throw new AppError('track_rejected', 422, `The track file was rejected: ${err.message}`, { reasons: [{ code: 'track-format', message: err.message, where: 'document' }] });
    throw err;
  }
  tracks = tracks.filter((t) => t.fixes.length > 0);
  if (tracks.length === 0) throw new AppError('track_rejected', 422, 'The track file holds no fixes', { reasons: [{ code: 'track-format', message: 'no fixes', where: 'document' }] });
  const now = ctx.clock.now().toISOString();
  const fileRel = path.posix.join('uploads', 'tracks', `${now.slice(0, 10)}-${newId()}.txt`);
  const fileAbs = path.join(ctx.config.dataDir, fileRel);
  await mkdir(path.dirname(fileAbs), { recursive: true });
  await writeFile(fileAbs, bytes, { flag: 'wx' });
  const ids: string[] = [];
  try {
    await ctx.db.kysely.transaction().execute(async (trx) => {
      for (const t of tracks) {
        const id = newId();
        ids.push(id);
        const agency = q.agency ?? t.agency;
        await repo.insertTrack(trx, {
          id, storm_id: t.id, name: t.name, agency, first_fix_at: t.fixes[0]?.time ?? null, last_fix_at: t.fixes[t.fixes.length - 1]?.time ?? null,
          fix_count: t.fixes.length, track_json: JSON.stringify({ ...t, agency }), file_path: fileRel, uploaded_at: now, uploaded_by: ctx.actor.userId,
        });
        await recordAudit(trx, ctx, { action: 'create', entity: 'hazard_track', entityId: id, after: { stormId: t.id, name: t.name, agency, fixes: t.fixes.length, file: fileRel } });
      }
    });
  } catch (err) {
    await unlink(fileAbs).catch(() => undefined);
    throw err;
  }
  const rows = await repo.listTracks(ctx.db.kysely);
  return rows.filter((r) => ids.includes(r.id)).map(trackView);
}

export const listTracks = async (ctx: HazardCtx) => (await repo.listTracks(ctx.db.kysely)).map(trackView);

async function loadTrack(ctx: HazardCtx, id: string): Promise<{ row: NonNullable<Awaited<ReturnType<typeof repo.findTrack>>>; track: StormTrack }> {
  const row = await repo.findTrack(ctx.db.kysely, id);
  if (!row) throw notFound('Track');
  return { row, track: JSON.parse(row.track_json) as StormTrack };
}

export async function getTrack(ctx: HazardCtx, id: string) {
  const { row, track } = await loadTrack(ctx, id);
  return { ...trackView(row), fixes: track.fixes.map((f) => ({ time: f.time, lat: f.lat, lng: f.lng, vmaxKt: f.vmaxKt, pressureHpa: f.pressureHpa })) };
}

const scopedSites = (ctx: HazardCtx) => repo.listRiskSites(ctx.db.kysely, accountVisibleTo(ctx.actor, 'sites.account_id'), { withCoordinates: true });
const asPoint = (s: RiskSite) => ({ id: s.id, lat: s.lat!, lng: s.lng! });

/** The swath of one wind threshold, as GeoJSON, with the in-scope sites inside it. */
export async function trackSwath(ctx: HazardCtx, id: string, kt: WindThreshold) {
  const { track } = await loadTrack(ctx, id);
  const swath = computeSwath(track, kt);
  const sites = await scopedSites(ctx);
  const inside = new Set(matchSites(sites.map(asPoint), [swathToHazardArea(swath)]).map((m) => m.siteId));
  return {
    trackId: id, thresholdKt: kt, feature: swathToGeoJson(swath), gaps: swath.gaps,
    sitesInside: sites.filter((s) => inside.has(s.id)).map((s) => ({ siteId: s.id, siteName: s.name, accountId: s.accountId, accountName: s.accountName, accountNameEn: s.accountNameEn, lat: s.lat!, lng: s.lng! })),
  };
}

/**
 * A past storm against today's sites, step by step: who would have been inside the wind radius
 * when, and so who would have been warned first. Creates nothing.
 */
export async function replayTrack(ctx: HazardCtx, id: string, q: { kt: WindThreshold; stepMinutes: number; from?: string | undefined; to?: string | undefined }) {
  const { track } = await loadTrack(ctx, id);
  const sites = await scopedSites(ctx);
  const stepMs = q.stepMinutes * 60_000;
  const frames = replayWind(track, q.kt, sites.map(asPoint), {
    stepMs, ...(q.from ? { fromMs: Date.parse(q.from) } : {}), ...(q.to ? { toMs: Date.parse(q.to) } : {}),
  });
  const first = new Map<string, string>(), last = new Map<string, string>(), count = new Map<string, number>();
  const out = frames.map((f) => {
    const entered = f.siteIds.filter((s) => !first.has(s));
    for (const s of f.siteIds) {
      if (!first.has(s)) first.set(s, f.time);
      last.set(s, f.time);
      count.set(s, (count.get(s) ?? 0) + 1);
    }
    return { time: f.time, center: f.center, siteIds: f.siteIds, entered };
  });
  const byId = new Map(sites.map((s) => [s.id, s]));
  const replaySites = [...first.entries()].map(([sid, at]) => {
    const s = byId.get(sid)!;
    return {
      siteId: sid, siteName: s.name, accountId: s.accountId, accountName: s.accountName, accountNameEn: s.accountNameEn, managerId: s.ownerId, managerName: s.ownerName, lat: s.lat!, lng: s.lng!,
      firstInsideAt: at, lastInsideAt: last.get(sid)!, hoursInside: Math.round(((count.get(sid) ?? 0) * stepMs) / 36_000) / 100,
      inventory: money(s.risk?.inventory_value_minor, s.risk?.inventory_currency),
    };
  });
  return { trackId: id, stormName: track.name, agency: track.agency, thresholdKt: q.kt, stepMinutes: q.stepMinutes, frames: out, sites: replaySites };
}

// ---------------------------------------------------------------- matching

type Best = { row: HazardAlertsTable; areaId: string; label: string | null; inside: boolean; distanceM: number; site: RiskSite };

const queues = new WeakMap<object, Promise<unknown>>();

/** Runs one matching pass at a time per database (upload, feed poll and the schedule may overlap). */
export function runMatching(hd: HazardDeps, trigger: Trigger) {
  const prev = queues.get(hd.db) ?? Promise.resolve();
  const next = prev.catch(() => undefined).then(() => matchOnce(hd, trigger));
  queues.set(hd.db, next.catch(() => undefined));
  return next;
}

/**
 * One matching pass: the active set now, its areas (geocodes resolved), every site with
 * coordinates inside or within the buffer; then matches and advisories are brought in line:
 * a new (warning chain, site) pair opens an advisory for the account's owner, a changed alert
 * updates it, and a pair that went away ends the match and, if nobody had acted yet, closes
 * the advisory (hazard ended). Deliveries go out after the commit.
 */
async function matchOnce(hd: HazardDeps, trigger: Trigger) {
  const { byAlert, set, nowMs } = await activeSetNow(hd);
  const now = new Date(nowMs).toISOString();
  const resolver = await geocodeResolver(hd.db);
  const areaInfo = new Map<string, { row: HazardAlertsTable; label: string | null }>();
  const areas: HazardArea[] = [];
  for (const a of set.active) {
    const row = byAlert.get(a.alert)!;
    for (const area of alertHazardAreas(a.alert, { atMs: nowMs, geocodes: resolver }).areas) {
      areas.push(area);
      areaInfo.set(area.id, { row, label: area.label ?? null });
    }
  }
  const sites = await repo.listRiskSites(hd.db.kysely, sql<boolean>`1 = 1`, { withCoordinates: true });
  const siteById = new Map(sites.map((s) => [s.id, s]));
  const current = new Map<string, Best>();
  for (const sm of matchSites(sites.map(asPoint), areas, { bufferM: hd.settings.bufferM })) {
    for (const m of sm.matches) {
      const info = areaInfo.get(m.areaId)!;
      const key = `${info.row.thread_key}\u0000${sm.siteId}`;
      const prev = current.get(key);
      const better = !prev || (m.inside && !prev.inside) || (m.inside === prev.inside && m.distanceM < prev.distanceM);
      if (better) current.set(key, { row: info.row, areaId: m.areaId, label: info.label, inside: m.inside, distanceM: m.distanceM, site: siteById.get(sm.siteId)! });
    }
  }
  // Why a chain is no longer in force (for matches and advisories that end).
  const activeThreads = new Set(set.active.map((a) => byAlert.get(a.alert)!.thread_key));
  const threadFate = new Map<string, string>();
  for (const f of set.inactive) {
    const t = byAlert.get(f.alert)!.thread_key;
    if (f.fate === 'cancelled') threadFate.set(t, 'cancelled');
    else if (f.fate === 'expired' && threadFate.get(t) !== 'cancelled') threadFate.set(t, 'expired');
  }
  const endReason = (thread: string) => (activeThreads.has(thread) ? 'area-changed' : threadFate.get(thread) ?? 'expired');

  const atRisk = new Set([...current.values()].map((b) => b.site.id));
  const candidates: Candidate[] = sites.map((s) => ({ id: s.id, name: s.name, accountId: s.accountId, lat: s.lat!, lng: s.lng!, companySite: s.risk?.company_site === 1 }));
  const audit = { clock: hd.clock, requestId: trigger.requestId, actor: null };
  const opened: AdvisoryMessage[] = [];
  let updated = 0, ended = 0;

  await hd.db.kysely.transaction().execute(async (trx) => {
    const open = await repo.openMatches(trx);
    const seen = new Set<string>();
    for (const m of open) {
      const key = `${m.thread_key}\u0000${m.site_id}`;
      const best = current.get(key);
      if (!best || seen.has(key)) {
        await repo.updateMatch(trx, m.id, { ended_at: now, end_reason: best ? 'duplicate' : endReason(m.thread_key) });
        if (!best) ended++;
        continue;
      }
      seen.add(key);
      await repo.updateMatch(trx, m.id, { alert_id: best.row.id, area_id: best.areaId, area_label: best.label, inside: best.inside ? 1 : 0, distance_m: best.distanceM, last_seen_at: now });
    }
    for (const [key, b] of current) {
      if (seen.has(key)) continue;
      await repo.insertMatch(trx, {
        id: newId(), thread_key: b.row.thread_key, alert_id: b.row.id, area_id: b.areaId, area_label: b.label, site_id: b.site.id, account_id: b.site.accountId,
        inside: b.inside ? 1 : 0, distance_m: b.distanceM, first_matched_at: now, last_seen_at: now, ended_at: null, end_reason: null,
      });
    }

    const advisories = await advRepo.advisoriesByThreadSite(trx);
    for (const [key, b] of current) {
      const adv = advisories.get(key);
      const value = money(b.site.risk?.inventory_value_minor, b.site.risk?.inventory_currency);
      if (!adv) {
        const proposal = proposeMove({ id: b.site.id, accountId: b.site.accountId, lat: b.site.lat!, lng: b.site.lng! }, candidates, atRisk);
        const id = newId();
        await advRepo.insertAdvisory(trx, {
          id, thread_key: b.row.thread_key, alert_id: b.row.id, site_id: b.site.id, account_id: b.site.accountId, manager_id: b.site.ownerId, status: 'open',
          hazard_state: b.row.msg_type === 'Update' ? 'updated' : 'active', hazard_ended_at: null, headline: b.row.headline, inside: b.inside ? 1 : 0,
          distance_m: b.distanceM, value_at_risk_minor: value?.amountMinor ?? null, currency: value?.currency ?? null, proposal_json: JSON.stringify(proposal),
          contacted_at: null, contact_channel: null, contact_notes: null, dealer_decision: null, action_taken: null, actioned_at: null, closed_at: null,
          closed_reason: null, value_saved_minor: null, losses_minor: null, moving_cost_minor: null, outcome_currency: null, outcome_notes: null,
          email_status: null, webhook_status: null, created_at: now, updated_at: now, version: 1,
        });
        await recordAudit(trx, audit, { action: 'open', entity: 'advisory', entityId: id, accountId: b.site.accountId, after: { alertId: b.row.id, siteId: b.site.id, managerId: b.site.ownerId, inside: b.inside, distanceM: Math.round(b.distanceM), proposal: proposal.text } });
        if (b.site.ownerId) {
          await advRepo.insertNotification(trx, {
            id: newId(), user_id: b.site.ownerId, kind: 'advisory_opened', title: `${b.row.headline ?? b.row.event ?? 'Warning'}: ${b.site.name}`,
            body: `${b.site.accountNameEn ?? b.site.accountName} · ${b.site.name} ${b.inside ? 'is inside the warning area' : `is ${Math.round(b.distanceM)} m from the warning area`}. ${proposal.text} / ${proposal.textZh}`,
            entity: 'advisory', entity_id: id, created_at: now, read_at: null,
          });
        }
        opened.push({
          advisoryId: id, accountId: b.site.accountId, accountName: b.site.accountName, accountNameEn: b.site.accountNameEn, siteId: b.site.id, siteName: b.site.name, headline: b.row.headline,
          inside: b.inside, distanceM: b.distanceM, valueAtRisk: value, proposal,
          manager: b.site.ownerId && b.site.ownerEmail ? { id: b.site.ownerId, name: b.site.ownerName ?? '', email: b.site.ownerEmail } : null,
          link: hd.settings.publicUrl ? `${hd.settings.publicUrl.replace(/\/$/, '')}/advisories/${id}` : null,
        });
      } else if (adv.status !== 'closed') {
        const alertChanged = adv.alert_id !== b.row.id;
        const revived = adv.hazard_state !== 'active' && adv.hazard_state !== 'updated';
        if (alertChanged || revived || adv.inside !== (b.inside ? 1 : 0)) {
          const state = alertChanged || adv.hazard_state === 'updated' ? 'updated' : 'active';
          await advRepo.updateAdvisory(trx, adv.id, adv.version, {
            alert_id: b.row.id, hazard_state: state, hazard_ended_at: null, headline: b.row.headline, inside: b.inside ? 1 : 0, distance_m: b.distanceM, updated_at: now,
          });
          await recordAudit(trx, audit, { action: 'hazard_update', entity: 'advisory', entityId: adv.id, accountId: adv.account_id, before: { alertId: adv.alert_id, hazardState: adv.hazard_state }, after: { alertId: b.row.id, hazardState: state } });
          if (alertChanged && adv.manager_id) {
            await advRepo.insertNotification(trx, {
              id: newId(), user_id: adv.manager_id, kind: 'advisory_updated', title: `Updated: ${b.row.headline ?? 'warning'}: ${b.site.name}`,
              body: `The warning for ${b.site.name} (${b.site.accountNameEn ?? b.site.accountName}) was updated.`, entity: 'advisory', entity_id: adv.id, created_at: now, read_at: null,
            });
          }
          updated++;
        }
      }
    }
    for (const [key, adv] of advisories) {
      if (current.has(key) || adv.status === 'closed' || adv.hazard_ended_at) continue;
      const reason = endReason(adv.thread_key);
      const close = adv.status === 'open';
      await advRepo.updateAdvisory(trx, adv.id, adv.version, {
        hazard_state: reason, hazard_ended_at: now, updated_at: now,
        ...(close ? { status: 'closed', closed_at: now, closed_reason: 'hazard-ended' } : {}),
      });
      await recordAudit(trx, audit, { action: close ? 'close' : 'hazard_ended', entity: 'advisory', entityId: adv.id, accountId: adv.account_id, before: { status: adv.status, hazardState: adv.hazard_state }, after: { status: close ? 'closed' : adv.status, hazardState: reason } });
      if (adv.manager_id) {
        await advRepo.insertNotification(trx, {
          id: newId(), user_id: adv.manager_id, kind: 'advisory_hazard_ended', title: `Warning ${reason}: ${adv.headline ?? ''}`.trim(),
          body: close ? 'The warning no longer covers the site; the advisory was closed.' : 'The warning no longer covers the site; record the outcome when you know it.',
          entity: 'advisory', entity_id: adv.id, created_at: now, read_at: null,
        });
      }
    }
  });

  for (const m of opened) {
    const d = await deliverAdvisory(hd.settings, hd.log, m, hd.clock.now().getTime());
    await advRepo.setDelivery(hd.db.kysely, m.advisoryId, { email_status: d.email, webhook_status: d.webhook });
  }
  return { activeAlerts: set.active.length, matches: current.size, opened: opened.length, updated, ended };
}

// ---------------------------------------------------------------- matches and value at risk

export async function listMatches(ctx: HazardCtx, q: { accountId?: string | undefined; limit: number; lang?: string | undefined }) {
  const rows = await repo.listOpenMatches(ctx.db.kysely, accountVisibleTo(ctx.actor, 'hazard_matches.account_id'), { ...(q.accountId ? { accountId: q.accountId } : {}), limit: q.limit });
  const lang = languageOf(ctx, q.lang);
  return rows.map((r) => ({
    id: r.id, alertId: r.alert_id, threadKey: r.thread_key, headline: headlineFor(r, lang), areaId: r.area_id, areaLabel: r.area_label, siteId: r.site_id, siteName: r.site_name,
    lat: r.site_lat, lng: r.site_lng, accountId: r.account_id, accountName: r.account_name, accountNameEn: r.account_name_en, inside: r.inside === 1, distanceM: r.distance_m, firstMatchedAt: r.first_matched_at,
    inventory: money(r.inventory_value_minor, r.inventory_currency),
  }));
}

/** Stock value of the sites matched now, per site, account, manager or team, each site counted once. */
export async function exposure(ctx: HazardCtx, groupBy: 'site' | 'account' | 'manager' | 'team', accountId?: string) {
  const matches = await repo.listOpenMatches(ctx.db.kysely, accountVisibleTo(ctx.actor, 'hazard_matches.account_id'), { ...(accountId ? { accountId } : {}), limit: 100_000 });
  const siteIds = [...new Set(matches.map((m) => m.site_id))];
  const sites = await repo.listRiskSites(ctx.db.kysely, accountVisibleTo(ctx.actor, 'sites.account_id'), { siteIds });
  const value = new Map<string, MoneyMinor>();
  const group = new Map<string, string>();
  const labels = new Map<string, { label: string; labelEn: string | null }>();
  let withoutValue = 0;
  for (const s of sites) {
    const v = money(s.risk?.inventory_value_minor, s.risk?.inventory_currency);
    if (v) value.set(s.id, v);
    else withoutValue++;
    const [key, label, labelEn = null] =
      groupBy === 'site' ? [s.id, `${s.name} (${s.accountName})`, s.accountNameEn && `${s.name} (${s.accountNameEn})`]
        : groupBy === 'account' ? [s.accountId, s.accountName, s.accountNameEn]
          : groupBy === 'manager' ? [s.ownerId ?? 'unassigned', s.ownerName ?? 'Unassigned']
            : [s.teamId ?? 'no-team', s.teamName ?? 'No team'];
    group.set(s.id, key);
    labels.set(key, { label, labelEn });
  }
  // A group whose exposed sites have no stock value recorded is listed too, its value unknown (null, never 0), after the others.
  const unknownBy = new Map<string, number>();
  for (const s of sites) if (!value.has(s.id)) unknownBy.set(group.get(s.id)!, (unknownBy.get(group.get(s.id)!) ?? 0) + 1);
  const known = aggregateValueAtRisk(siteIds, value, group);
  const items: { key: string; label: string; labelEn: string | null; currency: string | null; amountMinor: number | null; siteCount: number; sitesWithoutValue: number }[] = [
    ...known.map((v) => ({ ...v, label: labels.get(v.key)?.label ?? v.key, labelEn: labels.get(v.key)?.labelEn ?? null, sitesWithoutValue: unknownBy.get(v.key) ?? 0 })),
    ...[...unknownBy].filter(([key]) => !known.some((v) => v.key === key))
      .map(([key, n]) => ({ key, label: labels.get(key)?.label ?? key, labelEn: labels.get(key)?.labelEn ?? null, currency: null, amountMinor: null, siteCount: 0, sitesWithoutValue: n })),
  ];
  items.sort((a, b) => (a.amountMinor === null ? 1 : 0) - (b.amountMinor === null ? 1 : 0) || (b.amountMinor ?? 0) - (a.amountMinor ?? 0) || a.label.localeCompare(b.label));
  const totals = aggregateValueAtRisk(siteIds, value, new Map(siteIds.map((id) => [id, 'all']))).map((t) => ({ amountMinor: t.amountMinor, currency: t.currency, siteCount: t.siteCount }));
  return { groupBy, bufferM: ctx.settings.bufferM, items, totals, sitesWithoutValue: withoutValue };
}

/** For the schedule: the job's trigger. */
export const systemTrigger = (name: string): Trigger => ({ actor: null, requestId: `job:${name}` });

export const countStoredAlerts = (db: HazardDeps['db']) => repo.countAlerts(db.kysely);
