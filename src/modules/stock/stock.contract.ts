import { z } from 'zod';
import { accountNames } from '../../platform/names.contract.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD');
const text = (max: number) => z.string().trim().min(1).max(max);
const quantity = z.number().int().min(-1_000_000_000).max(1_000_000_000);

const reportFields = {
  sku: text(100).nullish().describe('A catalogue product by its SKU; give this or `item`'),
  item: text(300).nullish().describe('The source\'s own text for a product not in the catalogue'),
  reportDate: isoDate,
  onHand: quantity.describe('Units on hand on the report date; 0 or less is out of stock'),
  soldSinceLast: z.number().int().min(0).max(1_000_000_000).nullish().describe('Units sold since the previous report (sell-through); leave out when not known'),
  unit: text(40).nullish(),
};

/** One stock report of a batch: a dealer (by code), a product (SKU) or item text, a date, on hand and optionally sold since the last report. */
export const StockReportInput = z.strictObject({ sourceKey: text(200), accountCode: text(100), ...reportFields });
export type StockReportInput = z.infer<typeof StockReportInput>;
export const StockReportBatch = z.strictObject({ reports: z.array(StockReportInput).min(1).max(5000), dryRun: z.boolean().default(false) });
export const StockBatchResult = z.object({ dryRun: z.boolean(), inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });

/** The dealer's own report from the portal: its account is the signed-in dealer's; one report per product and date (a second one corrects it). */
export const PortalStockReportInput = z.strictObject(reportFields);
export const PortalStockBatch = z.strictObject({ reports: z.array(PortalStockReportInput).min(1).max(200) });

export const StockOutsQuery = z.object({
  from: isoDate.optional().describe('Inclusive; default 90 days before today'),
  to: isoDate.optional().describe('Exclusive; default tomorrow'),
  accountId: z.string().uuid().optional(),
});

export const Cause = z.object({
  lineId: z.string(), orderNo: z.string(), lineNo: z.string().nullable(), promisedDate: z.string(), deliveredDate: z.string().nullable(),
  reason: z.enum(['late', 'missing', 'cancelled']), daysLate: z.number().int(),
});
export const SpellOut = z.object({
  start: z.string(), end: z.string().nullable().describe('The report date stock was back (exclusive); null while still out'),
  daysOut: z.number().int().describe('Days out inside the period'),
  rate: z.object({ sold: z.number(), days: z.number() }).nullable().describe('Sell-through before the spell: units sold over days; null: unknown'),
  lostQuantity: z.number().nullable(),
  lostValueMinor: z.number().int().nullable().optional(),
  causes: z.array(Cause),
});

const productRef = {
  productId: z.string().nullable(), sku: z.string().nullable(), productNameEn: z.string().nullable(), productNameZh: z.string().nullable(),
  item: z.string().nullable(), unit: z.string().nullable(),
};

/** Stock-outs of one dealer and product in the period. `lostValueMinor`/`currency` are internal (absent in the portal). */
export const StockOutRow = z.object({
  accountId: z.string(), accountCode: z.string(), ...accountNames, ...productRef,
  daysOut: z.number().int(), daysUnknown: z.number().int().describe('Days out whose lost sales are unknown (no sell-through reported before)'),
  lostQuantity: z.number().nullable(), lostValueMinor: z.number().int().nullable().optional(), currency: z.string().nullable().optional(),
  outNow: z.boolean(), spells: z.array(SpellOut),
});
export type StockOutRow = z.infer<typeof StockOutRow>;
export const StockOuts = z.object({ asOf: z.string(), from: z.string(), to: z.string(), items: z.array(StockOutRow) });

export const LatestStock = z.object({
  ...productRef, reportDate: z.string(), onHand: z.number(), soldSinceLast: z.number().nullable(),
  outSince: z.string().nullable().describe('The start of the stock-out it is in, when out now'),
});
export type LatestStock = z.infer<typeof LatestStock>;
export const AccountStock = z.object({ asOf: z.string(), from: z.string(), to: z.string(), latest: z.array(LatestStock), outs: z.array(StockOutRow) });
export type AccountStock = z.infer<typeof AccountStock>;
