import { describe, expect, it } from 'vitest';
import { byInfluence, bySoonest, isStale } from './relationships-view.js';

const rules = { decisionMakerDays: 60, recentDays: 90 };

describe('the Relationships tab', () => {
  it('flags someone never contacted or not for the recent window as stale, not someone seen within it', () => {
    expect(isStale({ freshnessDays: null }, rules)).toBe(true);
    expect(isStale({ freshnessDays: 90 }, rules)).toBe(true);
    expect(isStale({ freshnessDays: 89 }, rules)).toBe(false);
    expect(isStale({ freshnessDays: 0 }, rules)).toBe(false);
  });

  it('lists the most influential first, then by name', () => {
    const people = [{ name: 'b', influence: 3 }, { name: 'c', influence: 5 }, { name: 'a', influence: 3 }];
    expect(byInfluence(people).map((p) => p.name)).toEqual(['c', 'a', 'b']);
  });

  it('lists key dates soonest first and those without a next occurrence last', () => {
    const occ = (date: string) => ({ date, ordinal: null, adjustments: [] });
    const dates = [{ id: 1, next: null }, { id: 2, next: occ('2027-02-01') }, { id: 3, next: occ('2026-12-12') }];
    expect(bySoonest(dates).map((d) => d.id)).toEqual([3, 2, 1]);
  });
});
