/** Zod schemas of advisories (open → contacted → actioned → closed), notifications and the value-protected ledger. */
import { z } from 'zod';
import { accountNames } from '../../platform/names.contract.js';
import { pageQuery } from '../../server/http.js';
import { Money, SiteRisk } from './hazards.contract.js';

const minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const AdvisoryStatus = z.enum(['open', 'contacted', 'actioned', 'closed']);
export const HazardState = z.enum(['active', 'updated', 'cancelled', 'expired', 'area-changed']);

export const Proposal = z.object({
  kind: z.enum(['same-account', 'company-site', 'none']),
  siteId: z.string().nullable(),
  siteName: z.string().nullable(),
  accountId: z.string().nullable(),
  distanceM: z.number().nullable(),
  text: z.string().describe('The proposed action, in English'),
  textZh: z.string().describe('The proposed action, in Chinese'),
});
export type Proposal = z.infer<typeof Proposal>;

export const Advisory = z.object({
  id: z.string(),
  status: AdvisoryStatus,
  hazardState: HazardState,
  hazardEndedAt: z.string().nullable(),
  alertId: z.string(),
  threadKey: z.string(),
  headline: z.string().nullable().describe("The warning's headline in the caller's language when the warning has it (CAP info blocks by language)"),
  siteId: z.string(),
  siteName: z.string(),
  accountId: z.string(),
  ...accountNames,
  managerId: z.string().nullable(),
  managerName: z.string().nullable(),
  inside: z.boolean(),
  distanceM: z.number(),
  valueAtRisk: Money.nullable(),
  proposal: Proposal,
  contact: z.object({ at: z.string(), channel: z.string(), notes: z.string().nullable() }).nullable(),
  decision: z.object({ decision: z.string(), actionTaken: z.string(), at: z.string() }).nullable(),
  outcome: z.object({ valueSaved: Money, losses: Money, movingCost: Money, notes: z.string().nullable() }).nullable(),
  closedAt: z.string().nullable(),
  closedReason: z.enum(['outcome', 'hazard-ended']).nullable(),
  delivery: z.object({ email: z.string().nullable(), webhook: z.string().nullable() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Advisory = z.infer<typeof Advisory>;

export const AdvisoryQuery = z.strictObject({
  ...pageQuery,
  status: AdvisoryStatus.optional(),
  accountId: z.string().uuid().optional(),
  mine: z.enum(['true', 'false']).optional().describe('Only advisories addressed to you'),
  lang: z.string().max(20).optional().describe("Language of the warnings' headlines (default: the caller's locale)"),
});

export const ContactChannel = z.enum(['phone', 'wechat', 'visit', 'email', 'sms', 'other']);
export const ContactBody = z.strictObject({
  at: z.string().datetime().optional().describe('When the dealer was contacted (default now)'),
  channel: ContactChannel,
  notes: z.string().trim().max(2000).nullable().default(null),
});
export const DealerDecision = z.enum(['move_stock', 'partial_move', 'protect_in_place', 'declined', 'other']);
export const DecisionBody = z.strictObject({
  decision: DealerDecision,
  actionTaken: z.string().trim().min(1).max(2000).describe('What was done'),
  at: z.string().datetime().optional(),
});
export const OutcomeBody = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/).optional().describe("Default: the advisory's value currency, else CNY"),
  valueSavedMinor: minor,
  lossesMinor: minor,
  movingCostMinor: minor,
  notes: z.string().trim().max(2000).nullable().default(null),
});

export const LedgerTotal = z.object({
  currency: z.string(),
  valueSavedMinor: z.number().int(),
  lossesMinor: z.number().int(),
  movingCostMinor: z.number().int(),
  netProtectedMinor: z.number().int().describe('value saved − moving cost'),
  advisories: z.number().int(),
});
export const AccountRisk = z.object({
  accountId: z.string(),
  sites: z.array(SiteRisk),
  valueAtRisk: z.array(Money.extend({ siteCount: z.number().int() })).describe('Stock value of the sites under a warning now, per currency: only sites whose stock value is recorded'),
  sitesAtRisk: z.number().int().describe('Sites under (or near) a warning now'),
  sitesWithoutValue: z.number().int().describe('Sites among them whose stock value is not recorded: their value at risk is unknown, not zero'),
  openAdvisories: z.number().int(),
  ledger: z.array(Advisory).describe('Closed advisories with an outcome, newest first'),
  advisories: z.array(Advisory).describe('Advisories not yet closed'),
  totals: z.array(LedgerTotal),
});

/** The parts of a notification, for the UI to word it in the user's language (title and body are English). */
export const NotificationMessage = z.object({
  kind: z.string().describe('advisory_opened | advisory_updated | advisory_hazard_ended (others may be added: show a generic text)'),
  advisoryId: z.string(),
  headline: z.string().nullable().describe("The headline of the current warning of the advisory's chain, in the caller's language when the warning has it"),
  siteName: z.string(),
  ...accountNames,
  hazardState: HazardState.describe('Where the hazard stands now: for advisory_hazard_ended, why it ended'),
  inside: z.boolean().describe('Inside the warning area (else within the buffer)'),
  distanceM: z.number(),
});

export const Notification = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string().describe('In English; prefer `message` to word it in the user\'s language'),
  body: z.string(),
  message: NotificationMessage.nullable().describe('Structured form; null when the notification is not about an advisory'),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export const NotificationQuery = z.strictObject({ ...pageQuery, unread: z.enum(['true', 'false']).optional() });
export const NotificationList = z.object({ items: z.array(Notification), nextCursor: z.string().nullable(), unread: z.number().int() });
