/**
 * The account's VMI inventory read (issue 17, items 1, 2 and 5; decision 035): per product the
 * latest on hand, what is in transit, the weekly sell-through with the forecast band, and the
 * replay of the last 12 months against what the dealer actually did. Staff only, never the portal.
 */
import { z } from 'zod';

export const InventoryParams = z.object({ accountId: z.string().uuid() });
export const InventoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export const InventoryWeek = z.object({
  /** First day of the 7-day week; weeks end on the as-of date. */
  start: z.string(),
  /** Units sold in the week (derived or reported); null when no stock report covers it. */
  sold: z.number().nullable(),
  /** Units delivered to the dealer in the week (delivery shipments). */
  receipts: z.number(),
  /** The last on hand reported in the week, if any. */
  closing: z.number().nullable(),
});

export const ForecastWeek = z.object({ start: z.string(), point: z.number(), low: z.number(), median: z.number(), high: z.number() });

export const InventoryProduct = z.object({
  productId: z.string(),
  sku: z.string(),
  nameEn: z.string(),
  nameZh: z.string(),
  unit: z.string(),
  onHand: z.number().nullable(),
  onHandDate: z.string().nullable(),
  inTransit: z.number(),
  transit: z.array(z.object({ orderNo: z.string(), quantity: z.number(), promisedDate: z.string().nullable() })),
  /** Mean units sold per week over the weeks with data (up to 13). */
  sellThroughPerWeek: z.number().nullable(),
  /** How the sell-through is known: reported by the dealer, derived (opening + receipts − closing), both, or not at all. */
  sellThroughSource: z.enum(['reported', 'derived', 'mixed', 'none']),
  weeks: z.array(InventoryWeek),
  forecast: z.object({ model: z.string(), levels: z.tuple([z.number(), z.number(), z.number()]), weeks: z.array(ForecastWeek) }).nullable(),
});

export const ReplayFiguresOut = z.object({
  fillRate: z.number(), stockoutDays: z.number(), averageStock: z.number(), averageStockKg: z.number(),
  demand: z.number(), served: z.number(), lost: z.number(), orders: z.number(), units: z.number(),
});

export const InventoryReplay = z.object({
  from: z.string(),
  to: z.string(),
  days: z.number().int(),
  policy: ReplayFiguresOut,
  actual: ReplayFiguresOut,
  products: z.array(z.object({ productId: z.string(), sku: z.string(), policy: ReplayFiguresOut, actual: ReplayFiguresOut })),
  /** The policy and site the replay assumed (the account's VMI settings or the defaults). */
  settings: z.object({ leadTimeDays: z.number(), minDays: z.number(), maxDays: z.number(), rhythm: z.string(), demand: z.string() }),
  method: z.array(z.string()),
  assumptions: z.array(z.string()),
});

export const AccountInventory = z.object({
  accountId: z.string(),
  asOf: z.string(),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  products: z.array(InventoryProduct),
  /** The replay of the products on this page; null with the reason when the data are too short. */
  replay: InventoryReplay.nullable(),
  replayNote: z.string().nullable(),
  /** The same, for the web to say in the reader's language: products left out (too short a history), too short an overlap, nothing to replay. */
  replayIssue: z.object({ kind: z.enum(['leftOut', 'noOverlap', 'noProducts']), skus: z.array(z.string()), days: z.number().int() }).nullable(),
});
export type AccountInventory = z.infer<typeof AccountInventory>;
export type InventoryProduct = z.infer<typeof InventoryProduct>;
