import { describe, expect, it } from 'vitest';
import { haversineMetres } from '../../shared/geo.js';
import { coordinateTravelMatrix } from './routing.travel.domain.js';
import { jsonToProblem, parseRoutingProblemJson } from './routing.json-problem.js';

const munich = { lat: 48.137, lng: 11.575 };
const augsburg = { lat: 48.366, lng: 10.898 };

describe('coordinate travel model', () => {
  it('uses great-circle distance × 1.3 at 40 km/h by default', () => {
    const m = coordinateTravelMatrix([munich, augsburg]);
    const metres = haversineMetres(munich, augsburg) * 1.3;
    expect(m.metres[1]).toBeCloseTo(metres, 6);
    expect(m.minutes[1]).toBeCloseTo(metres / (40_000 / 60), 9);
    expect(m.minutes[2]).toBe(m.minutes[1]);
    expect(m.minutes[0]).toBe(0);
  });

  it('takes another detour factor and speed', () => {
    const m = coordinateTravelMatrix([munich, augsburg], { detourFactor: 1, speedKmh: 60 });
    expect(m.minutes[1]).toBeCloseTo(haversineMetres(munich, augsburg) / 1000, 9);
  });
});

describe('JSON problem format', () => {
  it('builds a geographic problem with shifts, windows and several vehicles', () => {
    const p = jsonToProblem(parseRoutingProblemJson({
      stops: [
        { id: 'A', ...augsburg, windows: [{ start: '08:00', end: '12:00' }, { start: '13:30', end: '18:00' }], serviceMinutes: 45 },
        { id: 'B', lat: 48.2, lng: 11.6 },
      ],
      vehicles: [{ id: 'kam', base: munich, shift: { start: '07:30', end: '18:00' }, count: 2 }],
    }));
    expect(p.customers).toEqual([0, 1]);
    expect(p.size).toBe(3);
    expect(p.windows[0]).toEqual([[480, 720], [810, 1080]]);
    expect(p.vehicles.map((v) => [v.id, v.start, v.shiftStart, v.shiftEnd])).toEqual([['kam-1', 2, 450, 1080], ['kam-2', 2, 450, 1080]]);
    expect(p.dist[2 * 3 + 0]).toBeCloseTo(haversineMetres(munich, augsburg) * 1.3, 6);
  });
});
