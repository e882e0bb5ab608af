/**
 * The stakeholder map of an account: each person's role in buying, influence and stance, who they
 * report to, ties between people, our relationship owner and its strength, and freshness (days
 * since our last contact). Gap rules flag what a key account manager should fix. Pure.
 */

/** Roles in the buying centre (Webster and Wind): who decides, sways, buys, uses, guards the door, pays. */
export const BUYING_ROLES = ['decision_maker', 'influencer', 'buyer', 'user', 'gatekeeper', 'finance'] as const;
export type BuyingRole = (typeof BUYING_ROLES)[number];

export const STANCES = ['champion', 'supporter', 'neutral', 'sceptic', 'opponent'] as const;
export type Stance = (typeof STANCES)[number];

export const TIE_KINDS = ['family', 'former_colleague', 'friend', 'business_partner'] as const;
export type TieKind = (typeof TIE_KINDS)[number];

/** What the contacts module calls a contact's decision role. */
export type ContactDecisionRole = 'decision_maker' | 'influencer' | 'buyer' | 'user' | 'gatekeeper' | 'champion';

/**
 * A contact's place on the map before anyone has set it: the contacts module's decision role,
 * which mixes role and stance ('champion'), split into the two (a champion is an influencer).
 */
export function profileFromContact(role: ContactDecisionRole): { buyingRole: BuyingRole; stance: Stance } {
  return role === 'champion' ? { buyingRole: 'influencer', stance: 'champion' } : { buyingRole: role, stance: 'neutral' };
}

export type Person = {
  contactId: string;
  buyingRole: BuyingRole;
  stance: Stance;
  /** The contact's last contact with us (an ISO date), null if never. */
  lastContactOn: string | null;
};

export type GapCode = 'no_decision_maker' | 'decision_maker_not_contacted' | 'no_champion' | 'single_point_of_contact';
export type Gap = { code: GapCode; contactId: string | null; days: number | null };

/** The limits of the gap rules. */
export type GapRules = { decisionMakerDays: number; recentDays: number };
/** No contact with a decision maker for 60 days; "recent" contact for the single-point rule is within 90 days. */
export const DEFAULT_GAP_RULES: GapRules = { decisionMakerDays: 60, recentDays: 90 };

/** Whole days from `from` to `to` (ISO dates). */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000);

/** Days since our last contact with a person on `today`, null if never contacted. */
export const freshnessDays = (p: Pick<Person, 'lastContactOn'>, today: string): number | null => (p.lastContactOn ? Math.max(0, daysBetween(p.lastContactOn, today)) : null);

/**
 * The gaps of an account's map on `today`:
 * - no_decision_maker: nobody on the map decides;
 * - decision_maker_not_contacted: a decision maker we have not been in contact with for
 *   `decisionMakerDays` days or more (or ever), one gap per such person;
 * - no_champion: nobody on the map is a champion;
 * - single_point_of_contact: all of our contact in the last `recentDays` days went through one
 *   person, or the map has one person only. An account with nobody on the map has only the
 *   first two gaps: there is no one to be a single point.
 */
export function stakeholderGaps(people: readonly Person[], today: string, rules: GapRules = DEFAULT_GAP_RULES): Gap[] {
  const gaps: Gap[] = [];
  const deciders = people.filter((p) => p.buyingRole === 'decision_maker');
  if (deciders.length === 0) gaps.push({ code: 'no_decision_maker', contactId: null, days: null });
  for (const d of deciders) {
    const days = freshnessDays(d, today);
    if (days === null || days >= rules.decisionMakerDays) gaps.push({ code: 'decision_maker_not_contacted', contactId: d.contactId, days });
  }
  if (!people.some((p) => p.stance === 'champion')) gaps.push({ code: 'no_champion', contactId: null, days: null });
  const recent = people.filter((p) => { const d = freshnessDays(p, today); return d !== null && d < rules.recentDays; });
  if (people.length === 1 || (people.length > 1 && recent.length === 1)) {
    const only = recent[0] ?? people[0]!;
    gaps.push({ code: 'single_point_of_contact', contactId: only.contactId, days: freshnessDays(only, today) });
  }
  return gaps;
}

/**
 * Whether setting `contactId` to report to `reportsTo` would make the org chart a loop
 * (A → B → … → A). `edges` maps each person to whom they report.
 */
export function wouldLoop(edges: ReadonlyMap<string, string | null>, contactId: string, reportsTo: string | null): boolean {
  const seen = new Set<string>([contactId]);
  let at = reportsTo;
  while (at) {
    if (seen.has(at)) return true;
    seen.add(at);
    at = edges.get(at) ?? null;
  }
  return false;
}
