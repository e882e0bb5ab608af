/** Pure helpers of the Relationships tab: what it flags and in which order it lists. */
import type { KeyDateItem, StakeholderMap, StakeholderPerson } from './relationships-api.js';

/** Someone we have not been in touch with for the "recent" window of the gap rules (90 days), or ever. */
export const isStale = (p: Pick<StakeholderPerson, 'freshnessDays'>, rules: StakeholderMap['rules']): boolean =>
  p.freshnessDays === null || p.freshnessDays >= rules.recentDays;

/** The map's people, most influential first, then by name. */
export const byInfluence = <P extends Pick<StakeholderPerson, 'influence' | 'name'>>(people: readonly P[]): P[] =>
  [...people].sort((a, b) => b.influence - a.influence || a.name.localeCompare(b.name));

/** Key dates soonest first; those without a next occurrence last. */
export const bySoonest = <D extends Pick<KeyDateItem, 'next'>>(dates: readonly D[]): D[] =>
  [...dates].sort((a, b) => (a.next?.date ?? '9999-99-99').localeCompare(b.next?.date ?? '9999-99-99'));
