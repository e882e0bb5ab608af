import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD');
const text = (max: number) => z.string().trim().min(1).max(max);

/** One shipment of an order line in a batch: dates, quantity, mode and cost; a source's text where a number belongs is kept as a note. */
export const ShipmentInput = z.strictObject({
  sourceKey: text(200),
  shipmentNo: text(100).nullish(),
  shippedDate: isoDate.nullish(),
  deliveredDate: isoDate.nullish(),
  quantity: z.number().int().min(0).nullish(),
  mode: text(40).nullish(),
  carrier: text(200).nullish(),
  laneCode: text(100).nullish(),
  weightGrams: z.number().int().min(0).nullish(),
  weightNote: text(500).nullish(),
  freightMinor: z.number().int().min(0).nullish(),
  freightCurrency: z.string().regex(/^[A-Z]{3}$/).nullish(),
  freightNote: text(500).nullish(),
});

/** One order line of a batch, with its shipments (a split delivery has several). `accountCode` names the dealer. */
export const OrderLineInput = z.strictObject({
  sourceKey: text(200),
  accountCode: text(100),
  orderNo: text(100),
  lineNo: text(50).nullish(),
  item: text(300).nullish(),
  quantity: z.number().int().min(0).nullish(),
  unit: text(40).nullish(),
  valueMinor: z.number().int().min(0).nullish(),
  currency: z.string().regex(/^[A-Z]{3}$/).nullish(),
  orderedDate: isoDate.nullish(),
  requestedDate: isoDate.nullish(),
  promisedDate: isoDate.nullish(),
  status: z.enum(['open', 'delivered', 'cancelled']),
  cancelledDate: isoDate.nullish(),
  laneCode: text(100).nullish(),
  shipments: z.array(ShipmentInput).max(100).default([]),
});
export type OrderLineInput = z.infer<typeof OrderLineInput>;

export const OrderLineBatch = z.strictObject({ lines: z.array(OrderLineInput).min(1).max(5000), dryRun: z.boolean().default(false) });
export const BatchResult = z.object({
  dryRun: z.boolean(),
  inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int(),
  shipments: z.object({ inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int() }),
});

const Rate = z.object({ count: z.number().int(), of: z.number().int(), share: z.number().nullable() });
export const OtifGroupOut = z.object({
  key: z.array(z.string()),
  lines: z.object({ counted: z.number().int(), onTime: Rate, inFull: Rate.nullable(), otif: Rate.nullable() }),
  orders: z.object({ counted: z.number().int(), onTime: Rate, inFull: Rate.nullable(), otif: Rate.nullable() }),
  volume: z.object({ ordered: z.number(), onTime: z.number(), inFull: z.number(), otif: z.number(), onTimeShare: z.number().nullable(), inFullShare: z.number().nullable(), otifShare: z.number().nullable() }).nullable(),
  excluded: z.object({ cancelled: z.number().int(), notDue: z.number().int() }),
  failures: z.object({ overdueOpen: z.number().int(), cancelledLate: z.number().int() }),
  lateness: z.object({
    measured: z.number().int(),
    histogram: z.array(z.object({ label: z.string(), from: z.number().nullable(), to: z.number().nullable(), count: z.number().int() })),
    p50: z.number().nullable(), p90: z.number().nullable(), max: z.number().nullable(),
  }),
});

export const OtifDimension = z.enum(['account', 'territory', 'lane', 'mode', 'carrier', 'month']);
export const OtifQuery = z.object({
  by: z.string().default('month').transform((s, c) => {
    const parts = s.split(',').map((p) => p.trim()).filter(Boolean);
    for (const p of parts) if (!OtifDimension.safeParse(p).success) { c.addIssue({ code: 'custom', message: `Group by one or more of ${OtifDimension.options.join(', ')}` }); return z.NEVER; }
    return [...new Set(parts)] as z.infer<typeof OtifDimension>[];
  }),
  from: isoDate.optional(),
  to: isoDate.optional(),
  accountId: z.string().uuid().optional(),
  earlyDays: z.coerce.number().int().min(0).max(60).default(0),
  lateDays: z.coerce.number().int().min(0).max(60).default(0),
  inFullPercent: z.coerce.number().min(0).max(100).default(0),
});
export const OtifResult = z.object({
  asOf: isoDate, by: z.array(OtifDimension), tolerances: z.object({ earlyDays: z.number(), lateDays: z.number(), inFullPercent: z.number() }),
  groups: z.array(OtifGroupOut),
});

export const ShipmentOut = z.object({
  id: z.string(), orderLineId: z.string(), accountId: z.string(), orderNo: z.string(), lineNo: z.string().nullable(), item: z.string().nullable(),
  promisedDate: z.string().nullable(), shippedDate: z.string().nullable(), deliveredDate: z.string().nullable(), quantity: z.number().nullable(),
  mode: z.string().nullable(), carrier: z.string().nullable(), laneCode: z.string().nullable(),
  /** Calendar days after the promised date (negative: early); null without both dates. */
  daysLate: z.number().int().nullable(),
  freightMinor: z.number().nullable().optional(), freightCurrency: z.string().nullable().optional(), freightNote: z.string().nullable().optional(),
  weightGrams: z.number().nullable().optional(), weightNote: z.string().nullable().optional(),
});
export type ShipmentOut = z.infer<typeof ShipmentOut>;
/** `from`/`to`: the line's promised date in [from, to) (a month's lines, from the OTIF screen). `lateOnly` is a query flag: only "true" turns it on. */
export const ShipmentQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0),
  lateOnly: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  from: isoDate.optional(), to: isoDate.optional(),
});

/** An open order line past its promise and not delivered in full: the failure no shipment shows. */
export const OverdueLineOut = z.object({
  id: z.string(), accountId: z.string(), orderNo: z.string(), lineNo: z.string().nullable(), item: z.string().nullable(),
  quantity: z.number().nullable(), delivered: z.number().describe('Quantity delivered so far'), promisedDate: z.string(),
  /** Calendar days since the promised date, as of today. */
  daysOverdue: z.number().int(),
});
export type OverdueLineOut = z.infer<typeof OverdueLineOut>;
export const OverdueLinesQuery = z.object({
  accountId: z.string().uuid().optional(), from: isoDate.optional(), to: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0),
});

/** The dealer's own on-time share by month (decision 018, no tolerance), the last 12 months; nothing else of OTIF. */
export const PortalDeliverySummary = z.object({
  asOf: isoDate,
  months: z.array(z.object({ month: z.string(), lines: z.number().int(), onTime: z.number().int(), share: z.number().nullable() })),
});
