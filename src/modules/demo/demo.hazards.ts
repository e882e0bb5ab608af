/**
 * The demo world's "protect the dealer" story, relative to the reference instant:
 *
 * - Typhoon Lekima's real 2019 best track (demo.lekima.ts) replayed into the present, landfall
 *   at Wenling about 36 hours after the reference instant;
 * - the local observatory's CAP warnings for it, in the China Meteorological Administration's
 *   style (an orange typhoon warning, then a red Update that adds Taizhou Bay), zh-CN with an
 *   English info block, built as CAP XML and read by the app's own parser;
 * - the matches the app's matcher makes against every site, and an advisory per match: the three
 *   seafront warehouses open, contacted and actioned;
 * - an earlier typhoon on the same coast, its advisories closed with outcomes for the "value
 *   protected" ledger: one dealer moved its stock in time, its neighbour did not;
 * - stock values and insurance on the warehouses (most recorded, some refused and why).
 *
 * Pure: no clock, no I/O, no Math.random. Matching uses the real matcher with the buffer the
 * server is configured with, so the first matching pass after seeding finds the same matches
 * and opens nothing new.
 */
import type { Database } from '../../db/schema.js';
import { haversineMetres, type LatLng } from '../../shared/geo.js';
import { proposeMove, type Candidate } from '../hazards/advisories.domain.js';
import { alertHazardAreas } from '../hazards/cap-areas.js';
import { alertExpiresMs, headlinesOf, selectInfos, type CapAlert, type CapIssue } from '../hazards/cap.domain.js';
import { parseCapDocument } from '../hazards/cap.parse.js';
import { capXml } from '../hazards/fixtures/cap-builder.js';
import { bearingDeg } from '../hazards/geometry.js';
import { matchSites } from '../hazards/hazard-match.js';
import type { StormTrack } from '../hazards/track.domain.js';
import { parseJtwcCsv } from '../hazards/track.parse.js';
import { LEKIMA_2019_JTWC_CSV, LEKIMA_LANDFALL_FIX } from './demo.lekima.js';
import type { Rng } from './demo.random.js';

/** The default of OPENKAM_HAZARD_BUFFER_M (hazards.settings.ts). */
export const DEFAULT_BUFFER_M = 5000;
/** Landfall this long after the reference instant: warned, not yet hit. */
export const LANDFALL_AFTER_MS = 36 * 3_600_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SENDER = 'taizhou-qxt@demo.openkam.local';
const ALERT_TTL_MS = 24 * HOUR;

type SiteRow = Database['sites'];
type AccountRow = Database['accounts'];

export type HazardInput = {
  now: Date;
  rng: Rng;
  idAt: (iso: string) => string;
  sites: readonly SiteRow[];
  accounts: readonly AccountRow[];
  /** Trailing-12-month revenue per account id (CNY fen): stock on hand follows it. */
  revenue: ReadonlyMap<string, number>;
  contacts: readonly Database['contacts'][];
  /** The seafront warehouses of demo.cities.ts, by name: Jiaojiang (宏达), Shitang (鑫源), Songmen (永固). */
  coastal: { jiaojiang: string; shitang: string; songmen: string };
  englishUsers: ReadonlySet<string>;
  /** Who uploaded the warnings and the track (the administrator). */
  uploaderId: string;
  bufferM?: number;
};

export type HazardRows = {
  site_risk: Database['site_risk'][];
  hazard_tracks: Database['hazard_tracks'][];
  hazard_alerts: Database['hazard_alerts'][];
  hazard_matches: Database['hazard_matches'][];
  advisories: Database['advisories'][];
  notifications: Database['notifications'][];
};

// ---------------------------------------------------------------- warning areas

type AreaSpec = { zh: string; en: string; polygon?: [number, number][]; circle?: { lat: number; lng: number; km: number }; geocodes: string[] };

/** Wenling's east shore (Shitang, Songmen, Xiangheng): the sea and a strip of about 1–2 km of land. */
const WENLING_EAST: AreaSpec = {
  zh: '温岭市东部沿海（石塘镇、松门镇、箬横镇）', en: 'Eastern coast of Wenling (Shitang, Songmen, Xiangheng)',
  polygon: [[28.43, 121.6], [28.43, 121.82], [28.18, 121.82], [28.18, 121.58], [28.3, 121.59], [28.43, 121.6]], geocodes: ['331081'],
};
/** Taizhou Bay: the Jiao River mouth at Haimen and the Luqiao shore. */
const TAIZHOU_BAY: AreaSpec = {
  zh: '椒江区、路桥区沿海（台州湾）', en: 'Jiaojiang and Luqiao coast (Taizhou Bay)',
  polygon: [[28.74, 121.457], [28.74, 121.75], [28.55, 121.75], [28.55, 121.5], [28.66, 121.457], [28.74, 121.457]], geocodes: ['331002', '331004'],
};
/** The Taizhou islands offshore (Dachen): sea, no sites. */
const ISLANDS: AreaSpec = { zh: '台州列岛及附近海域', en: 'Taizhou Islands and nearby waters', circle: { lat: 28.46, lng: 121.89, km: 15 }, geocodes: ['331000'] };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A CAP time in China Standard Time, as the observatory writes it: 2026-11-20T10:00:00+08:00. */
function capTime(ms: number): string {
  return `${new Date(ms + 8 * HOUR).toISOString().slice(0, 19)}+08:00`;
}
const localLabel = (ms: number) => {
  const d = new Date(ms + 8 * HOUR);
  return { zh: `${d.getUTCMonth() + 1}月${d.getUTCDate()}日${d.getUTCHours()}时`, en: `${d.toISOString().slice(0, 10)} ${String(d.getUTCHours()).padStart(2, '0')}:00 CST` };
};

function areaXml(a: AreaSpec, lang: 'zh' | 'en'): string {
  return [
    '<area>', `<areaDesc>${esc(lang === 'zh' ? a.zh : a.en)}</areaDesc>`,
    a.polygon ? `<polygon>${a.polygon.map(([lat, lng]) => `${lat},${lng}`).join(' ')}</polygon>` : '',
    a.circle ? `<circle>${a.circle.lat},${a.circle.lng} ${a.circle.km}</circle>` : '',
    ...a.geocodes.map((g) => `<geocode><valueName>GB/T 2260</valueName><value>${g}</value></geocode>`),
    '</area>',
  ].join('');
}

type InfoText = { event: string; headline: string; description: string; instruction: string; senderName: string };
type Warning = {
  identifier: string; sentMs: number; msgType: 'Alert' | 'Update'; references?: string;
  severity: 'Extreme' | 'Severe'; urgency: 'Immediate' | 'Expected'; certainty: 'Likely' | 'Observed';
  onsetMs: number; expiresMs: number; areas: AreaSpec[]; zh: InfoText; en: InfoText;
};

function warningXml(w: Warning): string {
  const info = (lang: 'zh-CN' | 'en-US', t: InfoText) => [
    '<info>', `<language>${lang}</language>`, '<category>Met</category>', `<event>${esc(t.event)}</event>`, '<responseType>Prepare</responseType>',
    `<urgency>${w.urgency}</urgency><severity>${w.severity}</severity><certainty>${w.certainty}</certainty>`,
    `<effective>${capTime(w.sentMs)}</effective><onset>${capTime(w.onsetMs)}</onset><expires>${capTime(w.expiresMs)}</expires>`,
    `<senderName>${esc(t.senderName)}</senderName><headline>${esc(t.headline)}</headline>`,
    `<description>${esc(t.description)}</description><instruction>${esc(t.instruction)}</instruction>`,
    ...w.areas.map((a) => areaXml(a, lang === 'zh-CN' ? 'zh' : 'en')), '</info>',
  ].join('');
  return capXml({
    identifier: w.identifier, sender: SENDER, sent: capTime(w.sentMs), status: 'Actual', msgType: w.msgType, scope: 'Public',
    ...(w.references ? { references: w.references } : {}),
    extra: '<note>OpenKAM demo world: not a real warning. Typhoon Lekima (2019) replayed into the present.</note>',
    info: info('zh-CN', w.zh) + info('en-US', w.en),
  });
}

/** The parsed alert and the parser's warnings, exactly as an upload of the XML stores them. */
function parseWarning(xml: string): { alert: CapAlert; warnings: CapIssue[] } {
  const doc = parseCapDocument(xml);
  const first = doc.ok ? doc.alerts[0] : undefined;
  if (!first?.ok) throw new Error(`demo CAP warning does not parse: ${JSON.stringify(doc.ok ? first : doc.reasons)}`);
  return { alert: first.alert, warnings: first.warnings };
}

function alertRow(id: string, { alert, warnings }: { alert: CapAlert; warnings: CapIssue[] }, threadKey: string, receivedMs: number, by: string): Database['hazard_alerts'] {
  const info = selectInfos(alert, ['zh-CN'])[0];
  return {
    id, sender: alert.sender, identifier: alert.identifier, sent_at: new Date(alert.sent.epochMs).toISOString(), sent_text: alert.sent.text,
    status: alert.status, msg_type: alert.msgType, thread_key: threadKey, expires_at: new Date(alertExpiresMs(alert, ALERT_TTL_MS)).toISOString(),
    headline: info?.headline ?? info?.event ?? null, headlines_json: JSON.stringify(headlinesOf(alert)), event: info?.event ?? null, severity: info?.severity ?? null, urgency: info?.urgency ?? null,
    certainty: info?.certainty ?? null, languages: JSON.stringify([...new Set(alert.infos.map((i) => i.language))]), alert_json: JSON.stringify(alert),
    warnings_json: warnings.length ? JSON.stringify(warnings) : null, source: 'upload', feed_id: null, file_path: null, received_at: new Date(receivedMs).toISOString(), received_by: by,
  };
}

// ---------------------------------------------------------------- the storm

/** Centre and maximum wind of the track at an instant, linear between fixes. */
function stormAt(track: StormTrack, ms: number): { lat: number; lng: number; vmaxKt: number } {
  const f = track.fixes;
  let i = 0;
  while (i < f.length - 2 && f[i + 1]!.timeMs <= ms) i++;
  const a = f[i]!, b = f[i + 1] ?? a;
  const t = b.timeMs === a.timeMs ? 0 : Math.min(1, Math.max(0, (ms - a.timeMs) / (b.timeMs - a.timeMs)));
  return { lat: a.lat + (b.lat - a.lat) * t, lng: a.lng + (b.lng - a.lng) * t, vmaxKt: (a.vmaxKt ?? 0) + ((b.vmaxKt ?? 0) - (a.vmaxKt ?? 0)) * t };
}

/** Beaufort force of a wind in m/s as China's scale extends it (up to force 17). */
function beaufort(ms: number): number {
  const lower = [0.3, 1.6, 3.4, 5.5, 8, 10.8, 13.9, 17.2, 20.8, 24.5, 28.5, 32.7, 37, 41.5, 46.2, 51, 56.1];
  let f = 0;
  for (let i = 0; i < lower.length; i++) if (ms >= lower[i]!) f = i + 1;
  return f;
}

const compass = (deg: number): [string, string] => {
  const zh = ['北', '东北', '东', '东南', '南', '西南', '西', '西北'];
  const en = ['north', 'north-east', 'east', 'south-east', 'south', 'south-west', 'west', 'north-west'];
  const i = Math.round((((deg % 360) + 360) % 360) / 45) % 8;
  return [zh[i]!, en[i]!];
};

const WENLING: LatLng = { lat: 28.37524, lng: 121.38416 };
const DEMO_NOTE_ZH = '【演示数据】2019年第9号台风“利奇马”的真实路径平移到当前时间重演，并非真实预警。';
const DEMO_NOTE_EN = '[Demo data] The real track of Typhoon Lekima (2019) replayed into the present; not a real warning.';

function position(track: StormTrack, ms: number) {
  const c = stormAt(track, ms);
  const d = Math.round(haversineMetres(WENLING, c) / 10_000) * 10;
  const [zh, en] = compass(bearingDeg(WENLING, c));
  const mps = Math.round(c.vmaxKt * 0.514444);
  const when = localLabel(ms);
  return {
    zh: `${when.zh}，台风“利奇马”中心位于温岭市${zh}方向约${d}公里的海面上（北纬${c.lat.toFixed(1)}度、东经${c.lng.toFixed(1)}度），中心附近最大风力${beaufort(mps)}级（${mps}米/秒）`,
    en: `At ${when.en} the centre of Typhoon Lekima was about ${d} km ${en} of Wenling (${c.lat.toFixed(1)}°N ${c.lng.toFixed(1)}°E), maximum winds force ${beaufort(mps)} (${mps} m/s) near the centre`,
  };
}

// ---------------------------------------------------------------- generation

type Best = { areaId: string; label: string | null; inside: boolean; distanceM: number };

/** What the matcher keeps for each site: the best match over the areas (inside first, then nearest). */
function bestMatches(alert: CapAlert, atMs: number, sites: readonly SiteRow[], bufferM: number): Map<string, Best> {
  const areas = alertHazardAreas(alert, { atMs }).areas;
  const labels = new Map(areas.map((a) => [a.id, a.label ?? null]));
  const out = new Map<string, Best>();
  for (const sm of matchSites(sites.map((s) => ({ id: s.id, lat: s.lat!, lng: s.lng! })), areas, { bufferM })) {
    for (const m of sm.matches) {
      const prev = out.get(sm.siteId);
      if (!prev || (m.inside && !prev.inside) || (m.inside === prev.inside && m.distanceM < prev.distanceM)) {
        out.set(sm.siteId, { areaId: m.areaId, label: labels.get(m.areaId) ?? null, inside: m.inside, distanceM: m.distanceM });
      }
    }
  }
  return out;
}

const yuan = (n: number) => Math.round(n) * 100;
const insurers = ['中国人保财险', '平安产险', '太平洋产险', '国寿财险', '大地保险'] as const;
const refusedZh = ['仓库位于低洼易涝区，近三年两次进水，拒绝承保', '消防验收未通过，整改完成前不予承保', '简易钢棚库房，不符合财产险承保条件'] as const;
const refusedEn = ['Low-lying, flood-prone site that flooded twice in three years: cover refused', 'Failed its fire inspection: no cover until the work is done', 'Light steel shed: does not meet the property policy’s conditions'] as const;

export function generateHazards(input: HazardInput): HazardRows {
  const { now, rng, idAt } = input;
  const nowMs = now.getTime();
  const bufferM = input.bufferM ?? DEFAULT_BUFFER_M;
  const out: HazardRows = { site_risk: [], hazard_tracks: [], hazard_alerts: [], hazard_matches: [], advisories: [], notifications: [] };
  const accountById = new Map(input.accounts.map((a) => [a.id, a]));
  const coastal = [input.coastal.jiaojiang, input.coastal.shitang, input.coastal.songmen];
  const english = (accountId: string) => input.englishUsers.has(accountById.get(accountId)?.owner_id ?? '');

  // Stock and insurance on warehouses and yards: most recorded, some not (unknown, never zero).
  const riskRng = rng.fork('site-risk');
  const inventory = new Map<string, number>();
  for (const s of input.sites) {
    if (s.kind !== 'warehouse' && s.kind !== 'yard') continue;
    const r = riskRng.fork(s.id);
    const revenue = input.revenue.get(s.account_id) ?? 0;
    const stock = revenue > 0 ? Math.max(80_000, Math.round(((revenue / 100 / 12) * (0.3 + 0.9 * r.next())) / 10_000) * 10_000) : null;
    const known = stock !== null && r.chance(0.85);
    const updated = new Date(nowMs - r.int(5, 200) * DAY - r.int(0, 600) * 60_000).toISOString();
    const row: Database['site_risk'] = {
      site_id: s.id, coast_distance_m: null, coast_lat: null, coast_lng: null, flood_prone: r.chance(0.05) ? 1 : 0, company_site: 0,
      inventory_value_minor: known ? yuan(stock!) : null, inventory_currency: known ? 'CNY' : null, insurance_status: 'unknown', insurer: null,
      policy_number: null, cover_minor: null, cover_currency: null, insurance_expires_on: null, refused_reason: null, updated_at: updated, version: 1,
    };
    const u = r.next();
    if (u < 0.55) {
      const cover = Math.round(((stock ?? r.int(50, 300) * 10_000) * (0.7 + 0.7 * r.next())) / 100_000) * 100_000;
      Object.assign(row, {
        insurance_status: 'insured', insurer: r.pick(insurers), policy_number: `PQAA${now.getUTCFullYear() - r.int(0, 1)}3310${String(r.int(0, 999_999)).padStart(6, '0')}`,
        cover_minor: yuan(Math.max(100_000, cover)), cover_currency: 'CNY', insurance_expires_on: new Date(nowMs + r.int(-20, 330) * DAY).toISOString().slice(0, 10),
      });
    } else if (u < 0.62) {
      Object.assign(row, { insurance_status: 'refused', insurer: r.pick(insurers), refused_reason: english(s.account_id) ? r.pick(refusedEn) : r.pick(refusedZh) });
    } else if (u < 0.8) {
      row.insurance_status = 'none';
    }
    out.site_risk.push(row);
  }
  const risk = new Map(out.site_risk.map((r) => [r.site_id, r]));
  // The three seafront warehouses tell the story: under-insured, refused for the seawall, none at all.
  const set = (id: string, patch: Partial<Database['site_risk']>) => Object.assign(risk.get(id)!, { flood_prone: 1, ...patch });
  set(input.coastal.jiaojiang, {
    inventory_value_minor: yuan(3_260_000), inventory_currency: 'CNY', insurance_status: 'insured', insurer: '中国人保财险', policy_number: `PQAA${now.getUTCFullYear()}331000287514`,
    cover_minor: yuan(2_500_000), cover_currency: 'CNY', insurance_expires_on: new Date(nowMs + 45 * DAY).toISOString().slice(0, 10), refused_reason: null,
  });
  set(input.coastal.shitang, {
    inventory_value_minor: yuan(2_080_000), inventory_currency: 'CNY', insurance_status: 'refused', insurer: '平安产险', policy_number: null, cover_minor: null,
    cover_currency: null, insurance_expires_on: null, refused_reason: '仓库距海堤不足50米，位于风暴潮淹没区，保险公司拒保',
  });
  set(input.coastal.songmen, {
    inventory_value_minor: yuan(1_380_000), inventory_currency: 'CNY', insurance_status: 'none', insurer: null, policy_number: null, cover_minor: null,
    cover_currency: null, insurance_expires_on: null, refused_reason: null,
  });
  for (const r of out.site_risk) if (r.inventory_value_minor !== null) inventory.set(r.site_id, r.inventory_value_minor);

  // The storm: Lekima's best track shifted so that landfall comes 36 hours after now.
  const base = parseJtwcCsv(LEKIMA_2019_JTWC_CSV, { agency: 'JTWC' });
  const landfallMs = Math.floor((nowMs + LANDFALL_AFTER_MS) / HOUR) * HOUR;
  const shift = landfallMs - Date.parse(LEKIMA_LANDFALL_FIX);
  const track: StormTrack = {
    ...base, id: 'WP102019-REPLAY',
    fixes: base.fixes.map((f) => ({ ...f, time: new Date(f.timeMs + shift).toISOString(), timeMs: f.timeMs + shift })),
  };
  const known = track.fixes.filter((f) => f.timeMs <= nowMs);
  const uploadedMs = Math.max(known[known.length - 1]?.timeMs ?? nowMs - 6 * HOUR, nowMs - 6 * HOUR) + 50 * 60_000;
  const uploaded = new Date(Math.min(nowMs, uploadedMs)).toISOString();
  out.hazard_tracks.push({
    id: idAt(uploaded), storm_id: track.id, name: `${track.name} (2019, replayed)`, agency: track.agency, first_fix_at: track.fixes[0]!.time,
    last_fix_at: track.fixes[track.fixes.length - 1]!.time, fix_count: track.fixes.length, track_json: JSON.stringify(track), file_path: null,
    uploaded_at: uploaded, uploaded_by: input.uploaderId,
  });

  // The warnings now: orange 10 hours ago, red (an Update adding Taizhou Bay) an hour ago.
  const landfall = localLabel(landfallMs);
  const orangeMs = Math.floor((nowMs - 10 * HOUR) / HOUR) * HOUR;
  const redMs = Math.floor((nowMs - HOUR) / (15 * 60_000)) * 15 * 60_000;
  const stamp = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 19).replace(/[-:T]/g, '');
  const senderName = { zh: '台州市气象台', en: 'Taizhou Meteorological Observatory' };
  const orange: Warning = {
    identifier: `33100041600000_${stamp(orangeMs)}`, sentMs: orangeMs, msgType: 'Alert', severity: 'Severe', urgency: 'Expected', certainty: 'Likely',
    onsetMs: landfallMs - 12 * HOUR, expiresMs: orangeMs + 30 * HOUR, areas: [WENLING_EAST, ISLANDS],
    zh: {
      event: '台风', senderName: senderName.zh, headline: '台州市气象台发布台风橙色预警信号',
      description: `${position(track, orangeMs).zh}。预计将以每小时20公里左右的速度向西北方向移动，强度维持，将于${landfall.zh}前后在温岭到玉环一带沿海登陆。受其影响，温岭东部沿海及台州列岛12小时后将出现10～11级大风，阵风13级以上。${DEMO_NOTE_ZH}`,
      instruction: '停止室内外大型集会和高空等户外危险作业；相关水域水上作业和过往船舶采取积极的应对措施，加固港口设施；加固或者拆除易被风吹动的搭建物；沿海低洼地区人员和仓储物资做好转移准备。',
    },
    en: {
      event: 'Typhoon', senderName: senderName.en, headline: 'Taizhou Meteorological Observatory: typhoon orange warning',
      description: `${position(track, orangeMs).en}. It is moving north-west at about 20 km/h and is expected to make landfall between Wenling and Yuhuan around ${landfall.en}. Gales of force 10–11, gusting 13 or more, on the eastern coast of Wenling and the Taizhou Islands within 12 hours. ${DEMO_NOTE_EN}`,
      instruction: 'Stop large gatherings and work at height outdoors; vessels take precautions and harbours secure their installations; secure or take down structures the wind can move; prepare to move people and stored goods out of low-lying coastal areas.',
    },
  };
  const red: Warning = {
    identifier: `33100041600000_${stamp(redMs)}`, sentMs: redMs, msgType: 'Update', references: `${SENDER},${orange.identifier},${capTime(orangeMs)}`,
    severity: 'Extreme', urgency: 'Immediate', certainty: 'Likely', onsetMs: landfallMs - 18 * HOUR, expiresMs: landfallMs + 18 * HOUR,
    areas: [WENLING_EAST, TAIZHOU_BAY, ISLANDS],
    zh: {
      event: '台风', senderName: senderName.zh, headline: '台州市气象台发布台风红色预警信号',
      description: `${position(track, redMs).zh}。预计将于${landfall.zh}前后在温岭到玉环一带沿海登陆。受其影响，温岭东部沿海、椒江和路桥沿海将出现12级以上大风，阵风15～17级，并伴有风暴潮和特大暴雨，沿海低洼地带有海水倒灌风险。${DEMO_NOTE_ZH}`,
      instruction: '政府及相关部门按照职责做好防台风应急和抢险工作；停止集会、停课、停业（特殊行业除外）；回港避风的船舶要采取积极措施，防止船舶走锚、搁浅和碰撞；沿海低洼地带人员及仓储物资尽快转移到安全地带。',
    },
    en: {
      event: 'Typhoon', senderName: senderName.en, headline: 'Taizhou Meteorological Observatory: typhoon red warning',
      description: `${position(track, redMs).en}. Landfall between Wenling and Yuhuan is expected around ${landfall.en}. Winds of force 12 and above, gusting 15–17, with storm surge and extreme rain on the eastern coast of Wenling and the Jiaojiang and Luqiao coast; seawater may flood low-lying land. ${DEMO_NOTE_EN}`,
      instruction: 'Authorities carry out typhoon emergency and rescue work; gatherings, schools and businesses close (essential services excepted); vessels in harbour guard against dragging anchor, grounding and collision; move people and stored goods out of low-lying coastal areas now.',
    },
  };

  // The earlier typhoon on the same coast: the latest 9 August at least 90 days back.
  const ref = new Date(nowMs);
  let pastYear = ref.getUTCFullYear();
  if (Date.UTC(pastYear, 7, 9, 17, 45) > nowMs - 90 * DAY) pastYear--;
  const pastLandfallMs = Date.UTC(pastYear, 7, 9, 18, 0);
  const pastOrangeMs = pastLandfallMs - 30 * HOUR, pastRedMs = pastLandfallMs - 14 * HOUR;
  const pastDesc = (zh: boolean) => zh
    ? `强台风中心位于温岭市东南方向约${420}公里的海面上，预计将于${localLabel(pastLandfallMs).zh}前后在温岭沿海登陆，温岭东部沿海、椒江沿海将出现12级以上大风并伴有风暴潮。【演示数据】并非真实预警。`
    : `A severe typhoon about 420 km south-east of Wenling is expected ashore on the Wenling coast around ${localLabel(pastLandfallMs).en}, with force 12 winds and storm surge on the Wenling and Jiaojiang coast. [Demo data] Not a real warning.`;
  const pastOrange: Warning = {
    ...orange, identifier: `33100041600000_${stamp(pastOrangeMs)}`, sentMs: pastOrangeMs, onsetMs: pastLandfallMs - 8 * HOUR, expiresMs: pastOrangeMs + 30 * HOUR,
    zh: { ...orange.zh, description: pastDesc(true) }, en: { ...orange.en, description: pastDesc(false) },
  };
  const pastRed: Warning = {
    ...red, identifier: `33100041600000_${stamp(pastRedMs)}`, sentMs: pastRedMs, references: `${SENDER},${pastOrange.identifier},${capTime(pastOrangeMs)}`,
    onsetMs: pastLandfallMs - 6 * HOUR, expiresMs: pastLandfallMs + 10 * HOUR,
    zh: { ...red.zh, description: pastDesc(true) }, en: { ...red.en, description: pastDesc(false) },
  };

  type Chain = { first: CapAlert; update: CapAlert; firstRow: Database['hazard_alerts']; updateRow: Database['hazard_alerts'] };
  const chain = (a: Warning, b: Warning): Chain => {
    const firstParsed = parseWarning(warningXml(a)), updateParsed = parseWarning(warningXml(b));
    const first = firstParsed.alert, update = updateParsed.alert;
    const thread = `${first.sender}|${first.identifier}`;
    const rec = (w: Warning) => w.sentMs + 3 * 60_000;
    const firstRow = alertRow(idAt(new Date(rec(a)).toISOString()), firstParsed, thread, rec(a), input.uploaderId);
    const updateRow = alertRow(idAt(new Date(rec(b)).toISOString()), updateParsed, thread, rec(b), input.uploaderId);
    out.hazard_alerts.push(firstRow, updateRow);
    return { first, update, firstRow, updateRow };
  };
  const past = chain(pastOrange, pastRed);
  const current = chain(orange, red);

  // Matches and advisories, as the matcher makes them, for both events.
  const siteList = input.sites.filter((s) => s.lat !== null && s.lng !== null);
  const candidates: Candidate[] = siteList.map((s) => ({ id: s.id, name: s.name, accountId: s.account_id, lat: s.lat!, lng: s.lng!, companySite: false }));
  const advRng = rng.fork('advisories');
  const notify = (userId: string | null, atIso: string, kind: string, title: string, body: string, advisoryId: string, readAt: string | null) => {
    if (!userId) return;
    out.notifications.push({ id: idAt(atIso), user_id: userId, kind, title, body, entity: 'advisory', entity_id: advisoryId, created_at: atIso, read_at: readAt });
  };

  const event = (c: Chain, when: { nowMs: number; ended: boolean }) => {
    // The matcher sees the sites that exist when it runs: the first warning's pass, then every pass since.
    const evalMs = when.ended ? Date.parse(c.updateRow.received_at) : when.nowMs;
    const existing = siteList.filter((s) => Date.parse(s.created_at) <= evalMs);
    const firstSeen = bestMatches(c.first, Date.parse(c.firstRow.received_at), existing.filter((s) => s.created_at <= c.firstRow.received_at), bufferM);
    const best = bestMatches(c.update, evalMs, existing, bufferM);
    const atRisk = new Set(best.keys());
    const endedIso = new Date(Date.parse(c.updateRow.expires_at) + 4 * 60_000).toISOString();
    const rows: { site: SiteRow; adv: Database['advisories']; openedByFirst: boolean }[] = [];
    for (const site of existing) {
      const b = best.get(site.id);
      if (!b) continue;
      const account = accountById.get(site.account_id)!;
      const openedByFirst = firstSeen.has(site.id);
      const openedRow = openedByFirst ? c.firstRow : c.updateRow;
      const firstIso = openedRow.received_at;
      out.hazard_matches.push({
        id: idAt(firstIso), thread_key: c.updateRow.thread_key, alert_id: c.updateRow.id, area_id: b.areaId, area_label: b.label, site_id: site.id,
        account_id: site.account_id, inside: b.inside ? 1 : 0, distance_m: b.distanceM, first_matched_at: firstIso,
        last_seen_at: when.ended ? new Date(Date.parse(endedIso) - 5 * 60_000).toISOString() : now.toISOString(),
        ended_at: when.ended ? endedIso : null, end_reason: when.ended ? 'expired' : null,
      });
      const proposal = proposeMove({ id: site.id, accountId: site.account_id, lat: site.lat!, lng: site.lng! }, candidates, atRisk);
      const value = inventory.get(site.id) ?? null;
      const adv: Database['advisories'] = {
        id: idAt(firstIso), thread_key: c.updateRow.thread_key, alert_id: c.updateRow.id, site_id: site.id, account_id: site.account_id,
        manager_id: account.owner_id, status: 'open', hazard_state: 'updated', hazard_ended_at: null, headline: c.updateRow.headline, inside: b.inside ? 1 : 0,
        distance_m: b.distanceM, value_at_risk_minor: value, currency: value === null ? null : 'CNY', proposal_json: JSON.stringify(proposal),
        contacted_at: null, contact_channel: null, contact_notes: null, dealer_decision: null, action_taken: null, actioned_at: null, closed_at: null,
        closed_reason: null, value_saved_minor: null, losses_minor: null, moving_cost_minor: null, outcome_currency: null, outcome_notes: null,
        email_status: 'skipped: SMTP not configured', webhook_status: 'skipped: webhook not configured', created_at: firstIso,
        updated_at: openedByFirst ? c.updateRow.received_at : firstIso, version: openedByFirst ? 2 : 1,
      };
      out.advisories.push(adv);
      rows.push({ site, adv, openedByFirst });
      const where = b.inside ? 'is inside the warning area' : `is ${Math.round(b.distanceM)} m from the warning area`;
      notify(account.owner_id, firstIso, 'advisory_opened', `${openedRow.headline ?? openedRow.event ?? 'Warning'}: ${site.name}`,
        `${account.name} · ${site.name} ${where}. ${proposal.text} / ${proposal.textZh}`, adv.id, null);
      if (openedByFirst) {
        notify(account.owner_id, c.updateRow.received_at, 'advisory_updated', `Updated: ${c.updateRow.headline ?? 'warning'}: ${site.name}`,
          `The warning for ${site.name} (${account.name}) was updated.`, adv.id, null);
      }
    }
    return { rows, endedIso };
  };

  const contactName = (accountId: string) => {
    const cs = input.contacts.filter((c) => c.account_id === accountId);
    return cs[0] ?? null;
  };
  const boss = (accountId: string, en: boolean) => {
    const c = contactName(accountId);
    return c ? (en ? c.name_en ?? c.name : c.name) : en ? 'the owner' : '老板';
  };
  const step = (adv: Database['advisories'], patch: Partial<Database['advisories']>, atIso: string) => {
    Object.assign(adv, patch, { version: adv.version + 1, updated_at: atIso > adv.updated_at ? atIso : adv.updated_at });
  };
  const readAll = (advId: string, atIso: string) => {
    for (const n of out.notifications) if (n.entity_id === advId && n.created_at <= atIso && !n.read_at) n.read_at = atIso;
  };
  const at = (ms: number) => new Date(ms).toISOString();

  // The earlier typhoon: every advisory closed. 鑫源 (Shitang) moved its stock in time; its
  // neighbour 永固 (Songmen) did not and lost it; the rest ended with the warning.
  const pastEvent = event(past, { nowMs: pastRedMs, ended: true });
  for (const { site, adv } of pastEvent.rows) {
    const en = english(site.account_id);
    const name = boss(site.account_id, en);
    if (site.id === input.coastal.shitang) {
      const contacted = pastOrangeMs + 2 * HOUR, actioned = pastOrangeMs + 9 * HOUR, closed = pastLandfallMs + 3 * DAY;
      step(adv, { status: 'contacted', contacted_at: at(contacted), contact_channel: 'phone', contact_notes: `与${name}通话：风暴潮可能漫过海堤，建议把库存转到城区仓库` }, at(contacted));
      step(adv, { status: 'actioned', dealer_decision: 'move_stock', action_taken: '连夜调6辆车，把袋装水泥和瓷砖胶转到温岭城区总部仓库', actioned_at: at(actioned) }, at(actioned));
      step(adv, {
        status: 'closed', closed_at: at(closed), closed_reason: 'outcome', value_saved_minor: yuan(1_742_000), losses_minor: yuan(26_000), moving_cost_minor: yuan(18_600),
        outcome_currency: 'CNY', outcome_notes: '登陆前一天转移完毕；风暴潮进库约40厘米，只有码头边来不及搬的80袋受潮报废',
      }, at(closed));
      readAll(adv.id, at(contacted));
    } else if (site.id === input.coastal.songmen) {
      const contacted = pastOrangeMs + 3 * HOUR, actioned = pastOrangeMs + 5 * HOUR, closed = pastLandfallMs + 4 * DAY;
      step(adv, { status: 'contacted', contacted_at: at(contacted), contact_channel: 'wechat', contact_notes: `微信告知${name}：预警区域覆盖松门渔港，建议转移库存` }, at(contacted));
      step(adv, { status: 'actioned', dealer_decision: 'declined', action_taken: '老板认为仓库地势高、以前没进过水，决定不转移', actioned_at: at(actioned) }, at(actioned));
      step(adv, {
        status: 'closed', closed_at: at(closed), closed_reason: 'outcome', value_saved_minor: 0, losses_minor: yuan(640_000), moving_cost_minor: 0,
        outcome_currency: 'CNY', outcome_notes: '风暴潮漫过海堤，一楼约2,600袋水泥和40吨散装受潮报废；仓库无保险',
      }, at(closed));
      readAll(adv.id, at(contacted));
    } else {
      step(adv, { status: 'closed', closed_at: pastEvent.endedIso, closed_reason: 'hazard-ended' }, pastEvent.endedIso);
      notify(adv.manager_id, pastEvent.endedIso, 'advisory_hazard_ended', `Warning expired: ${adv.headline ?? ''}`.trim(),
        'The warning no longer covers the site; the advisory was closed.', adv.id, at(Date.parse(pastEvent.endedIso) + advRng.int(1, 48) * HOUR));
    }
    Object.assign(adv, { hazard_state: 'expired', hazard_ended_at: pastEvent.endedIso });
    if (adv.closed_reason === 'outcome') adv.version++;
    readAll(adv.id, adv.closed_at!);
  }

  // Now: the seafront warehouses open (Jiaojiang, added by the red warning), contacted (Songmen,
  // hesitating again) and actioned (Shitang, moving early this time); the rest still open.
  const nowEvent = event(current, { nowMs, ended: false });
  for (const { site, adv } of nowEvent.rows) {
    const en = english(site.account_id);
    const name = boss(site.account_id, en);
    if (site.id === input.coastal.shitang) {
      const contacted = Math.min(nowMs - 30 * 60_000, orangeMs + 50 * 60_000), actioned = Math.min(nowMs - 20 * 60_000, orangeMs + 4 * HOUR);
      step(adv, { status: 'contacted', contacted_at: at(contacted), contact_channel: 'phone', contact_notes: `${name}：上次转移得及时，这次照样提前搬` }, at(contacted));
      step(adv, { status: 'actioned', dealer_decision: 'move_stock', action_taken: '今天下午起分三批转到温岭城区总部仓库，已约好4辆车', actioned_at: at(actioned) }, at(actioned));
      readAll(adv.id, at(contacted));
    } else if (site.id === input.coastal.songmen) {
      const contacted = Math.min(nowMs - 15 * 60_000, orangeMs + 2 * HOUR);
      step(adv, { status: 'contacted', contacted_at: at(contacted), contact_channel: 'visit', contact_notes: `当面提醒${name}上次的损失；老板说等红色预警再决定，明早再跟进` }, at(contacted));
      readAll(adv.id, at(contacted));
    } else if (!coastal.includes(site.id) && advRng.chance(0.2)) {
      const contacted = nowMs - advRng.int(10, 50) * 60_000;
      step(adv, { status: 'contacted', contacted_at: at(contacted), contact_channel: 'wechat', contact_notes: en ? `Sent ${name} the warning on WeChat; no stock at this site worth moving` : `已微信转发预警给${name}；该点库存少，暂不转移` }, at(contacted));
    }
  }
  out.hazard_matches.sort((a, b) => a.first_matched_at.localeCompare(b.first_matched_at) || (a.id < b.id ? -1 : 1));
  out.advisories.sort((a, b) => a.created_at.localeCompare(b.created_at) || (a.id < b.id ? -1 : 1));
  out.notifications.sort((a, b) => a.created_at.localeCompare(b.created_at) || (a.id < b.id ? -1 : 1));
  return out;
}
