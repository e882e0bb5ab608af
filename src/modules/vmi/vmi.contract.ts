/**
 * Zod schemas of the VMI API (issue 17, item 4; decisions 030 and 034): the per-account settings,
 * the drafted order a rep reviews, edits and sends, the rep's stock count from the phone, the
 * exceptions board, and the dealer's signature in the portal. Shared with the web app.
 * Quantities are in the product's unit (whole units); instants are UTC ISO text, dates YYYY-MM-DD.
 */
import { z } from 'zod';
import { WEEKDAYS, type Weekday } from '../../shared/time.js';
import { accountNames } from '../../platform/names.contract.js';

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real date');
const Instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an instant such as 2026-12-09T08:30:00Z');
const Units = z.number().int().min(0).max(1_000_000_000);
const Person = z.object({ id: z.string(), name: z.string() });
const Version = z.number().int().min(1).describe('The version you last saw (optimistic locking: a stale version is answered 409)');

/** Why a rep changed a suggested quantity; `other` needs a note. Translated in the web app (vmi.reason.*). */
export const vmiReasonCodes = ['dealer_request', 'promotion', 'known_project', 'stock_count_differs', 'space', 'cash', 'forecast_wrong', 'other'] as const;
export const VmiReasonCode = z.enum(vmiReasonCodes);
export type VmiReasonCode = z.infer<typeof VmiReasonCode>;

export const vmiDraftStatuses = ['draft', 'sent', 'signed', 'rejected', 'expired', 'cancelled'] as const;
export const VmiDraftStatus = z.enum(vmiDraftStatuses);
export type VmiDraftStatus = z.infer<typeof VmiDraftStatus>;

export const vmiDecisions = ['accept', 'change', 'reject'] as const;
export const VmiDecision = z.enum(vmiDecisions);
export type VmiDecision = z.infer<typeof VmiDecision>;

export const vmiExceptionKinds = ['stockout', 'belowMin', 'aboveMax', 'slowMover'] as const;
export const VmiExceptionKind = z.enum(vmiExceptionKinds);

export const VmiException = z.object({ productId: z.string(), kind: VmiExceptionKind, date: z.string(), detail: z.string() });
export type VmiException = z.infer<typeof VmiException>;

const product = {
  productId: z.string(),
  sku: z.string().nullable(),
  productNameEn: z.string().nullable(),
  productNameZh: z.string().nullable(),
  unit: z.string().nullable(),
};

// ---------------------------------------------------------------- settings

export const VmiPolicy = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('minMax'), minDays: z.number().min(0).max(365), maxDays: z.number().min(0).max(730) }).refine((p) => p.maxDays >= p.minDays, { message: 'max days must be at least min days', path: ['maxDays'] }),
  z.strictObject({
    kind: z.literal('service'),
    level: z.number().gt(0).lt(1).describe('Service level between 0 and 1, e.g. 0.95'),
    measure: z.enum(['cycle', 'fill']).optional(),
    minDays: z.number().min(0).max(365).optional(),
    maxDays: z.number().min(0).max(730).optional(),
  }),
]);
export type VmiPolicy = z.infer<typeof VmiPolicy>;

const Rhythm = z.object({ weekdays: z.array(z.enum(WEEKDAYS as [Weekday, ...Weekday[]])).min(1).max(7), everyWeeks: z.number().int().min(1).max(12).default(1) });

/** One product line's settings as given (PUT): null or absent pack fields default from the product. */
export const VmiLineSettingsInput = z.strictObject({
  productId: z.string().uuid(),
  enabled: z.boolean().default(true),
  policy: VmiPolicy,
  minOrder: Units.default(0).describe('Smallest quantity of an order line, in units'),
  packUnits: z.number().int().min(1).max(1_000_000).nullish().describe('Units per pack; null: the product\'s pack size'),
  packKg: z.number().min(0).max(100_000).nullish().describe('Kg per pack; null: 0 (not weighed)'),
  perPallet: z.number().int().min(1).max(100_000).nullish().describe('Packs per pallet; needed when loads count pallets'),
  changeDownPct: z.number().min(0).max(100).default(20).describe('How far below the sent quantity the dealer may sign, in %'),
  changeUpPct: z.number().min(0).max(1000).default(20).describe('How far above the sent quantity the dealer may sign, in %'),
});
export type VmiLineSettingsInput = z.infer<typeof VmiLineSettingsInput>;

export const VmiSettingsBody = z.strictObject({
  enabled: z.boolean(),
  siteId: z.string().uuid().nullable().default(null).describe('The dealer site the orders go to; null: the account as a whole'),
  leadTimeDays: z.number().int().min(0).max(365).nullable().default(null).describe('null: from the account\'s delivery history (median promised − ordered), else 7'),
  rhythm: Rhythm.nullable().default(null).describe('The visit rhythm; null: from the account\'s visit program'),
  capacityKg: z.number().min(0).max(1e9).nullable().default(null),
  capacityPallets: z.number().min(0).max(1e7).nullable().default(null),
  truckKg: z.number().gt(0).max(1e7).nullable().default(null),
  truckPallets: z.number().gt(0).max(1e5).nullable().default(null),
  fullTrucks: z.boolean().default(false),
  expiryHours: z.number().int().min(1).max(24 * 60).default(72),
  lines: z.array(VmiLineSettingsInput).max(500).default([]),
});
export type VmiSettingsBody = z.infer<typeof VmiSettingsBody>;

export const VmiLineSettings = z.object({
  ...product,
  enabled: z.boolean(),
  policy: VmiPolicy,
  minOrder: z.number().int(),
  packUnits: z.number().int(),
  packKg: z.number(),
  perPallet: z.number().int().nullable(),
  changeDownPct: z.number(),
  changeUpPct: z.number(),
});
export type VmiLineSettings = z.infer<typeof VmiLineSettings>;

export const VmiSettings = z.object({
  accountId: z.string(),
  ...accountNames,
  stored: z.boolean().describe('false: nothing saved yet; the answer shows the defaults'),
  enabled: z.boolean(),
  siteId: z.string().nullable(),
  leadTimeDays: z.number().int().describe('The lead time used (set, or derived)'),
  leadTimeSource: z.enum(['set', 'delivery_history', 'default']),
  rhythm: z.object({ weekdays: z.array(z.string()), everyWeeks: z.number().int() }),
  rhythmSource: z.enum(['set', 'visit_program', 'default']),
  capacityKg: z.number().nullable(),
  capacityPallets: z.number().nullable(),
  truckKg: z.number().nullable(),
  truckPallets: z.number().nullable(),
  fullTrucks: z.boolean(),
  expiryHours: z.number().int(),
  lines: z.array(VmiLineSettings),
  version: z.number().int(),
  updatedAt: z.string().nullable(),
});
export type VmiSettings = z.infer<typeof VmiSettings>;

// ---------------------------------------------------------------- drafts (staff)

export const VmiDraftLine = z.object({
  ...product,
  suggestedQuantity: z.number().int().describe('What the policy suggested (after packs, capacity, trucks)'),
  quantity: z.number().int().describe('What goes to the dealer: the suggestion, or the rep\'s edit'),
  packUnits: z.number().int(),
  edited: z.boolean(),
  reasonCode: VmiReasonCode.nullable(),
  note: z.string().nullable(),
  why: z.array(z.string()).describe('The arithmetic of the suggestion, in words and numbers'),
  onHand: z.number(),
  inTransit: z.number(),
  coverDays: z.number().nullable().describe('Days of supply at the next arrival after this order; null: no demand expected'),
  minQuantity: z.number().int().describe('The least the dealer may sign for this line'),
  maxQuantity: z.number().int().describe('The most the dealer may sign for this line'),
});
export type VmiDraftLine = z.infer<typeof VmiDraftLine>;

export const VmiDraftEdit = z.object({
  id: z.string(),
  productId: z.string(),
  at: z.string(),
  by: Person,
  fromQuantity: z.number().int(),
  toQuantity: z.number().int(),
  reasonCode: VmiReasonCode,
  note: z.string().nullable(),
});
export type VmiDraftEdit = z.infer<typeof VmiDraftEdit>;

export const SignedLine = z.object({ productId: z.string(), quantity: z.number().int() });

export const VmiSignature = z.object({
  id: z.string(),
  draftVersion: z.number().int(),
  decision: VmiDecision,
  reason: z.string().nullable(),
  signedBy: Person,
  signedAt: z.string(),
  lines: z.array(SignedLine).describe('Exactly the lines signed (empty on a rejection)'),
  hash: z.string().describe('SHA-256 (hex) of the canonical signed lines'),
  orderNo: z.string().nullable().describe('The delivery order the signed lines became'),
});
export type VmiSignature = z.infer<typeof VmiSignature>;

export const VmiDraftSummary = z.object({
  id: z.string(),
  number: z.string().describe('VMI-2026-00012'),
  accountId: z.string(),
  ...accountNames,
  siteId: z.string().nullable(),
  asOf: z.string(),
  status: VmiDraftStatus,
  version: z.number().int(),
  arrival: z.string(),
  nextArrival: z.string(),
  lineCount: z.number().int(),
  totalQuantity: z.number().int(),
  exceptionCount: z.number().int(),
  expiresAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  decidedAt: z.string().nullable().describe('When the dealer signed or rejected'),
  orderNo: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type VmiDraftSummary = z.infer<typeof VmiDraftSummary>;

export const VmiDraft = VmiDraftSummary.extend({
  nextVisit: z.string(),
  protectionDays: z.number().int(),
  leadTimeDays: z.number().int(),
  load: z.object({ kg: z.number(), pallets: z.number(), trucks: z.number().nullable(), truckCount: z.number().nullable() }),
  notes: z.array(z.string()).describe('Internal: what the rounding added or cut and why'),
  exceptions: z.array(VmiException),
  lines: z.array(VmiDraftLine),
  edits: z.array(VmiDraftEdit),
  sentBy: Person.nullable(),
  cancelReason: z.string().nullable(),
  signature: VmiSignature.nullable(),
  signatureValid: z.boolean().nullable().describe('The stored hash recomputed from the signed lines; null when unsigned'),
});
export type VmiDraft = z.infer<typeof VmiDraft>;

export const VmiDraftQuery = z.strictObject({
  status: VmiDraftStatus.optional(),
  accountId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const VmiDraftPage = z.object({ items: z.array(VmiDraftSummary), total: z.number().int() });

export const AccountParams = z.object({ accountId: z.string().uuid() });
export const DraftParams = z.object({ id: z.string().uuid() });
export const DraftLineParams = z.object({ id: z.string().uuid(), productId: z.string().uuid() });

export const CreateDraftBody = z.strictObject({ asOf: Day.optional().describe('The order date; default today') });

export const EditLineBody = z
  .strictObject({
    quantity: Units,
    reasonCode: VmiReasonCode,
    note: z.string().trim().max(2000).optional(),
    version: Version,
  })
  .refine((b) => b.reasonCode !== 'other' || (b.note ?? '').length > 0, { message: 'Say why in a note when the reason is other', path: ['note'] });
export type EditLineBody = z.infer<typeof EditLineBody>;

export const SendBody = z.strictObject({ version: Version });
export const CancelBody = z.strictObject({ version: Version, reason: z.string().trim().min(1, 'Say why').max(2000) });

// ---------------------------------------------------------------- rep stock count

export const CountBody = z.strictObject({
  clientId: z.string().uuid().describe('Generated on the phone; the same id sent twice saves once (offline outbox)'),
  countedAt: Instant,
  lines: z.array(z.strictObject({ productId: z.string().uuid(), onHand: Units })).min(1).max(500),
});
export type CountBody = z.infer<typeof CountBody>;
export const CountResult = z.object({
  saved: z.number().int().describe('Stock lines saved (0 when this count was already received)'),
  duplicate: z.boolean(),
  draft: VmiDraft.nullable().describe('The account\'s open draft, recomputed; null when it has none'),
});
export type CountResult = z.infer<typeof CountResult>;

// ---------------------------------------------------------------- exceptions board

export const ExceptionQuery = z.strictObject({
  from: Day.optional().describe('Inclusive; default today'),
  to: Day.optional().describe('Inclusive; default 28 days after from'),
  kind: VmiExceptionKind.optional().describe('Only exceptions of this kind (the page and total count only those)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const ExceptionRow = z.object({
  date: z.string(),
  kind: VmiExceptionKind,
  account: z.object({ id: z.string(), ...accountNames }),
  product: z.object({ id: z.string(), sku: z.string().nullable(), nameEn: z.string().nullable(), nameZh: z.string().nullable() }),
  detail: z.string(),
  draftId: z.string(),
  draftNumber: z.string(),
  draftStatus: VmiDraftStatus,
});
export type ExceptionRow = z.infer<typeof ExceptionRow>;
export const ExceptionPage = z.object({ items: z.array(ExceptionRow), total: z.number().int() });

// ---------------------------------------------------------------- portal

export const PortalOrderLine = z.object({
  ...product,
  quantity: z.number().int().describe('The quantity sent for signature'),
  packUnits: z.number().int(),
  minQuantity: z.number().int(),
  maxQuantity: z.number().int(),
});
export type PortalOrderLine = z.infer<typeof PortalOrderLine>;

export const PortalSignature = z.object({
  decision: VmiDecision,
  reason: z.string().nullable(),
  signedBy: z.object({ name: z.string() }),
  signedAt: z.string(),
  draftVersion: z.number().int(),
  lines: z.array(SignedLine),
  hash: z.string(),
  orderNo: z.string().nullable(),
});
export type PortalSignature = z.infer<typeof PortalSignature>;

export const PortalOrderSummary = z.object({
  id: z.string(),
  number: z.string(),
  status: VmiDraftStatus.describe('sent (to sign), signed, rejected or expired'),
  version: z.number().int(),
  asOf: z.string(),
  arrival: z.string(),
  expiresAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  lineCount: z.number().int(),
  totalQuantity: z.number().int(),
});
export type PortalOrderSummary = z.infer<typeof PortalOrderSummary>;

export const PortalOrder = PortalOrderSummary.extend({
  nextArrival: z.string(),
  lines: z.array(PortalOrderLine),
  signature: PortalSignature.nullable(),
});
export type PortalOrder = z.infer<typeof PortalOrder>;

export const PortalOrderList = z.object({ items: z.array(PortalOrderSummary), total: z.number().int() });

export const SignBody = z
  .strictObject({
    decision: VmiDecision,
    version: Version,
    lines: z.array(z.strictObject({ productId: z.string().uuid(), quantity: Units })).max(500).optional().describe('change: every line to change (others stay as sent)'),
    reason: z.string().trim().max(2000).optional().describe('reject: why (required)'),
  })
  .refine((b) => b.decision !== 'reject' || (b.reason ?? '').length > 0, { message: 'Say why you reject the order', path: ['reason'] })
  .refine((b) => b.decision !== 'change' || (b.lines ?? []).length > 0, { message: 'Give the lines you change', path: ['lines'] });
export type SignBody = z.infer<typeof SignBody>;

export const SignResult = z.object({
  signature: PortalSignature,
  order: z.object({ orderNo: z.string(), lineCount: z.number().int(), promisedDate: z.string() }).nullable().describe('The delivery order made from the signed lines; null on a rejection'),
});
export type SignResult = z.infer<typeof SignResult>;

export const PortalOrderQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
