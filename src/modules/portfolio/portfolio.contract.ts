import { z } from 'zod';
import { ownNames } from '../../platform/names.contract.js';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
export const Tier = z.enum(['A', 'B', 'C']);

export const SegmentQuery = z.strictObject({
  basis: z.enum(['revenue', 'margin']).default('revenue').describe('Rank by revenue, or by gross margin (revenue of lines with a cost minus their cost)'),
  to: month.optional().describe('Last month of the window (default: the current month)'),
  from: month.optional().describe('First month (default: 11 months before `to`: a rolling 12 months)'),
  thresholdA: z.coerce.number().gt(0).lt(1).default(0.8).describe('Cumulative share up to which accounts are A'),
  thresholdB: z.coerce.number().gt(0).max(1).default(0.95).describe('Cumulative share up to which accounts are B'),
  category: z.string().max(100).optional().describe('Only this product category'),
  currency: z.string().regex(/^[A-Z]{3}$/).default('CNY').describe('Lines in other currencies are left out'),
});
export type SegmentQuery = z.infer<typeof SegmentQuery>;

export const Window = z.object({ from: z.string(), to: z.string(), basis: z.enum(['revenue', 'margin']), currency: z.string(), category: z.string().nullable(), thresholdA: z.number(), thresholdB: z.number() });

/** The ABC table's query: the analysis and a page of the table (keyset on the rank). */
export const SegmentPageQuery = SegmentQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Rows of the table per page'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});
export type SegmentPageQuery = z.infer<typeof SegmentPageQuery>;

export const SegmentRow = z.object({
  accountId: z.string(), code: z.string(), ...ownNames, ownerId: z.string().nullable(), ownerName: z.string().nullable(),
  valueMinor: z.number(), rank: z.number().describe('Company-wide rank'), share: z.number().describe('Share of the company total of positive values'),
  cumulativeShare: z.number().nullable().describe('Company-wide; null for zero or negative values'),
  scopeShare: z.number().describe('Share of the total of positive values of the accounts you can see (`scope`)'),
  scopeCumulativeShare: z.number().nullable().describe('Cumulative share within the accounts you can see; null for zero or negative values'),
  tier: Tier.describe('Company-wide tier'), currentTier: Tier.nullable().describe('accounts.tier as stored'),
  keyAccount: z.boolean().describe('Computed A, or designated by hand'), designationReason: z.string().nullable(),
});
export type SegmentRow = z.infer<typeof SegmentRow>;

export const ParetoPoint = z.object({
  accounts: z.number().describe('Accounts of the scope up to and including this point, ranked by value'),
  accountShare: z.number().describe('The same as a share of the scope\'s accounts with a positive value'),
  valueMinor: z.number().describe('Value of the accounts of this point'),
  cumulativeShare: z.number().describe('Cumulative share of the scope\'s total after this point'),
  tier: Tier,
  account: z.object({ accountId: z.string(), code: z.string(), ...ownNames, rank: z.number() }).nullable().describe('The account, when each account is its own point'),
});

export const Segmentation = z.object({
  window: Window,
  scope: z.object({
    kind: z.enum(['all', 'team', 'own', 'department']).describe('all: every account (admin, executive, logistics); team: the accounts of the teams you direct; own: the accounts you own or are on the team of; department: the accounts your department\'s queue concerns'),
    accounts: z.number().describe('Accounts in the scope'),
    companyAccounts: z.number().describe('Accounts of the company (tiers and ranks are computed over these)'),
  }),
  totals: z.object({
    accounts: z.number().describe('Accounts in the scope'), positiveValueMinor: z.number().describe('Total of the positive values in the scope'),
    tiers: z.record(z.string(), z.object({ accounts: z.number(), valueMinor: z.number(), share: z.number().describe('Of the scope\'s total') })),
  }).describe('Of the scope: the same accounts as the table'),
  curve: z.object({ perAccount: z.boolean(), accounts: z.number(), points: z.array(ParetoPoint) }).describe('The scope\'s Pareto curve: one point per account, or runs of accounts when there are many'),
  items: z.array(SegmentRow).describe('A page of the accounts you can see, by company-wide rank'),
  total: z.number().describe('Rows of the table over all pages'),
  nextCursor: z.string().nullable(),
});

export const MovesQuery = SegmentQuery.omit({ from: true, to: true }).extend({
  from: month.optional().describe('First month of the later period (default: rolling 12 months to the current month)'),
  to: month.optional(),
  previousFrom: month.optional().describe('First month of the earlier period (default: the 12 months before `from`)'),
  previousTo: month.optional(),
});
export type MovesQuery = z.infer<typeof MovesQuery>;

export const Move = z.object({
  accountId: z.string(), code: z.string(), ...ownNames, tierBefore: Tier, tierAfter: Tier, steps: z.number().describe('+2 = C to A, −1 = A to B'),
  direction: z.enum(['rose', 'fell', 'same']), rankBefore: z.number().nullable(), rankAfter: z.number().nullable(),
  valueBeforeMinor: z.number(), valueAfterMinor: z.number(), valueChangeMinor: z.number(),
});
export const Moves = z.object({ before: Window, after: Window, rose: z.array(Move), fell: z.array(Move), same: z.array(Move) });

export const DesignationBody = z.strictObject({ keyAccount: z.boolean(), reason: z.string().trim().min(3).max(500) });
export const Designation = z.object({ accountId: z.string(), keyAccount: z.boolean(), reason: z.string().nullable(), designatedBy: z.string().nullable(), designatedAt: z.string().nullable() });

export const ApplyTiersBody = SegmentQuery.extend({ dryRun: z.boolean().default(false) });
export type ApplyTiersBody = z.infer<typeof ApplyTiersBody>;
export const ApplyTiersResult = z.object({
  window: Window, changed: z.array(z.object({ accountId: z.string(), code: z.string(), from: Tier.nullable(), to: Tier })), unchanged: z.number(), dryRun: z.boolean(),
});

export const AttentionQuery = SegmentQuery.extend({
  low: z.coerce.number().gt(0).default(0.5).describe('Below this attention ÷ revenue ratio an account gets too little time'),
  high: z.coerce.number().gt(0).default(2).describe('Above it, too much'),
  userId: z.string().uuid().optional().describe('Only this person\'s activities'),
});
export type AttentionQuery = z.infer<typeof AttentionQuery>;

const TierTime = z.object({ tier: Tier, minutes: z.number(), timeShare: z.number(), revenueShare: z.number(), ratio: z.number().nullable() });
export const Attention = z.object({
  window: Window,
  tierRevenueShare: z.record(z.string(), z.number()).describe('Company-wide share of revenue of each tier'),
  byManager: z.array(z.object({ userId: z.string(), name: z.string(), minutes: z.number(), tiers: z.array(TierTime) })),
  byTeam: z.array(z.object({ teamId: z.string().nullable(), name: z.string().nullable(), minutes: z.number(), tiers: z.array(TierTime) })),
  accounts: z.array(z.object({
    accountId: z.string(), code: z.string(), ...ownNames, tier: Tier, minutes: z.number(), valueMinor: z.number(), attentionShare: z.number(),
    revenueShare: z.number(), ratio: z.number().nullable(), verdict: z.enum(['too little', 'too much', 'in balance']),
  })),
});
