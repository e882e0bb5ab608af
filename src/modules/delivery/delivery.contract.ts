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
  /** The mode the line is planned to travel by (the lane's plan); a line not yet shipped is counted under it. */
  plannedMode: text(40).nullish(),
  /** The product by its SKU, when the source knows it (stock-outs are matched by product). */
  productSku: text(100).nullish(),
  shipments: z.array(ShipmentInput).max(100).default([]),
});
export type OrderLineInput = z.infer<typeof OrderLineInput>;

export const OrderLineBatch = z.strictObject({ lines: z.array(OrderLineInput).min(1).max(5000), dryRun: z.boolean().default(false) });
export const BatchResult = z.object({
  dryRun: z.boolean(),
  inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int(),
  shipments: z.object({ inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int() }),
});

/** The calendar delivery days are counted on: every day, Monday to Friday, or China's working days (public holidays off, make-up days on). */
export const DeliveryCalendar = z.enum(['calendar-days', 'weekdays', 'working-days-cn']);

/** A dealer's delivery terms (decision 022): the on-time window around a promise and the in-full tolerance. */
export const DeliveryTermsInput = z.strictObject({
  earlyDays: z.number().int().min(0).max(60),
  lateDays: z.number().int().min(0).max(60),
  inFullPercent: z.number().int().min(0).max(100),
  calendar: DeliveryCalendar,
  note: z.string().trim().max(1000).nullish(),
  /** The version read, so two people editing at once do not overwrite each other; omit when creating. */
  version: z.number().int().min(1).optional(),
});
export const DeliveryTermsOut = z.object({
  accountId: z.string(), earlyDays: z.number().int(), lateDays: z.number().int(), inFullPercent: z.number().int(), calendar: DeliveryCalendar,
  note: z.string().nullable(),
  /** false: no terms agreed; the defaults (no tolerance, calendar days) apply. */
  agreed: z.boolean(),
  updatedAt: z.string().nullable(), version: z.number().int().nullable(),
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
    /** Lines per bucket of the answer's `latenessBuckets`, in that order. */
    histogram: z.array(z.number().int()),
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
  // Without any of these, each line is judged on its dealer's delivery terms (decision 022).
  earlyDays: z.coerce.number().int().min(0).max(60).optional(),
  lateDays: z.coerce.number().int().min(0).max(60).optional(),
  inFullPercent: z.coerce.number().min(0).max(100).optional(),
  calendar: DeliveryCalendar.optional(),
  /** A page of dealers (grouping by account only): their groups, dealers in code order; `page` in the answer says how many there are. */
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});
export const OtifResult = z.object({
  asOf: isoDate, by: z.array(OtifDimension),
  /** `account`: each line on its dealer's terms (then `tolerances` is null); `query`: the tolerances and calendar asked for, on every line. */
  terms: z.enum(['account', 'query']),
  tolerances: z.object({ earlyDays: z.number(), lateDays: z.number(), inFullPercent: z.number(), calendar: DeliveryCalendar }).nullable(),
  /** The buckets of every group's lateness histogram: days late from…to inclusive, null an open end (decision 018). */
  latenessBuckets: z.array(z.object({ label: z.string(), from: z.number().int().nullable(), to: z.number().int().nullable() })),
  groups: z.array(OtifGroupOut),
  /** With `limit`: which dealers these are, of how many the caller sees with any order line. */
  page: z.object({ offset: z.number().int(), limit: z.number().int(), dealers: z.number().int() }).nullable(),
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
/** The lines behind one bar of OTIF by mode: the mode as the group names it (the shipment's, else the line's planned one); empty: neither has one. */
const DrillMode = z.string().max(40).optional();
/** `from`/`to`: the line's promised date in [from, to) (a month's lines, from the OTIF screen). `lateOnly` is a query flag: only "true" turns it on. */
export const ShipmentQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0),
  lateOnly: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  from: isoDate.optional(), to: isoDate.optional(),
  mode: DrillMode,
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
  accountId: z.string().uuid().optional(), from: isoDate.optional(), to: isoDate.optional(), mode: DrillMode,
  limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0),
});

/** The dealer's own on-time share by month (decision 018, no tolerance), the last 12 months; nothing else of OTIF. */
export const PortalDeliverySummary = z.object({
  asOf: isoDate,
  months: z.array(z.object({ month: z.string(), lines: z.number().int(), onTime: z.number().int(), share: z.number().nullable() })),
});

/**
 * An open order line of an account not yet delivered in full: what is still to come, with when it
 * is due. `source` names where the order came from when another module placed it (a signed VMI
 * order: its draft, so the page links to it); null for imported lines.
 */
export const OpenLineOut = z.object({
  id: z.string(), accountId: z.string(), orderNo: z.string(), lineNo: z.string().nullable(),
  productId: z.string().nullable(), productSku: z.string().nullable(), productName: z.object({ en: z.string(), zh: z.string() }).nullable(),
  item: z.string().nullable(), quantity: z.number().nullable(), unit: z.string().nullable(),
  delivered: z.number().describe('Quantity delivered so far'), promisedDate: z.string().nullable(),
  /** `overdue`: promised before today; `due`: today or later; `unscheduled`: no promised date. */
  due: z.enum(['overdue', 'due', 'unscheduled']),
  /** Calendar days from today to the promised date (negative: overdue by that many); null without a promise. */
  daysToPromise: z.number().int().nullable(),
  source: z.object({ kind: z.literal('vmi'), draftId: z.string().nullable() }).nullable(),
});
export type OpenLineOut = z.infer<typeof OpenLineOut>;
export const OpenLinesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0),
});
