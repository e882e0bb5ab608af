import { z } from 'zod';
import { ImportOptions, ImportStatus } from '../sales/sales.contract.js';
import { shipmentFields } from './import.rows.js';
import { shipmentDateFormats } from './shipments.file.js';

const fieldKeys = shipmentFields.map((f) => f.key) as [string, ...string[]];

export const ShipmentImportOptions = z.strictObject({
  encoding: ImportOptions.shape.encoding,
  delimiter: ImportOptions.shape.delimiter,
  dateFormat: z.enum(shipmentDateFormats).default('YYYY-MM-DD').describe('How dates are written (DD-MMM-YY for 02-Jun-06); never guessed'),
  thousandsSeparator: ImportOptions.shape.thousandsSeparator,
  defaultCurrency: ImportOptions.shape.defaultCurrency,
  freightCurrency: z.string().regex(/^[A-Z]{3}$/).nullable().default(null).describe('Currency of the freight column (e.g. USD for "Freight Cost (USD)"); the line currency when null'),
  weightUnit: z.enum(['kg', 'g']).default('kg').describe('Unit of the weight column'),
});
export type ShipmentImportOptions = z.infer<typeof ShipmentImportOptions>;

export const ShipmentMappingIn = z.partialRecord(z.enum(fieldKeys), z.string().max(200))
  .describe('Field → file header, e.g. {"orderNo": "PO / SO #", "accountCode": "Country", "promisedDate": "Scheduled Delivery Date"}');

export const ShipmentImportJob = z.object({
  id: z.string(),
  status: ImportStatus,
  fileName: z.string(),
  fileSize: z.number(),
  format: z.enum(['csv', 'xlsx']),
  dryRun: z.boolean(),
  options: ShipmentImportOptions.nullable(),
  mapping: z.record(z.string(), z.string()).nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  processedLines: z.number().describe('Data rows read so far (excluding the header)'),
  progress: z.number().nullable().describe('0–1 share of the file read (CSV); null when unknown (XLSX)'),
  inserted: z.number().describe('Rows whose order line or shipment was new'),
  updated: z.number().describe('Rows that changed a stored line or shipment'),
  unchanged: z.number().describe('Rows already stored as they are'),
  skipped: z.number().describe('Empty rows'),
  errorCount: z.number().describe('Problems found (a row may have several)'),
  errorRows: z.number().describe('Rows with at least one problem; imported + updated + unchanged + errorRows = processedLines after a check of the whole file'),
  errorsUrl: z.string().nullable().describe('CSV of the problems (line, column, value, reason)'),
  message: z.string().nullable(),
  errorCode: z.string().nullable(),
  fileRemovedAt: z.string().nullable(),
});
export type ShipmentImportJob = z.infer<typeof ShipmentImportJob>;

export const ShipmentUploadQuery = z.strictObject({
  fileName: z.string().trim().min(1).max(200).default('shipments.csv'),
  encoding: ImportOptions.shape.encoding,
  delimiter: ImportOptions.shape.delimiter,
});

export const ShipmentUploadResult = z.object({
  job: ShipmentImportJob,
  headers: z.array(z.string()),
  fields: z.array(z.object({ key: z.string(), required: z.boolean() })),
  suggestedMapping: z.record(z.string(), z.string()),
});

export const ShipmentPreviewBody = z.strictObject({
  mapping: ShipmentMappingIn,
  options: ShipmentImportOptions.default(ShipmentImportOptions.parse({})),
  rows: z.number().int().min(1).max(200).default(20),
});

export const ShipmentPreviewResult = z.object({
  headers: z.array(z.string()),
  headerErrors: z.array(z.object({ column: z.string(), reason: z.string() })),
  rows: z.array(z.object({
    line: z.number(),
    values: z.record(z.string(), z.string()),
    /** The line's key and the shipment's, as they would be stored. */
    sourceKey: z.string().nullable(),
    shipmentKey: z.string().nullable(),
    errors: z.array(z.object({ column: z.string(), value: z.string(), reason: z.string() })),
  })),
});

export const ShipmentStartBody = z.strictObject({
  mapping: ShipmentMappingIn,
  options: ShipmentImportOptions.default(ShipmentImportOptions.parse({})),
  dryRun: z.boolean().default(false),
});
