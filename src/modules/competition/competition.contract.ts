import { z } from 'zod';
import { accountNames } from '../../platform/names.contract.js';
import { Params, PriceStepKind } from '../../platform/contributions.contract.js';

/** Free text, trimmed, within bounds. */
const text = (o: { min?: number; max: number }) => z.string().trim().min(o.min ?? 0).max(o.max);
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const sources = ['visit', 'dealer', 'invoice'] as const;
export const ObservationSource = z.enum(sources);
export const decisions = ['match', 'value', 'decline'] as const;
export const outcomes = ['kept', 'lost', 'partial'] as const;
export const Recommendation = z.enum(['hold', 'match', 'value', 'decline']);

const productNames = { productSku: z.string(), productNameEn: z.string(), productNameZh: z.string(), productUnit: z.string() };

export const Conversion = z.object({
  competitorUnits: z.number().int().min(1).max(100_000).default(1).describe('How many of the competitor\'s units…'),
  ourUnits: z.number().int().min(1).max(100_000).default(1).describe('…equal this many of our product\'s unit (a box of 12 against our piece: 1 and 12)'),
});

export const Observation = z.object({
  id: z.string(),
  accountId: z.string().nullable(),
  accountName: z.string().nullable(),
  accountNameEn: z.string().nullable(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  competitor: z.string(),
  competitorProduct: z.string(),
  productId: z.string(),
  ...productNames,
  priceMinor: z.number().int().describe('As seen, per the competitor\'s unit'),
  currency: z.string(),
  unit: z.string().describe('The competitor\'s unit, as written (box, bag, t, kg)'),
  conversion: z.object({ competitorUnits: z.number().int(), ourUnits: z.number().int() }),
  unitPriceMinor: z.number().int().describe('Per one of our product\'s unit: price × competitorUnits / ourUnits, rounded half away from zero'),
  observedAt: z.string(),
  source: ObservationSource,
  visitId: z.string().nullable(),
  attachmentId: z.string().nullable(),
  note: z.string().nullable().describe('Internal'),
  createdBy: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.string(),
});
export type Observation = z.infer<typeof Observation>;

export const RecordObservationBody = z.strictObject({
  accountId: z.string().uuid().nullable().default(null).describe('The dealer it was seen at; null for a price seen in a region only'),
  province: text({ max: 50 }).nullable().default(null).describe('Defaults to the account\'s province'),
  city: text({ max: 50 }).nullable().default(null),
  competitor: text({ min: 1, max: 80 }),
  competitorProduct: text({ min: 1, max: 120 }),
  productId: z.string().uuid().describe('Our equivalent product'),
  priceMinor: z.number().int().min(1).max(1e12).describe('Per the competitor\'s unit, in minor units'),
  currency: currency.default('CNY'),
  unit: text({ min: 1, max: 20 }),
  conversion: Conversion.default({ competitorUnits: 1, ourUnits: 1 }),
  observedAt: z.string().datetime({ offset: true }).optional().describe('Defaults to now'),
  source: ObservationSource,
  visitId: z.string().uuid().nullable().default(null),
  attachmentId: z.string().uuid().nullable().default(null).describe('An invoice photo uploaded to the account\'s attachments'),
  note: text({ max: 2000 }).nullable().default(null),
});

export const ObservationQuery = z.object({
  accountId: z.string().uuid().optional(),
  productId: z.string().uuid().optional(),
  province: z.string().max(50).optional(),
  competitor: z.string().max(80).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const UndercutAlert = z.object({
  id: z.string(),
  observationId: z.string(),
  accountId: z.string(),
  ...accountNames,
  productId: z.string(),
  ...productNames,
  competitor: z.string(),
  competitorUnitMinor: z.number().int(),
  pocketUnitMinor: z.number().int(),
  currency: z.string(),
  sharePercent: z.number().describe('(pocket − competitor) / pocket, in percent with two decimals'),
  thresholdPercent: z.number(),
  status: z.enum(['open', 'acknowledged']),
  raisedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  version: z.number().int(),
});
export type UndercutAlert = z.infer<typeof UndercutAlert>;
export const AlertQuery = z.object({ accountId: z.string().uuid().optional(), status: z.enum(['open', 'acknowledged', 'all']).default('open') });

export const Undercut = z.object({
  competitorUnitMinor: z.number().int(), pocketUnitMinor: z.number().int(), gapMinor: z.number().int(),
  sharePercent: z.number(), thresholdPercent: z.number(), alert: z.boolean(),
});

export const RecordObservationResult = z.object({
  observation: Observation,
  undercut: Undercut.nullable().describe('Null when there is no account, or no pocket price to compare against'),
  undercutUnknownKey: z.string().nullable().describe('Why there is no comparison, an i18n key'),
  alert: UndercutAlert.nullable(),
});

// ---------- waterfall

export const WaterfallRow = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('known'), id: z.string(), module: z.string(), kind: PriceStepKind, labelKey: z.string(), params: Params,
    basisKey: z.string().nullable(), basisParams: Params.nullable(), order: z.number(),
    amountMinor: z.number().int(), perUnitMinor: z.number().int().nullable(), runningMinor: z.number().int(), runningPerUnitMinor: z.number().int().nullable(),
  }),
  z.object({ state: z.literal('unknown'), id: z.string(), kind: PriceStepKind, order: z.number(), reasonKey: z.string() }),
]);
export const Waterfall = z.object({
  accountId: z.string(),
  productId: z.string(),
  ...productNames,
  from: z.string(), to: z.string().describe('Exclusive'),
  quantity: z.number().int().describe('The window\'s quantity sold (1 when none was sold: the price of one unit)'),
  quantityBasis: z.enum(['sold', 'one']),
  currency: z.string(),
  rows: z.array(WaterfallRow),
  listMinor: z.number().int().nullable(), listPerUnitMinor: z.number().int().nullable(),
  pocketMinor: z.number().int().nullable(), pocketPerUnitMinor: z.number().int().nullable(),
  missing: z.array(PriceStepKind),
  unavailable: z.array(z.string()),
});
export type Waterfall = z.infer<typeof Waterfall>;
export const WaterfallQuery = z.object({
  productId: z.string().uuid(),
  from: isoDate.optional().describe('Default: twelve months before `to`'),
  to: isoDate.optional().describe('Exclusive; default: tomorrow'),
});

// ---------- concession vs value

export const Comparison = z.object({
  currency: z.string(),
  horizonMonths: z.number().int(),
  pocketUnitMinor: z.number().int(),
  competitorUnitMinor: z.number().int(),
  cutPerUnitMinor: z.number().int(),
  expectedQuantity: z.number().int(),
  expectedLow: z.number().int().nullable().describe('10 % quantile of the cumulative forecast'),
  expectedHigh: z.number().int().nullable().describe('90 % quantile'),
  forecastModel: z.string(),
  matching: z.object({
    ownMinor: z.number().int(),
    shared: z.object({ accounts: z.number().int(), quantity: z.number().int(), costMinor: z.number().int() }).nullable().describe('Null: unknown (the price list says nothing of other accounts)'),
    totalMinor: z.number().int(),
    totalIsLowerBound: z.boolean(),
  }),
  alternatives: z.array(z.object({
    serviceKindId: z.string(), code: z.string(), name: z.string(), nameEn: z.string(), unit: z.string(), unitCostMinor: z.number().int(), currency: z.string(),
    expectedUse: z.number(), useBasis: z.enum(['history', 'assumed', 'given']), costMinor: z.number().int(), shareOfMatchingPercent: z.number().int().nullable(),
  })),
  cheapest: z.string().nullable(),
  marginAtRiskMinor: z.number().int().nullable(),
  marginBasis: z.object({ marginMinor: z.number().int(), months: z.number().int() }).nullable().describe('The account\'s margin on costed sales over the trailing months'),
  recommendation: Recommendation,
  reasonKey: z.string(),
  reasonParams: Params,
  waterfall: Waterfall,
});
export type Comparison = z.infer<typeof Comparison>;

export const CompareBody = z.strictObject({
  accountId: z.string().uuid(),
  productId: z.string().uuid(),
  competitor: text({ min: 1, max: 80 }),
  offerPriceMinor: z.number().int().min(1).max(1e12).describe('The offer, per the competitor\'s unit'),
  currency: currency.default('CNY'),
  conversion: Conversion.default({ competitorUnits: 1, ourUnits: 1 }),
  horizonMonths: z.number().int().min(1).max(36).default(12),
  observationId: z.string().uuid().nullable().default(null),
  expectedUse: z.record(z.string().uuid(), z.number().min(0).max(100_000)).default({}).describe('Expected use of a service over the horizon, by service kind; default from the account\'s last twelve months'),
});

export const Offer = z.object({
  id: z.string(),
  accountId: z.string(),
  ...accountNames,
  productId: z.string(),
  ...productNames,
  observationId: z.string().nullable(),
  competitor: z.string(),
  offerUnitMinor: z.number().int(),
  currency: z.string(),
  horizonMonths: z.number().int(),
  comparison: Comparison,
  recommendation: Recommendation,
  decision: z.enum(decisions).nullable(),
  alternativeId: z.string().nullable(),
  decisionNote: z.string().nullable(),
  decidedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  decidedAt: z.string().nullable(),
  outcome: z.enum(outcomes).nullable(),
  outcomeNote: z.string().nullable(),
  outcomeAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Offer = z.infer<typeof Offer>;
export const OfferSummary = Offer.omit({ comparison: true });
export const OfferQuery = z.object({ accountId: z.string().uuid().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

export const DecisionBody = z.strictObject({
  decision: z.enum(decisions),
  alternativeId: z.string().uuid().nullable().default(null).describe('The service offered instead (decision value)'),
  note: text({ max: 2000 }).nullable().default(null),
  version: z.number().int(),
});
export const OutcomeBody = z.strictObject({
  outcome: z.enum(outcomes),
  note: text({ max: 2000 }).nullable().default(null),
  version: z.number().int(),
});

// ---------- trends and the map

export const TrendQuery = z.object({
  productId: z.string().uuid(),
  province: z.string().max(50).optional(),
  months: z.coerce.number().int().min(1).max(36).default(12),
});
export const Trend = z.object({
  productId: z.string(),
  ...productNames,
  currency: z.string(),
  months: z.array(z.string()),
  series: z.array(z.object({ competitor: z.string(), points: z.array(z.object({ month: z.string(), avgUnitMinor: z.number().int().nullable(), count: z.number().int() })) })),
  regions: z.array(z.object({
    province: z.string(), count: z.number().int(), avgUnitMinor: z.number().int(), lowestUnitMinor: z.number().int(), lowestCompetitor: z.string(), latestAt: z.string(),
  })),
});
