import { describe, expect, it } from 'vitest';
import { freshnessDays, type Person, profileFromContact, stakeholderGaps, wouldLoop } from './stakeholders.domain.js';

const p = (contactId: string, over: Partial<Person> = {}): Person => ({ contactId, buyingRole: 'user', stance: 'neutral', lastContactOn: null, ...over });
const TODAY = '2026-09-01';

describe('stakeholder map', () => {
  it('splits the contacts module\'s champion into an influencer who champions us', () => {
    expect(profileFromContact('champion')).toEqual({ buyingRole: 'influencer', stance: 'champion' });
    expect(profileFromContact('decision_maker')).toEqual({ buyingRole: 'decision_maker', stance: 'neutral' });
  });

  it('flags a decision maker not contacted for 60 days or more, and one never contacted', () => {
    const zhou = p('zhou', { buyingRole: 'decision_maker', stance: 'champion', lastContactOn: '2026-07-04' }); // 59 days
    const li = p('li', { lastContactOn: '2026-08-30' });
    expect(freshnessDays(zhou, TODAY)).toBe(59);
    expect(stakeholderGaps([zhou, li], TODAY)).toEqual([]);
    expect(stakeholderGaps([{ ...zhou, lastContactOn: '2026-07-03' }, li], TODAY)).toEqual([{ code: 'decision_maker_not_contacted', contactId: 'zhou', days: 60 }]);
    expect(stakeholderGaps([{ ...zhou, lastContactOn: null }, li], TODAY)).toEqual([
      { code: 'decision_maker_not_contacted', contactId: 'zhou', days: null },
      { code: 'single_point_of_contact', contactId: 'li', days: 2 },
    ]);
  });

  it('flags no champion, no decision maker and a single point of contact', () => {
    const li = p('li', { lastContactOn: '2026-08-30' });
    const wang = p('wang', { lastContactOn: '2026-03-01' });
    expect(stakeholderGaps([li, wang], TODAY).map((g) => [g.code, g.contactId])).toEqual([
      ['no_decision_maker', null], ['no_champion', null], ['single_point_of_contact', 'li'],
    ]);
    // two people contacted in the last 90 days: no single point
    expect(stakeholderGaps([li, { ...wang, lastContactOn: '2026-06-10', stance: 'champion' }, p('zhou', { buyingRole: 'decision_maker', lastContactOn: '2026-08-01' })], TODAY)).toEqual([]);
    // the 90th day no longer counts as recent
    expect(stakeholderGaps([li, { ...wang, lastContactOn: '2026-06-03', stance: 'champion' }, p('zhou', { buyingRole: 'decision_maker', lastContactOn: '2026-08-30' })], TODAY).map((g) => g.code)).toEqual([]);
    expect(stakeholderGaps([li, { ...wang, lastContactOn: '2026-06-03', stance: 'champion' }, p('zhou', { buyingRole: 'decision_maker', lastContactOn: '2026-06-03' })], TODAY).map((g) => g.code)).toEqual(['decision_maker_not_contacted', 'single_point_of_contact']);
    // one person on the map is a single point even if never contacted; nobody on the map is not
    expect(stakeholderGaps([p('solo', { buyingRole: 'decision_maker', stance: 'champion', lastContactOn: '2026-08-31' })], TODAY).map((g) => g.code)).toEqual(['single_point_of_contact']);
    expect(stakeholderGaps([], TODAY).map((g) => g.code)).toEqual(['no_decision_maker', 'no_champion']);
  });

  it('refuses a reporting line that would loop', () => {
    const edges = new Map<string, string | null>([['a', 'b'], ['b', 'c'], ['c', null]]);
    expect(wouldLoop(edges, 'c', 'a')).toBe(true);
    expect(wouldLoop(edges, 'c', 'c')).toBe(true);
    expect(wouldLoop(edges, 'a', 'c')).toBe(false);
    expect(wouldLoop(edges, 'c', null)).toBe(false);
  });
});
