/**
 * Making an invalid CAP polygon valid without losing ground. Real senders write rings whose
 * edges touch at a vertex, fold back in a zero-width spike, or cross; refusing them silences a
 * real warning (two NSW RFS bushfire alerts), so they are repaired instead.
 *
 * The ring is read by the non-zero winding rule: a point is covered when the ring winds around
 * it at all. That keeps both lobes of a figure eight or a bow-tie (where the signed area would
 * cancel), drops zero-width spikes (they enclose nothing), and reads a keyhole ring as a
 * polygon with a hole. The union of the ring with itself under that rule is computed by
 * polyclip-ts (exact arithmetic, no snapping), which yields valid polygons: simple rings,
 * holes inside their outer ring, no overlaps.
 */
import { union } from 'polyclip-ts';
import { findSelfIntersection, ringSignedArea, selfIntersections, type Position } from './geometry.js';

/**
 * Limits of the general repair, whose exact arithmetic costs grow with vertices and crossings
 * (a 1,000-vertex ring that winds around 7 times took over 10 s): a ring past them is not a
 * warning area with a slip of the pen but noise, and is refused rather than stall the server.
 */
export const REPAIR_LIMITS = { vertices: 5_000, crossings: 200 } as const;

/**
 * The valid polygons (each outer ring then holes, closed, `[lon, lat]`) covering the ground a
 * closed ring encloses by the non-zero winding rule; `[]` when it encloses none (all points on
 * one line). Meant for rings that fail the simplicity check: a simple ring comes back as itself
 * (counter-clockwise, possibly starting elsewhere).
 */
export function repairRing(ring: readonly Position[]): Position[][][] {
  // Most real faults are spikes: removing them is exact and keeps the sender's vertices, and
  // it is far cheaper than the general union (exact arithmetic costs ~0.1–1 ms a vertex).
  const cleaned = withoutSpikes(ring);
  if (cleaned.length < 4) return [];
  if (!findSelfIntersection(cleaned) && ringSignedArea(cleaned) !== 0) return [[cleaned]];
  if (cleaned.length - 1 > REPAIR_LIMITS.vertices) throw new RangeError(`${cleaned.length - 1} vertices is more than the ${REPAIR_LIMITS.vertices} a ring may have to be repaired`);
  if (selfIntersections(cleaned, REPAIR_LIMITS.crossings + 1).length > REPAIR_LIMITS.crossings) throw new RangeError(`it touches or crosses itself more than ${REPAIR_LIMITS.crossings} times`);
  return union([cleaned.map((p): [number, number] => [p[0], p[1]])]).map((poly) => poly.map((r) => r.map((p): Position => [p[0], p[1]])));
}

const same = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];

/** B is the tip of a zero-width spike A→B→C: the three are collinear and the path turns back at B. */
function isSpike(a: Position, b: Position, c: Position): boolean {
  const cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return cross === 0 && (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]) < 0;
}

/**
 * The ring, closed, without repeated points and without spikes (cascading ones included, and
 * those across the start). A spike encloses nothing, so the ground is unchanged: removing B of
 * a collinear A→B→C changes the signed area by the triangle ABC, which is 0.
 */
function withoutSpikes(ring: readonly Position[]): Position[] {
  const out: Position[] = [];
  const push = (p: Position) => {
    while (out.length >= 2 && isSpike(out[out.length - 2]!, out[out.length - 1]!, p)) out.pop();
    if (out.length === 0 || !same(out[out.length - 1]!, p)) out.push(p);
  };
  for (const p of ring) push(p);
  while (out.length > 1 && same(out[0]!, out[out.length - 1]!)) out.pop();
  // Across the start: the last points against the first ones, until nothing changes.
  for (let changed = true; changed && out.length >= 3;) {
    changed = false;
    if (isSpike(out[out.length - 1]!, out[0]!, out[1]!)) { out.shift(); changed = true; }
    else if (isSpike(out[out.length - 2]!, out[out.length - 1]!, out[0]!)) { out.pop(); changed = true; }
    while (out.length > 1 && same(out[0]!, out[out.length - 1]!)) { out.pop(); changed = true; }
  }
  return out.length >= 3 ? [...out, out[0]!] : [];
}

/**
 * How many times a closed ring winds around a point (0 outside). Points on an edge may count
 * either way. Dan Sunday's crossing-number form of the winding rule.
 */
export function windingNumber(x: number, y: number, ring: readonly Position[]): number {
  let wn = 0;
  for (let i = 1; i < ring.length; i++) {
    const [ax, ay] = ring[i - 1]!, [bx, by] = ring[i]!;
    const side = (bx - ax) * (y - ay) - (x - ax) * (by - ay);
    if (ay <= y) {
      if (by > y && side > 0) wn++;
    } else if (by <= y && side < 0) wn--;
  }
  return wn;
}
