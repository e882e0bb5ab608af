import { z } from 'zod';
import { ShipmentImportJob } from '../delivery/import.contract.js';
import { shipmentDateFormats } from '../delivery/shipments.file.js';
import { ImportOptions } from '../sales/sales.contract.js';

const fieldKeys = ['accountCode', 'sku', 'item', 'reportDate', 'onHand', 'soldSinceLast', 'unit'] as const;

export const StockImportOptions = z.strictObject({
  encoding: ImportOptions.shape.encoding,
  delimiter: ImportOptions.shape.delimiter,
  dateFormat: z.enum(shipmentDateFormats).default('YYYY-MM-DD').describe('How dates are written; never guessed'),
  thousandsSeparator: ImportOptions.shape.thousandsSeparator,
});
export type StockImportOptions = z.infer<typeof StockImportOptions>;

export const StockMappingIn = z.partialRecord(z.enum(fieldKeys), z.string().max(200))
  .describe('Field → file header, e.g. {"accountCode": "经销商编码", "sku": "SKU", "reportDate": "日期", "onHand": "库存"}');

/** A stock import's job: the shipment import's job (decision 026) with this import's options and counts of reports. */
export const StockImportJob = ShipmentImportJob.omit({ createdBy: true }).extend({
  options: StockImportOptions.nullable(),
  inserted: z.number().describe('Reports new'),
  updated: z.number().describe('Reports that corrected a stored one (same dealer, product and date)'),
  unchanged: z.number().describe('Reports already stored as they are'),
});
export type StockImportJob = z.infer<typeof StockImportJob>;

export const StockUploadQuery = z.strictObject({
  fileName: z.string().trim().min(1).max(200).default('stock.csv'),
  encoding: ImportOptions.shape.encoding,
  delimiter: ImportOptions.shape.delimiter,
});

export const StockUploadResult = z.object({
  job: StockImportJob,
  headers: z.array(z.string()),
  fields: z.array(z.object({ key: z.string(), required: z.boolean() })),
  suggestedMapping: z.record(z.string(), z.string()),
});

export const StockPreviewBody = z.strictObject({
  mapping: StockMappingIn,
  options: StockImportOptions.default(StockImportOptions.parse({})),
  rows: z.number().int().min(1).max(200).default(20),
});

export const StockPreviewResult = z.object({
  headers: z.array(z.string()),
  headerErrors: z.array(z.object({ column: z.string(), reason: z.string() })),
  rows: z.array(z.object({
    line: z.number(),
    values: z.record(z.string(), z.string()),
    /** What the row would do: a new report, a correction of a stored one, nothing (stored as it is); null for a bad row. */
    outcome: z.enum(['inserted', 'updated', 'unchanged']).nullable(),
    errors: z.array(z.object({ column: z.string(), value: z.string(), reason: z.string() })),
  })),
});

export const StockStartBody = z.strictObject({
  mapping: StockMappingIn,
  options: StockImportOptions.default(StockImportOptions.parse({})),
  dryRun: z.boolean().default(false),
});
