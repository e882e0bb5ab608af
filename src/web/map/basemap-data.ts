/**
 * The offline basemap's data as scripts/basemap.ts builds it, and the pure rules that pick what is
 * drawn: which detail cells a view needs and which place names are shown at a zoom level.
 */

/** Quantised to `q` degrees: the first point absolute, then deltas, as [x0, y0, dx1, dy1, …]. */
export type Path = number[];
/** A place: longitude, latitude, rank (0 province, 1 provincial capital, 2 prefecture city, 3 county or district, 4 town), English and Chinese name. */
export type PlaceRow = [number, number, number, string, string];
export type BasemapLayer = {
  q: number;
  /** Land polygons, each a list of rings (the first the outline, the others holes). */
  land: Path[][];
  /** Borders between countries. */
  borders: Path[];
  /** Borders between China's provinces. */
  provinces: Path[];
  places: PlaceRow[];
};
/**
 * The overview: `land` and `borders` lie outside the detail box and are always drawn; `landInner`
 * and `bordersInner` lie inside it and give way to the detail cells from the detail zoom on.
 */
export type BasemapOverview = BasemapLayer & { landInner: Path[][]; bordersInner: Path[] };
export type BBox = [number, number, number, number];

/** [lat, lng] pairs of an encoded path. */
export function decodePath(path: Path, q: number): [number, number][] {
  const out: [number, number][] = [];
  let x = 0, y = 0;
  for (let i = 0; i + 1 < path.length; i += 2) {
    x += path[i]!;
    y += path[i + 1]!;
    out.push([Math.round(y * q * 1e6) / 1e6, Math.round(x * q * 1e6) / 1e6]);
  }
  return out;
}

/** The keys (`${lng}_${lat}` of the south-west corner) of the cells of `size` degrees that a box touches. */
export function cellsIn(box: BBox, size: number): string[] {
  const keys: string[] = [];
  const [w, s, e, n] = box;
  for (let x = Math.floor(w / size) * size; x < e; x += size) {
    for (let y = Math.floor(s / size) * size; y < n; y += size) keys.push(`${x}_${y}`);
  }
  return keys;
}

/** From which zoom level each rank of place is named: provinces only while zoomed out. */
export const placeZooms: Record<number, [number, number]> = { 0: [4, 7], 1: [3, 99], 2: [5, 99], 3: [7, 99], 4: [9, 99] };

/** The order in which names claim their place: capitals, then province names, then cities, counties and towns. */
export const placePriority = (rank: number) => (rank === 0 ? 1.5 : rank);

export const shownAt = (rank: number, zoom: number) => {
  const z = placeZooms[rank];
  return !!z && zoom >= z[0] && zoom <= z[1];
};

/** The name of a place in the interface language: Chinese for zh, else English. */
export const placeName = (p: PlaceRow, lang: string) => (lang.toLowerCase().startsWith('zh') ? p[4] : p[3]);

export type LabelBox = { x: number; y: number; w: number; h: number };

/**
 * Greedy label placement: places in rank order (most important first), each kept only where its box
 * overlaps no box already kept. `box` says where a place's label would go on screen, or null when
 * it is off screen.
 */
export function placeLabels<T>(places: readonly T[], rank: (p: T) => number, box: (p: T) => LabelBox | null, gap = 4): { place: T; box: LabelBox }[] {
  const kept: { place: T; box: LabelBox }[] = [];
  const sorted = [...places].sort((a, b) => rank(a) - rank(b));
  for (const p of sorted) {
    const b = box(p);
    if (!b) continue;
    const hit = kept.some(({ box: k }) => b.x < k.x + k.w + gap && b.x + b.w + gap > k.x && b.y < k.y + k.h + gap && b.y + b.h + gap > k.y);
    if (!hit) kept.push({ place: p, box: b });
  }
  return kept;
}
