import { describe, expect, it } from 'vitest';
import { planWeek, type WeekAccount, type WeekPlanInput } from './routing.week-planner.domain.js';

const base = { lat: 48.137, lng: 11.575 };
const at = (dLat: number, dLng: number) => ({ lat: base.lat + dLat, lng: base.lng + dLng });

function accounts(): WeekAccount[] {
  const fixed: WeekAccount[] = [
    { id: 'F-mon', location: at(0.05, 0.02), visitMinutes: 60, fixedVisit: { weekday: 'mon', start: '09:00' } },
    { id: 'F-tue', location: at(-0.04, 0.06), visitMinutes: 60, fixedVisit: { weekday: 'tue', start: '10:00', toleranceMinutes: 15 } },
    { id: 'F-wed', location: at(0.02, -0.07), visitMinutes: 90, fixedVisit: { weekday: 'wed', start: '14:00' } },
  ];
  const fresh: WeekAccount[] = Array.from({ length: 12 }, (_, i) => ({
    id: `N${i + 1}`,
    location: at(((i * 7) % 11) / 100 - 0.05, ((i * 5) % 13) / 80 - 0.08),
    visitMinutes: 45 + (i % 3) * 15,
    openingHours: i % 4 === 0 ? { mon: [{ start: '08:00', end: '12:00' }], thu: [{ start: '13:00', end: '17:00' }] } : [{ start: '08:00', end: '12:00' }, { start: '13:30', end: '17:30' }],
  }));
  return [...fixed, ...fresh];
}

const input = (extra: Partial<WeekPlanInput> = {}): WeekPlanInput => ({ base, dayStart: '08:00', dayEnd: '18:00', accounts: accounts(), ...extra });

describe('planWeek', () => {
  it('places every new account on a day and keeps existing fixed slots', () => {
    const week = planWeek(input());
    expect(week.unassigned).toEqual([]);
    expect(week.assignments).toHaveLength(15);
    const byId = Object.fromEntries(week.assignments.map((a) => [a.accountId, a]));
    expect(byId['F-mon']).toMatchObject({ weekday: 'mon', start: '09:00', status: 'kept' });
    expect(byId['F-tue']).toMatchObject({ weekday: 'tue', status: 'kept' });
    expect(Math.abs(byId['F-tue']!.startMinutes - 600)).toBeLessThanOrEqual(15);
    expect(byId['F-wed']).toMatchObject({ weekday: 'wed', start: '14:00', status: 'kept' });
    // Accounts open only Monday morning and Thursday afternoon land on one of those.
    for (const id of ['N1', 'N5', 'N9']) expect(['mon', 'thu']).toContain(byId[id]!.weekday);
    for (const a of week.assignments.filter((x) => x.accountId.startsWith('N'))) expect(a.status).toBe('placed');
  });

  it('spreads the workload over the days', () => {
    const week = planWeek(input());
    expect(week.days.map((d) => d.weekday)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(week.days.every((d) => d.plan.visits.length >= 1)).toBe(true);
    expect(week.workload.max - week.workload.min).toBeLessThan(week.workload.mean);
  });

  it('moves a fixed visit only when allowed', () => {
    // Five fixed accounts crammed onto Monday, far apart; moving is allowed.
    const crowded: WeekAccount[] = Array.from({ length: 5 }, (_, i) => ({
      id: `M${i}`, location: at(0.1 * Math.cos(i), 0.15 * Math.sin(i)), visitMinutes: 100,
      fixedVisit: { weekday: 'mon', start: `${String(8 + i * 2).padStart(2, '0')}:00`, toleranceMinutes: 30 },
    }));
    const kept = planWeek({ base, dayStart: '08:00', dayEnd: '18:00', accounts: crowded });
    expect(kept.assignments.every((a) => a.weekday === 'mon')).toBe(true);
    const moved = planWeek({ base, dayStart: '08:00', dayEnd: '18:00', accounts: crowded, allowMovingFixed: true }, { moveCostMinutes: 10, balanceWeight: 2 });
    expect(moved.assignments.some((a) => a.status === 'moved' && a.weekday !== 'mon')).toBe(true);
    expect(moved.unassigned).toEqual([]);
  });

  it('says why an account fits on no planning day', () => {
    const week = planWeek(input({
      accounts: [{ id: 'SAT', location: at(0, 0.01), visitMinutes: 30, openingHours: { sat: [{ start: '09:00', end: '12:00' }] } }],
    }));
    expect(week.unassigned).toEqual([{ accountId: 'SAT', reason: expect.stringContaining('no planning day possible') }]);
  });

  it('is reproducible', () => {
    expect(planWeek(input())).toEqual(planWeek(input()));
  });
});
