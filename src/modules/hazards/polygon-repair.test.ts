import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasReferenceData, referenceDataMissing, referencePath } from '../../shared/reference-data.js';
import { findSelfIntersection, pointInPolygon, ringBBox, ringSignedArea, type Position } from './geometry.js';
import { repairRing, windingNumber } from './polygon-repair.js';
import { findDescendants, readXml } from './xml.js';

/** Area of a polygon set (outer ring then holes each), whatever the rings' orientation. */
function areaOf(polygons: Position[][][]): number {
  return polygons.reduce((s, [outer, ...holes]) => s + Math.abs(ringSignedArea(outer!)) - holes.reduce((h, r) => h + Math.abs(ringSignedArea(r)), 0), 0);
}

/** Every ring simple, every hole inside its outer ring, and no two polygons overlapping. */
function expectValid(polygons: Position[][][]): void {
  expect(polygons.length).toBeGreaterThan(0);
  for (const rings of polygons) {
    for (const r of rings) {
      expect(r[0]).toEqual(r[r.length - 1]);
      expect(findSelfIntersection(r), JSON.stringify(r)).toBeUndefined();
    }
  }
}

/**
 * A grid of points over the ring's box: those the ring encloses (non-zero winding, the reading
 * of a ring that crosses itself which loses no ground) must be inside the repaired polygons,
 * and those it does not must be outside. Points on an edge are skipped, as either answer is
 * right there. Returns how many grid points were inside, so a test can check it saw some.
 */
function expectSameGround(ring: Position[], polygons: Position[][][], steps = 60): number {
  const [x0, y0, x1, y1] = ringBBox(ring);
  let inside = 0;
  const wrong: string[] = [];
  for (let i = 0; i < steps; i++) {
    for (let j = 0; j < steps; j++) {
      // Off the grid by different irrational fractions in x and y, so that no sample lands on a
      // vertex, an axis-parallel edge or a diagonal one.
      const x = x0 + ((i + Math.SQRT1_2) / steps) * (x1 - x0);
      const y = y0 + ((j + 1 / Math.PI) / steps) * (y1 - y0);
      const want = windingNumber(x, y, ring) !== 0;
      if (polygons.some((p) => pointInPolygon(x, y, p)) !== want) wrong.push(`${x},${y} should be ${want ? 'inside' : 'outside'}`);
      if (want) inside++;
    }
  }
  expect(wrong).toEqual([]);
  return inside;
}

describe('repairing a ring that is not valid as written', () => {
  it('splits a ring that touches itself at a vertex into its two lobes, keeping the area', () => {
    const eight: Position[] = [[0, 0], [1, 1], [2, 0], [2, 2], [1, 1], [0, 2], [0, 0]];
    const out = repairRing(eight);
    expectValid(out);
    expect(out).toHaveLength(2);
    expect(areaOf(out)).toBeCloseTo(Math.abs(ringSignedArea(eight)), 12);
    expect(expectSameGround(eight, out)).toBeGreaterThan(0);
  });

  it('removes a zero-width spike (A→B→A), keeping the area', () => {
    const spike: Position[] = [[0, 0], [2, 0], [2, 1], [3, 1], [2, 1], [2, 2], [0, 2], [0, 0]];
    // The sender's other vertices are kept, 2,1 included.
    expect(repairRing(spike)).toEqual([[[[0, 0], [2, 0], [2, 1], [2, 2], [0, 2], [0, 0]]]]);
  });

  it('removes a spike that folds back along an edge', () => {
    // The edge 4→5 runs back over 3→4: zero width, no ground.
    const fold: Position[] = [[0, 0], [4, 0], [4, 4], [2, 4], [1, 4], [3, 4], [0, 4], [0, 0]];
    const out = repairRing(fold);
    expectValid(out);
    expect(areaOf(out)).toBeCloseTo(16, 12);
  });

  it('reads a keyhole ring as a polygon with a hole', () => {
    const keyhole: Position[] = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 5], [3, 5], [3, 7], [7, 7], [7, 3], [3, 3], [3, 5], [0, 5], [0, 0]];
    const out = repairRing(keyhole);
    expectValid(out);
    expect(out).toHaveLength(1);
    expect(out[0]).toHaveLength(2);
    expect(areaOf(out)).toBeCloseTo(84, 12);
    expectSameGround(keyhole, out);
  });

  it('keeps both lobes of a bow-tie, where the signed area would cancel out', () => {
    const bow: Position[] = [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]];
    const out = repairRing(bow);
    expectValid(out);
    expect(areaOf(out)).toBeCloseTo(0.5, 12);
    expect(expectSameGround(bow, out)).toBeGreaterThan(0);
  });

  it('removes spikes that cascade, and one across the start of the ring', () => {
    // 3,1 → 4,1 → 5,1 → 4,1 → 3,1 is a double spike; the ring also starts on the tip of one.
    const ring: Position[] = [[-1, 2], [0, 2], [0, 0], [3, 0], [3, 1], [4, 1], [5, 1], [4, 1], [3, 1], [3, 3], [0, 3], [0, 2], [-1, 2]];
    const out = repairRing(ring);
    expectValid(out);
    expect(out[0]![0]!.map((p) => p.join(','))).toEqual(['0,2', '0,0', '3,0', '3,1', '3,3', '0,3', '0,2']);
    expect(areaOf(out)).toBeCloseTo(9, 12);
  });

  it('refuses, saying why, a ring that crosses itself too often to be a warning area', () => {
    // A star that winds around 7 times: hundreds of crossings.
    const ring: Position[] = Array.from({ length: 400 }, (_, i): Position => {
      const a = (2 * Math.PI * i * 7) / 400, r = i % 2 ? 1 : 0.3;
      return [121 + r * Math.cos(a), 28 + r * Math.sin(a)];
    });
    ring.push(ring[0]!);
    expect(() => repairRing(ring)).toThrow(/crosses itself more than 200 times/);
  });

  it('finds no ground in a ring whose points all lie on one line', () => {
    expect(repairRing([[0, 0], [1, 1], [2, 2], [0, 0]])).toEqual([]);
  });
});

describe.skipIf(!hasReferenceData)(`repairing the two invalid NSW RFS polygons ${hasReferenceData ? '' : referenceDataMissing}`, () => {
  const read = hasReferenceData ? readXml(readFileSync(referencePath('hazard', 'cap', 'fixtures', 'rfs-edxl-de-59-alerts.edxlde'))) : undefined;
  const rings = read && 'root' in read
    ? findDescendants(read.root, 'polygon').map((p) => p.el.text.split(/\s+/).map((pair): Position => {
      const [lat, lon] = pair.split(',').map(Number) as [number, number];
      return [lon, lat];
    }))
    : [];
  const invalid = rings.filter((r) => findSelfIntersection(r));

  it('finds exactly two of the 42 polygons invalid, as GEOS does', () => {
    expect(rings).toHaveLength(42);
    expect(invalid).toHaveLength(2);
  });

  for (const i of [0, 1]) {
    it(`makes invalid polygon ${i + 1} valid without losing area, and covers every point it enclosed`, () => {
      const ring = invalid[i]!;
      const out = repairRing(ring);
      expectValid(out);
      expect(areaOf(out)).toBeCloseTo(Math.abs(ringSignedArea(ring)), 14);
      expect(expectSameGround(ring, out, 120)).toBeGreaterThan(0);
    });
  }
});
