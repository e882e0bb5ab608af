import { z } from 'zod';
import { ownNames } from './names.contract.js';

/**
 * What modules contribute to the account page, the timeline, someone's day and the dealer
 * portal. Labels are i18n keys (the module's own strings), values are data the web app formats
 * in the reader's language; no module sends prose that cannot be translated.
 */

/** How a figure stands: fine, worth watching, or something to act on; `info` has no judgement. */
export const FactStatus = z.enum(['ok', 'watch', 'act', 'info']);
export type FactStatus = z.infer<typeof FactStatus>;

/** Interpolation values for an i18n key. */
export const Params = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
export type Params = z.infer<typeof Params>;

/** A figure, typed so it is formatted where it is shown; `unknown` is not zero and says why. */
export const FactValue = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('money'), amountMinor: z.number().int(), currency: z.string() }),
  z.object({ kind: z.literal('count'), value: z.number() }),
  z.object({ kind: z.literal('percent'), value: z.number().describe('0–100') }),
  z.object({ kind: z.literal('date'), at: z.string().describe('ISO 8601 instant or YYYY-MM-DD') }),
  z.object({ kind: z.literal('tier'), tier: z.enum(['A', 'B', 'C']).nullable(), rank: z.number().int().nullable(), of: z.number().int().nullable() }),
  z.object({ kind: z.literal('text'), key: z.string(), params: Params.optional() }),
  z.object({ kind: z.literal('unknown'), reasonKey: z.string() }),
]);
export type FactValue = z.infer<typeof FactValue>;

/** Where a contribution is acted on: a tab of the account page, or a path of the app. */
export const Link = z.object({ tab: z.string().optional(), to: z.string().optional() });
export type Link = z.infer<typeof Link>;

export const AccountFact = z.object({
  id: z.string().describe('Stable per module, e.g. "portfolio.revenue"'),
  module: z.string(),
  labelKey: z.string(),
  value: FactValue,
  status: FactStatus,
  noteKey: z.string().optional().describe('A line under the figure, e.g. the change on last year'),
  noteParams: Params.optional(),
  link: Link.optional(),
  order: z.number().describe('Lower first; modules leave gaps (10, 20…)'),
});
export type AccountFact = z.infer<typeof AccountFact>;

export const Person = z.object({ id: z.string(), name: z.string() });

export const TimelineEvent = z.object({
  id: z.string().describe('Unique across modules: "<module>:<kind>:<record id>"'),
  at: z.string().describe('When it happened, UTC'),
  kind: z.string().describe('e.g. activity.call, visit.checked-in, advisory.step'),
  module: z.string(),
  accountId: z.string(),
  actor: Person.nullable(),
  titleKey: z.string(),
  params: Params,
  body: z.string().nullable().describe('Free text written by a person (notes), shown as it was written'),
  status: FactStatus.optional(),
  link: Link.optional(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const AgendaAccount = z.object({ id: z.string(), code: z.string(), ...ownNames });

/** A flag on an agenda item, e.g. a typhoon warning over the site of a visit. */
export const AgendaFlag = z.object({ kind: z.string(), labelKey: z.string(), params: Params, status: FactStatus });
export type AgendaFlag = z.infer<typeof AgendaFlag>;

/**
 * Where an item shows on the day. Absent: the list of things to do, by urgency. `team`: how the
 * caller's team is doing (one item per person); `accounts`: key accounts at risk (one item per
 * account and reason; the day puts an account's reasons together); `figures`: the business's
 * numbers (one item per block of figures).
 */
export const AgendaSection = z.enum(['team', 'accounts', 'figures']);
export type AgendaSection = z.infer<typeof AgendaSection>;

/** A figure on an agenda item: a fact about a team or the business rather than one account. */
export const AgendaFigure = AccountFact.omit({ module: true, order: true });
export type AgendaFigure = z.infer<typeof AgendaFigure>;

export const AgendaItem = z.object({
  id: z.string(),
  module: z.string(),
  kind: z.string().describe('e.g. visit, advisory, task, key-date, slot-change, approval'),
  urgency: z.enum(['now', 'today', 'waiting', 'soon']).describe('now: overdue or due now; today; waiting: for someone else; soon: the coming days'),
  at: z.string().nullable().describe('Start time or due time, UTC'),
  order: z.number().optional().describe('Within a kind, e.g. the position on the route'),
  titleKey: z.string(),
  params: Params,
  account: AgendaAccount.nullable(),
  siteId: z.string().nullable().describe('The site it happens at, when it has one (for flags such as warnings)'),
  flags: z.array(AgendaFlag),
  link: Link,
  section: AgendaSection.optional().describe('Absent: the list of things to do'),
  status: FactStatus.optional().describe('How it stands, for items of a section (an account at risk: watch or act)'),
  figures: z.array(AgendaFigure).optional().describe('Figures shown with the item, in this order'),
});
export type AgendaItem = z.infer<typeof AgendaItem>;

export const PortalCard = z.object({
  id: z.string(),
  module: z.string(),
  titleKey: z.string(),
  params: Params,
  status: FactStatus,
  lines: z.array(z.object({
    labelKey: z.string(),
    value: FactValue,
    href: z.string().regex(/^(tel:|mailto:|\/)/).optional().describe('Makes the value a link: tel: or mailto: (call or write from a phone), or a path of the app'),
  })),
  link: Link.optional(),
});
export type PortalCard = z.infer<typeof PortalCard>;

/**
 * One step of the price waterfall from list price to pocket price: what one module knows about
 * what an account really pays for a product over a window. The list step is positive; every
 * deduction (quantity discount, rebate accrued, services delivered at cost, freight, claims paid)
 * negative. Amounts are for the window's whole volume, in integer minor units; the reader divides
 * by the quantity for a per-unit figure. Internal figures: never shown to a dealer.
 */
export const PriceStepKind = z.enum(['list', 'discount', 'rebate', 'service', 'freight', 'claim', 'other']);
export type PriceStepKind = z.infer<typeof PriceStepKind>;
export const PriceStep = z.object({
  id: z.string().describe('Stable per module, e.g. "pricing.list", "rebates.accrued"'),
  module: z.string(),
  kind: PriceStepKind,
  labelKey: z.string(),
  params: Params,
  amountMinor: z.number().int().describe('Over the window\'s volume: the list step positive, deductions negative'),
  currency: z.string(),
  basisKey: z.string().optional().describe('How it was worked out, an i18n key of the module'),
  basisParams: Params.optional(),
  order: z.number().describe('Lower first: list 0, discounts 10, rebates 20, services 30, freight 40, claims 50'),
});
export type PriceStep = z.infer<typeof PriceStep>;

const gathered = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), unavailable: z.array(z.string()).describe('Modules whose part could not be read just now') });

export const AccountFacts = gathered(AccountFact);
export const Agenda = gathered(AgendaItem).extend({
  date: z.string().describe('The day, YYYY-MM-DD, in the caller\'s time zone'),
  sections: z.array(AgendaSection).describe('The sections the caller\'s day has besides the list of things to do, shown (with an empty state) even when no item falls in them'),
});
export const PortalCards = gathered(PortalCard);
export const PriceSteps = gathered(PriceStep);
export const Timeline = gathered(TimelineEvent).extend({
  nextCursor: z.string().nullable(),
  kinds: z.array(z.object({ module: z.string(), kinds: z.array(z.string()) })).describe('Every kind the caller may filter on'),
});
export const TimelineQueryString = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(30),
  cursor: z.string().max(200).optional(),
  kind: z.string().max(500).optional().describe('Comma-separated kinds'),
  userId: z.string().uuid().optional().describe('Only what this person did'),
});
