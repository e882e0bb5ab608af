/**
 * Zod schemas of the rebates API, shared with the web app. Amounts are integer minor units of
 * the agreement's currency (quantities in units for per-unit terms); rates are percentages with
 * decimals (per-unit: minor units per unit). Dates are YYYY-MM-DD; periods and cut-offs are
 * half-open [start, end) on invoice dates.
 */
import { z } from 'zod';
import { REBATE_METHODS, tierIssues } from './rebates.domain.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real date');
const Minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const RebateTier = z.object({ from: z.number().int().min(0), ratePercent: z.number().min(0).max(1_000_000) });

export const AgreementTerms = z.object({
  method: z.enum(REBATE_METHODS),
  basisKind: z.enum(['value', 'quantity']).describe('net invoiced value, or quantity (per-unit terms)'),
  tiers: z.array(RebateTier).min(1).max(50),
  minimumBasis: Minor.nullable().default(null),
  capMinor: Minor.nullable().default(null),
  categories: z.array(z.string().min(1).max(100)).max(200).nullable().default(null).describe('null: every category'),
  skus: z.array(z.string().min(1).max(100)).max(2000).nullable().default(null).describe('null: every product (or the categories)'),
  returnsCounted: z.boolean().default(true).describe('credit notes and returns lower the basis'),
  accrualPolicy: z.enum(['reached', 'forecast']).default('reached').describe('accrue at the tier reached, or at the tier forecast for the period end'),
  reference: z.object({ from: Day, to: Day }).nullable().default(null).describe('growth: the reference period [from, to)'),
}).superRefine((t, ctx) => {
  for (const i of tierIssues(t.tiers, t.method)) ctx.addIssue({ code: 'custom', path: i.path.replace(/^tiers/, 'tiers').split(/[.[\]]+/).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: i.message });
  if (t.method === 'per-unit' && t.basisKind !== 'quantity') ctx.addIssue({ code: 'custom', path: ['basisKind'], message: 'per-unit terms are measured on quantity' });
  if (t.method !== 'per-unit' && t.basisKind !== 'value') ctx.addIssue({ code: 'custom', path: ['basisKind'], message: 'percentage terms are measured on net invoiced value' });
  if (t.method === 'growth' && !t.reference) ctx.addIssue({ code: 'custom', path: ['reference'], message: 'growth terms need a reference period' });
  if (t.reference && t.reference.from >= t.reference.to) ctx.addIssue({ code: 'custom', path: ['reference'], message: 'the reference period ends before it starts' });
});
export type AgreementTerms = z.infer<typeof AgreementTerms>;

export const AgreementStatus = z.enum(['draft', 'pending_approval', 'active']);

export const CreateAgreementBody = z.object({
  name: z.string().trim().min(1).max(200),
  accountIds: z.array(z.string().uuid()).min(1).max(500),
  currency: z.string().regex(/^[A-Z]{3}$/),
  periodStart: Day,
  periodEnd: Day.describe('exclusive'),
  settlementDates: z.array(Day).max(24).default([]).describe('cut-offs of the partial settlements (exclusive); the final is at the period end'),
  expectedBasis: z.number().int().min(0).nullable().default(null).describe('the basis expected for the period, for the approval value; default: the last period\'s'),
  internalNote: z.string().max(4000).nullable().default(null),
  terms: AgreementTerms,
}).superRefine((b, ctx) => {
  if (b.periodStart >= b.periodEnd) ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'the period ends before it starts' });
  b.settlementDates.forEach((d, i) => {
    if (d <= b.periodStart || d > b.periodEnd) ctx.addIssue({ code: 'custom', path: ['settlementDates', i], message: 'a settlement cut-off must fall inside the period' });
  });
});

export const NewVersionBody = z.object({
  effectiveFrom: Day,
  terms: AgreementTerms,
  note: z.string().max(2000).nullable().default(null),
  version: z.number().int(),
});
export const VersionBody = z.object({ version: z.number().int() });

export const AgreementVersion = z.object({
  id: z.string(), seq: z.number().int(), effectiveFrom: z.string(), terms: AgreementTerms, valueMinor: z.number().int(),
  status: z.enum(['active', 'pending']), note: z.string().nullable(), createdBy: z.string().nullable(), createdAt: z.string(),
});

export const AgreementAccount = z.object({ id: z.string(), code: z.string(), name: z.string() });

export const Agreement = z.object({
  id: z.string(), number: z.string(), name: z.string(), currency: z.string(), periodStart: z.string(), periodEnd: z.string(),
  status: AgreementStatus, settlementDates: z.array(z.string()), expectedBasis: z.number().int(), valueMinor: z.number().int(),
  needsApproval: z.boolean(), internalNote: z.string().nullable(), accounts: z.array(AgreementAccount),
  versions: z.array(AgreementVersion), canWrite: z.boolean(), approvedAt: z.string().nullable(), createdAt: z.string(), version: z.number().int(),
});
export type Agreement = z.infer<typeof Agreement>;

export const AgreementSummary = Agreement.pick({ id: true, number: true, name: true, currency: true, periodStart: true, periodEnd: true, status: true, valueMinor: true, version: true })
  .extend({ accounts: z.array(AgreementAccount), method: z.enum(REBATE_METHODS), basisToDate: z.number().int(), earnedToDateMinor: z.number().int(), tierIndex: z.number().int() });

export const AgreementQuery = z.object({ accountId: z.string().uuid().optional(), status: AgreementStatus.optional() });

export const RebateBand = z.object({ from: z.number(), to: z.number().nullable(), basisInBand: z.number(), ratePercent: z.number(), rebateMinor: z.number().int() });
export const NextTier = z.object({ tierIndex: z.number().int(), ratePercent: z.number(), moreNeeded: z.number(), rebateAtTierMinor: z.number().int(), gainMinor: z.number().int() });

export const Attainment = z.object({
  agreementId: z.string(),
  currency: z.string(),
  basisKind: z.enum(['value', 'quantity']),
  asOf: z.string().describe('basis counted up to this date (exclusive)'),
  periodEnd: z.string(),
  versionId: z.string(),
  versionSeq: z.number().int(),
  basisToDate: z.number().int(),
  reference: z.number().int().nullable(),
  tierIndex: z.number().int(),
  earnedToDateMinor: z.number().int(),
  bands: z.array(RebateBand),
  tiers: z.array(RebateTier),
  next: NextTier.nullable(),
  monthly: z.array(z.object({ month: z.string(), basis: z.number().int(), cumulative: z.number().int() })),
  forecast: z.object({
    model: z.string(), levels: z.array(z.number()), finalBasis: z.array(z.number()),
    chances: z.array(z.object({ tierIndex: z.number().int(), from: z.number(), probability: z.number() })),
    expectedRebateMinor: z.number().int(),
    months: z.array(z.string()),
  }).nullable(),
  paidMinor: z.number().int(),
  accruedMinor: z.number().int().describe('accrued to date under the agreement\'s policy (what settlement trues up)'),
});
export type Attainment = z.infer<typeof Attainment>;

export const Accrual = z.object({
  month: z.string(), versionId: z.string(), versionSeq: z.number().int(), policy: z.string(), basis: z.number().int(), tierIndex: z.number().int(),
  earnedToDateMinor: z.number().int(), accruedMinor: z.number().int(), computedAt: z.string(),
});

export const SettlementLine = z.object({ lineNo: z.number().int(), accountId: z.string(), accountCode: z.string(), accountName: z.string(), basis: z.number().int(), amountMinor: z.number().int() });
export const Settlement = z.object({
  id: z.string(), agreementId: z.string(), agreementNumber: z.string(), agreementName: z.string(), number: z.string(), seq: z.number().int(),
  kind: z.enum(['partial', 'final']), cutoff: z.string(), versionId: z.string(), versionSeq: z.number().int(), basis: z.number().int(), basisKind: z.enum(['value', 'quantity']),
  tierIndex: z.number().int(), earnedToDateMinor: z.number().int(), alreadyPaidMinor: z.number().int(), amountMinor: z.number().int(), currency: z.string(),
  status: z.enum(['issued', 'reversed', 'preview']), reversedAt: z.string().nullable(), reversalReason: z.string().nullable(),
  createdAt: z.string(), lines: z.array(SettlementLine), rounding: z.string(),
});
export type Settlement = z.infer<typeof Settlement>;

export const SettlementBody = z.object({
  kind: z.enum(['partial', 'final']),
  cutoff: Day.optional().describe('exclusive; partial default: tomorrow (everything invoiced to date), capped at the period end; final: the period end'),
});
export const ReverseBody = z.object({ reason: z.string().trim().min(3).max(2000) });

/** What the dealer sees: its own agreements' progress, nothing internal (no notes, no margins, no other account). */
export const PortalProgress = z.object({
  items: z.array(z.object({
    id: z.string(), number: z.string(), name: z.string(), currency: z.string(), periodEnd: z.string(), lastDay: z.string(),
    basisKind: z.enum(['value', 'quantity']), basisToDate: z.number().int(), tierIndex: z.number().int(), ratePercent: z.number().nullable(),
    earnedToDateMinor: z.number().int(), next: NextTier.nullable(), tiers: z.array(RebateTier),
  })),
});
