import { describe, expect, it } from 'vitest';
import { addWeeks, capacityWarnings, freeOf, inWeek, isWeek, overBy, reservationStatus, weekEnd, weekOf, weekRange, weekStart, weeksBetween } from './capacity.domain.js';

describe('ISO weeks', () => {
  it('puts the days around new year in the week that holds their Thursday', () => {
    expect(weekOf('2026-12-28')).toBe('2026-W53'); // Monday
    expect(weekOf('2027-01-01')).toBe('2026-W53'); // Friday
    expect(weekOf('2027-01-03')).toBe('2026-W53'); // Sunday
    expect(weekOf('2027-01-04')).toBe('2027-W01'); // Monday
    expect(weekOf('2024-12-30')).toBe('2025-W01'); // Monday of a week mostly in 2025
    expect(weekOf('2021-01-03')).toBe('2020-W53');
    expect(weekOf('2026-11-26')).toBe('2026-W48');
  });

  it('finds the Monday a week starts on, and knows the years with a 53rd week', () => {
    expect(weekStart('2027-W01')).toBe('2027-01-04');
    expect(weekStart('2026-W53')).toBe('2026-12-28');
    expect(weekStart('2025-W01')).toBe('2024-12-30');
    expect(weekStart('2026-W48')).toBe('2026-11-23');
    expect(weekStart('2027-W53')).toBeNull();
    expect(weekStart('2027-W00')).toBeNull();
    expect(weekStart('2027-14')).toBeNull();
    expect(isWeek('2020-W53')).toBe(true);
    expect(isWeek('2027-W53')).toBe(false);
    expect(weekEnd('2026-W53')).toBe('2027-01-03');
  });

  it('goes from a week key to its Monday and back for every week of a decade', () => {
    let week = '2020-W01';
    for (let i = 0; i < 520; i++) {
      const monday = weekStart(week)!;
      expect(weekOf(monday)).toBe(week);
      expect(new Date(`${monday}T00:00:00Z`).getUTCDay()).toBe(1);
      const next = addWeeks(week, 1);
      expect(weekStart(next)).toBe(new Date(Date.parse(`${monday}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10));
      week = next;
    }
    expect(week).toBe('2029-W51');
  });

  it('counts and lists weeks across a year end', () => {
    expect(addWeeks('2026-W52', 2)).toBe('2027-W01');
    expect(addWeeks('2027-W01', -1)).toBe('2026-W53');
    expect(weeksBetween('2026-W50', '2027-W02')).toBe(5);
    expect(weekRange('2026-W52', '2027-W02')).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
    expect(weekRange('2027-W02', '2026-W52')).toEqual([]);
    expect(inWeek('2027-01-03', '2026-W53')).toBe(true);
    expect(inWeek('2027-01-04', '2026-W53')).toBe(false);
  });
});

describe('how a reservation stands', () => {
  // Thursday 26 November 2026; week 49 starts on Monday 30 November, week 50 on 7 December.
  const today = '2026-11-26';

  it('is past once its week has ended, whatever was ordered', () => {
    expect(reservationStatus({ week: '2026-W47', truckloads: 10, ordered: 0 }, today)).toBe('past');
    expect(reservationStatus({ week: '2026-W47', truckloads: 10, ordered: 14 }, today)).toBe('past');
    // The current week is still running.
    expect(reservationStatus({ week: '2026-W48', truckloads: 10, ordered: 6 }, today)).toBe('open');
  });

  it('is over when more is ordered than reserved, and full when exactly all of it is', () => {
    expect(reservationStatus({ week: '2027-W10', truckloads: 10, ordered: 11 }, today)).toBe('over');
    expect(reservationStatus({ week: '2027-W10', truckloads: 10, ordered: 10 }, today)).toBe('full');
    expect(reservationStatus({ week: '2026-W49', truckloads: 10, ordered: 10 }, today)).toBe('full');
  });

  it('is going unused when its week starts within seven days and less than half is ordered', () => {
    expect(reservationStatus({ week: '2026-W49', truckloads: 10, ordered: 4 }, today)).toBe('unused'); // starts in 4 days
    expect(reservationStatus({ week: '2026-W49', truckloads: 10, ordered: 5 }, today)).toBe('open'); // half is ordered
    expect(reservationStatus({ week: '2026-W48', truckloads: 10, ordered: 2 }, today)).toBe('unused'); // started on Monday
    expect(reservationStatus({ week: '2026-W50', truckloads: 10, ordered: 0 }, today)).toBe('open'); // starts in 11 days
    expect(reservationStatus({ week: '2026-W50', truckloads: 10, ordered: 0 }, '2026-11-30')).toBe('unused'); // in exactly 7
    expect(reservationStatus({ week: '2026-W50', truckloads: 10, ordered: 0 }, '2026-11-29')).toBe('open'); // in 8
  });

  it('has no free truckloads when over-subscribed, and says by how much an order would over-subscribe', () => {
    expect(freeOf({ truckloads: 10, ordered: 7 })).toBe(3);
    expect(freeOf({ truckloads: 10, ordered: 12 })).toBe(0);
    expect(overBy({ truckloads: 10, ordered: 7 }, 3)).toBe(0);
    expect(overBy({ truckloads: 10, ordered: 7 }, 5)).toBe(2);
    expect(overBy({ truckloads: 10, ordered: 12 }, 1)).toBe(3);
  });

  it('warns of over-subscribed weeks first, then of reservations going unused, each in week order', () => {
    const r = (id: string, week: string, truckloads: number, ordered: number) =>
      ({ id, week, truckloads, ordered, depotNameEn: 'Taizhou plant', status: reservationStatus({ week, truckloads, ordered }, today) });
    const warnings = capacityWarnings([r('a', '2026-W49', 8, 1), r('b', '2027-W02', 10, 12), r('c', '2026-W50', 10, 15), r('d', '2026-W51', 10, 5), r('e', '2026-W47', 10, 20)]);
    expect(warnings.map((w) => [w.reservationId, w.kind])).toEqual([['c', 'over'], ['b', 'over'], ['a', 'unused']]);
    expect(warnings[0]!.message).toBe('Taizhou plant, 2026-W50: 15 truckloads ordered against 10 reserved (5 over)');
    expect(warnings[2]!.message).toBe('Taizhou plant, 2026-W49 (from 2026-11-30): only 1 of 8 reserved truckloads ordered');
  });
});
