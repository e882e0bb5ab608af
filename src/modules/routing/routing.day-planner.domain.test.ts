import { describe, expect, it } from 'vitest';
import { verifyDayPlan } from './routing.checker.domain.js';
import { buildDayProblem, planDay, type DayPlanInput, type DayStop } from './routing.day-planner.domain.js';
import type { TravelMatrix } from './routing.travel.domain.js';

/**
 * A hand-made matrix keeps the arithmetic checkable: point 0 is the base, travel between
 * any two places is `minutes[i][j]` (metres = minutes × 1000).
 */
function matrixOf(rows: number[][]): TravelMatrix {
  const n = rows.length;
  return { size: n, minutes: Float64Array.from(rows.flat()), metres: Float64Array.from(rows.flat().map((m) => m * 1000)), };
}
const here = { lat: 48.1, lng: 11.5 };
const stop = (id: string, extra: Partial<DayStop> = {}): DayStop => ({ id, location: here, visitMinutes: 30, ...extra });

describe('planDay', () => {
  it('plans around a lunch break and keeps every visit inside opening hours', () => {
    const input: DayPlanInput = {
      base: here, dayStart: '08:00', dayEnd: '18:00',
      stops: [
        stop('A', { visitMinutes: 60, openingHours: [{ start: '08:00', end: '12:00' }, { start: '13:30', end: '18:00' }] }),
        stop('B', { visitMinutes: 90, openingHours: [{ start: '09:00', end: '12:00' }] }),
        stop('C', { visitMinutes: 60, openingHours: [{ start: '08:00', end: '12:00' }, { start: '13:30', end: '18:00' }] }),
      ],
    };
    // A, B, C at 20 min from the base and 10 min from each other.
    const matrix = matrixOf([[0, 20, 20, 20], [20, 0, 10, 10], [20, 10, 0, 10], [20, 10, 10, 0]]);
    const plan = planDay(input, { matrix });
    expect(plan.unassigned).toEqual([]);
    expect(plan.complete).toBe(true);
    expect(verifyDayPlan(input, plan, matrix)).toEqual([]);
    // 3.5 h of visits cannot all happen before 12:00 with B from 09:00: one visit moves after lunch.
    const afterLunch = plan.visits.filter((v) => v.startMinutes >= 13 * 60 + 30);
    expect(afterLunch.length).toBeGreaterThanOrEqual(1);
    expect(plan.visits.find((v) => v.stopId === 'B')!.endMinutes).toBeLessThanOrEqual(12 * 60);
    for (const v of plan.visits) expect(v.startMinutes < 12 * 60 ? v.endMinutes <= 12 * 60 : v.startMinutes >= 13 * 60 + 30).toBe(true);
  });

  it('holds a fixed slot within its tolerance', () => {
    const input: DayPlanInput = {
      base: here, dayStart: '08:00', dayEnd: '17:00',
      stops: [stop('A'), stop('F', { fixedSlot: { start: '14:00', toleranceMinutes: 10 } }), stop('B')],
    };
    const matrix = matrixOf([[0, 15, 15, 15], [15, 0, 5, 5], [15, 5, 0, 5], [15, 5, 5, 0]]);
    const plan = planDay(input, { matrix });
    const f = plan.visits.find((v) => v.stopId === 'F')!;
    expect(f.fixed).toBe(true);
    expect(f.startMinutes).toBeGreaterThanOrEqual(13 * 60 + 50);
    expect(f.startMinutes).toBeLessThanOrEqual(14 * 60 + 10);
    expect(verifyDayPlan(input, plan, matrix)).toEqual([]);
  });

  it('reports an unreachable stop with its reason instead of dropping it', () => {
    const input: DayPlanInput = {
      base: here, dayStart: '08:00', dayEnd: '18:00',
      stops: [stop('NEAR'), stop('FAR', { openingHours: [{ start: '08:00', end: '11:00' }] })],
    };
    // FAR is 3 h 40 min from the base: earliest arrival 11:40.
    const matrix = matrixOf([[0, 10, 220], [10, 0, 215], [220, 215, 0]]);
    const plan = planDay(input, { matrix });
    expect(plan.visits.map((v) => v.stopId)).toEqual(['NEAR']);
    expect(plan.complete).toBe(false);
    expect(plan.unassigned).toEqual([{
      stopId: 'FAR', code: 'unreachable',
      reason: 'opening hours 08:00–11:00 cannot be reached: earliest arrival 11:40 from base (a 30-min visit must start by 10:30)',
    }]);
    expect(verifyDayPlan(input, plan, matrix)).toEqual([]);
  });

  it('explains a fixed slot outside opening hours and a day that is too full', () => {
    const input: DayPlanInput = {
      base: here, dayStart: '08:00', dayEnd: '10:00',
      stops: [
        stop('SLOT', { fixedSlot: { start: '09:00' }, openingHours: [{ start: '13:00', end: '17:00' }] }),
        stop('A', { visitMinutes: 55 }), stop('B', { visitMinutes: 55 }),
      ],
    };
    const matrix = matrixOf([[0, 5, 5, 5], [5, 0, 5, 5], [5, 5, 0, 5], [5, 5, 5, 0]]);
    const plan = planDay(input, { matrix });
    const byId = Object.fromEntries(plan.unassigned.map((u) => [u.stopId, u]));
    expect(byId.SLOT).toMatchObject({ code: 'fixed-slot-outside-opening-hours', reason: expect.stringContaining('fixed slot 09:00') });
    expect(plan.visits).toHaveLength(1);
    expect(Object.values(byId).map((u) => u.code).sort()).toEqual(['day-full', 'fixed-slot-outside-opening-hours']);
  });

  it('names the fixed slots a stop clashes with', () => {
    const input: DayPlanInput = {
      base: here, dayStart: '08:00', dayEnd: '17:00',
      stops: [
        stop('F1', { visitMinutes: 60, fixedSlot: { start: '09:00' } }),
        stop('F2', { visitMinutes: 60, fixedSlot: { start: '09:30' } }),
      ],
    };
    const matrix = matrixOf([[0, 5, 5], [5, 0, 5], [5, 5, 0]]);
    const plan = planDay(input, { matrix });
    expect(plan.visits).toHaveLength(1);
    const [u] = plan.unassigned;
    expect(u!.code).toBe('fixed-slot-conflict');
    expect(u!.reason).toMatch(/^fixed slot 09:[03]0: no time left between the fixed slots \(F[12] 09:[03]0\)$/);
  });

  it('keeps a fixed slot before flexible visits when the day cannot hold all', () => {
    const input: DayPlanInput = {
      base: here, dayStart: '08:00', dayEnd: '10:00',
      stops: [stop('A', { visitMinutes: 60 }), stop('F', { visitMinutes: 60, fixedSlot: { start: '08:30', toleranceMinutes: 5 } }), stop('B', { visitMinutes: 60 })],
    };
    const matrix = matrixOf([[0, 5, 5, 5], [5, 0, 5, 5], [5, 5, 0, 5], [5, 5, 5, 0]]);
    const plan = planDay(input, { matrix });
    expect(plan.visits.map((v) => v.stopId)).toContain('F');
    expect(verifyDayPlan(input, plan, matrix)).toEqual([]);
  });

  it('plans 25 stops from coordinates and is reproducible', () => {
    const stops = Array.from({ length: 25 }, (_, i) => stop(`S${i}`, {
      location: { lat: 48 + ((i * 37) % 25) / 100, lng: 11.3 + ((i * 11) % 25) / 80 },
      visitMinutes: 15,
      openingHours: i % 2 ? [{ start: '08:00', end: '12:00' }, { start: '13:30', end: '18:00' }] : [{ start: '07:30', end: '18:30' }],
    }));
    const input: DayPlanInput = { base: { lat: 48.12, lng: 11.45 }, dayStart: '07:30', dayEnd: '19:00', stops };
    const a = planDay(input);
    const b = planDay(input);
    expect(b).toEqual(a);
    expect(a.visits.length + a.unassigned.length).toBe(25);
    expect(verifyDayPlan(input, a, buildDayProblem(input).matrix)).toEqual([]);
  });
});
