import { describe, expect, it } from 'vitest';
import { buildCoastlineIndex, distanceToCoastM, naturalEarthCoastline } from './coastline.js';

describe('distance to the coast (Natural Earth 1:10m via world-atlas)', () => {
  it('finds Wenling on the Zhejiang coast within a few km of the sea', () => {
    // Wenling city centre (28.375 N, 121.384 E) is about 8 km from the open coast to the south-east.
    const d = distanceToCoastM({ lat: 28.37524, lng: 121.38416 });
    expect(d).toBeGreaterThan(1_000);
    expect(d).toBeLessThan(15_000);
  });

  it('finds Chengdu hundreds of km inland', () => {
    // The nearest sea is the Gulf of Tonkin, about 1,050 km away.
    const d = distanceToCoastM({ lat: 30.66667, lng: 104.06667 });
    expect(d).toBeGreaterThan(900_000);
    expect(d).toBeLessThan(1_200_000);
  });

  it('measures a point at sea to the nearest shore', () => {
    // 25 N 130 E, open Philippine Sea: the nearest land is the Daito/Ryukyu islands, 100–200 km.
    const d = naturalEarthCoastline().nearest({ lat: 25, lng: 130 }).distanceM;
    expect(d).toBeGreaterThan(100_000);
    expect(d).toBeLessThan(250_000);
  });

  it('works on a hand-made coastline', () => {
    const idx = buildCoastlineIndex([[[120, 30], [121, 30]]]);
    expect(idx.nearest({ lat: 30.1, lng: 120.5 }).distanceM).toBeCloseTo(11_119, -1);
    expect(buildCoastlineIndex([]).nearest({ lat: 0, lng: 0 }).distanceM).toBe(Infinity);
  });
});
