import { describe, expect, it } from 'vitest';
import type { LatLng } from '../../shared/geo.js';
import { planManagerDay, planManagerWeek } from './routing.service.js';
import type { TravelMatrix, TravelMatrixProvider } from './routing.travel.domain.js';

/** A provider where every trip takes 12 minutes and 10 km, recording what it was asked. */
function fixedProvider(): TravelMatrixProvider & { asked: LatLng[][] } {
  const asked: LatLng[][] = [];
  return {
    name: 'fixed',
    asked,
    async matrix(points): Promise<TravelMatrix> {
      asked.push([...points]);
      const n = points.length;
      const minutes = new Float64Array(n * n).map((_, i) => (Math.floor(i / n) === i % n ? 0 : 12));
      return { size: n, minutes, metres: minutes.map((m) => (m ? 10_000 : 0)) };
    },
  };
}
const p = (lat: number): LatLng => ({ lat, lng: 11 });

describe('planning with a travel provider', () => {
  it('plans a day on the provider\'s travel times', async () => {
    const provider = fixedProvider();
    const plan = await planManagerDay({
      base: p(48), dayStart: '08:00', dayEnd: '12:00',
      stops: [{ id: 'A', location: p(48.1), visitMinutes: 30 }, { id: 'B', location: p(48.2), visitMinutes: 30 }],
    }, { provider });
    expect(provider.asked).toEqual([[p(48), p(48.1), p(48.2)]]);
    expect(plan.travelMinutes).toBe(36);
    expect(plan.travelMetres).toBe(30_000);
    expect(plan.visits.map((v) => v.start)).toEqual(['08:12', '08:54']);
  });

  it('plans a week on the provider\'s travel times', async () => {
    const provider = fixedProvider();
    const week = await planManagerWeek({
      base: p(48), dayStart: '08:00', dayEnd: '12:00', days: ['mon', 'tue'],
      accounts: [
        { id: 'A', location: p(48.1), visitMinutes: 120 },
        { id: 'B', location: p(48.2), visitMinutes: 120 },
      ],
    }, { provider });
    expect(provider.asked).toHaveLength(1);
    expect(week.unassigned).toEqual([]);
    expect(new Set(week.assignments.map((a) => a.weekday))).toEqual(new Set(['mon', 'tue']));
    expect(week.travelMinutes).toBe(48);
  });
});
