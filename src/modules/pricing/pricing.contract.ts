/**
 * Price lists and price lookups: the lists (scope, currency, priority, validity, break mode), each
 * product's quantity breaks on a list, the quote of a quantity for an account on a date with the
 * reason it came out so, and the import of a list's prices from CSV or XLSX.
 */
import { z } from 'zod';
import { validateBreaks } from './pricing.domain.js';

const text = (o: { min?: number; max: number }) => z.string().trim().min(o.min ?? 0).max(o.max);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'no such day');

export const BreakMode = z.enum(['all-units', 'graduated'])
  .describe('all-units: the rate of the reached break applies to every unit; graduated: each band at its own rate');
export const ScopeKind = z.enum(['account', 'group', 'territory', 'all'])
  .describe('Whom the list prices: one account, a customer group (accounts\' price group), a territory, or everyone');

export const PriceBreak = z.object({
  from: z.number().min(0).max(1e12).describe('The quantity this break starts at (its band runs to the next break\'s, exclusive)'),
  unitPriceMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Unit price in minor units of the list\'s currency'),
});
export type PriceBreak = z.infer<typeof PriceBreak>;

/** Breaks, checked as the domain checks them (increasing, no overlap), each problem at its path. */
export const Breaks = z.array(PriceBreak).min(1).max(100).superRefine((breaks, ctx) => {
  for (const p of validateBreaks(breaks)) ctx.addIssue({ code: 'custom', message: p.reason, path: p.index === null ? [] : [p.index, ...(p.field ? [p.field] : [])] });
}).describe('Quantity breaks in increasing order of `from`; the first from 0, or from a minimum order quantity');

export const PriceList = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  scopeKind: ScopeKind,
  scopeValue: z.string().nullable().describe('account: its id; group: the price group; territory: its id; all: null'),
  scopeLabel: z.string().nullable().describe('The account\'s or territory\'s name, the group itself'),
  scopeLabelEn: z.string().nullable().describe('The English name of the account or territory, when it has one'),
  currency: z.string(),
  priority: z.number().int().describe('Higher wins between lists of the same scope'),
  validFrom: z.string().describe('YYYY-MM-DD, inclusive'),
  validTo: z.string().nullable().describe('YYYY-MM-DD, exclusive; null: open-ended'),
  breakMode: BreakMode,
  note: z.string().nullable(),
  itemCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type PriceList = z.infer<typeof PriceList>;

const listFields = {
  code: text({ min: 1, max: 40 }).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, ., - and _'),
  name: text({ min: 1, max: 120 }),
  scopeKind: ScopeKind,
  scopeValue: text({ min: 1, max: 80 }).nullable(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code such as CNY'),
  priority: z.number().int().min(-1000).max(1000),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  breakMode: BreakMode,
  note: text({ max: 500 }).nullable(),
};

const checkWindow = (b: { validFrom?: string | undefined; validTo?: string | null | undefined }, ctx: z.RefinementCtx) => {
  if (b.validFrom && b.validTo && b.validTo <= b.validFrom) ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'must be after validFrom (validTo is exclusive)' });
};
const checkScope = (b: { scopeKind?: string | undefined; scopeValue?: string | null | undefined }, ctx: z.RefinementCtx) => {
  if (b.scopeKind === 'all' && b.scopeValue) ctx.addIssue({ code: 'custom', path: ['scopeValue'], message: 'a list for everyone has no scope value' });
  if (b.scopeKind && b.scopeKind !== 'all' && b.scopeValue === null) ctx.addIssue({ code: 'custom', path: ['scopeValue'], message: `a ${b.scopeKind} list names its ${b.scopeKind}` });
};

export const CreatePriceListBody = z.strictObject({
  ...listFields,
  scopeValue: listFields.scopeValue.default(null),
  currency: listFields.currency.default('CNY'),
  priority: listFields.priority.default(0),
  validTo: listFields.validTo.default(null),
  breakMode: listFields.breakMode.default('all-units'),
  note: listFields.note.default(null),
}).superRefine((b, ctx) => { checkWindow(b, ctx); checkScope(b, ctx); });
export type CreatePriceListBody = z.infer<typeof CreatePriceListBody>;

export const UpdatePriceListBody = z.strictObject({
  name: listFields.name.optional(),
  scopeKind: listFields.scopeKind.optional(),
  scopeValue: listFields.scopeValue.optional(),
  currency: listFields.currency.optional(),
  priority: listFields.priority.optional(),
  validFrom: listFields.validFrom.optional(),
  validTo: listFields.validTo.optional(),
  breakMode: listFields.breakMode.optional(),
  note: listFields.note.optional(),
  version: z.number().int().describe('The version read: a change by someone else since is refused (412)'),
});
export type UpdatePriceListBody = z.infer<typeof UpdatePriceListBody>;

export const PriceListQuery = z.strictObject({
  q: z.string().trim().max(100).optional().describe('Part of the name or code'),
  scopeKind: ScopeKind.optional(),
  activeOn: isoDate.optional().describe('Only lists in force on this date'),
  sort: z.string().max(40).optional().describe('name, code, priority, validFrom, updatedAt; - for descending'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const PriceListItem = z.object({
  productId: z.string(),
  sku: z.string(),
  productName: z.string(),
  productNameEn: z.string(),
  unit: z.string(),
  breaks: z.array(PriceBreak),
  baseUnitPriceMinor: z.number().int().describe('The first break\'s unit price (the list price)'),
  minQuantity: z.number().describe('The first break\'s quantity: below it the list has no price'),
  updatedAt: z.string(),
});
export type PriceListItem = z.infer<typeof PriceListItem>;

export const ItemQuery = z.strictObject({
  q: z.string().trim().max(100).optional().describe('Part of the SKU or product name'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export const PutItemBody = z.strictObject({ breaks: Breaks });
export const itemParams = z.object({ id: z.string().uuid(), productId: z.string().uuid() });

export const QuoteQuery = z.strictObject({
  accountId: z.string().uuid(),
  productId: z.string().uuid(),
  quantity: z.coerce.number().positive().max(1e12),
  date: isoDate.optional().describe('The day priced; today (company calendar) when omitted'),
});

export const QuoteBand = z.object({ from: z.number(), to: z.number().nullable(), quantity: z.number(), unitPriceMinor: z.number().int(), amountMinor: z.number().int() });
export const WinRule = z.enum(['scope', 'priority', 'validFrom', 'id']);

export const PriceQuote = z.object({
  listId: z.string(),
  listName: z.string(),
  listCode: z.string(),
  scope: z.object({ kind: ScopeKind, value: z.string().nullable() }),
  currency: z.string(),
  breakMode: BreakMode,
  quantity: z.number(),
  date: z.string(),
  breakIndex: z.number().int(),
  unitPriceMinor: z.number().int().describe('Effective: total / quantity, rounded half-up to a whole minor unit'),
  totalMinor: z.number().int().describe('Exact: each band\'s rate × quantity rounded half-up once, summed'),
  baseUnitPriceMinor: z.number().int().describe('The price of the first break (the list price)'),
  bands: z.array(QuoteBand),
  why: z.object({
    rule: z.enum(['scope', 'priority', 'validFrom', 'id', 'only']).describe('What set the winning list apart from the strongest other list that applied (only: no other applied)'),
    break: z.object({ index: z.number().int(), from: z.number(), to: z.number().nullable() }).describe('The break the quantity reached: [from, to)'),
    losers: z.array(z.object({ listId: z.string(), listName: z.string(), scopeKind: ScopeKind, priority: z.number().int(), validFrom: z.string(), lostOn: WinRule })),
  }),
});
export type PriceQuote = z.infer<typeof PriceQuote>;
export const QuoteResponse = z.object({ price: PriceQuote.nullable().describe('null: no list in force on the date covers this account and product') });

export const ImportQuery = z.strictObject({
  fileName: z.string().max(255).default('upload'),
  encoding: z.enum(['utf-8', 'gb18030', 'gbk']).default('utf-8'),
  delimiter: z.enum([',', ';', '\t', '|']).default(','),
  replace: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('true: products not in the file are taken off the list'),
  dryRun: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
export const ImportLineError = z.object({ line: z.number().int(), column: z.string(), value: z.string(), reason: z.string() });
export const ImportResult = z.object({
  applied: z.boolean().describe('false: nothing was written (a bad line, or a dry run)'),
  lines: z.number().int().describe('Lines of prices read (not the header, not blank lines)'),
  products: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  removed: z.number().int(),
  errors: z.array(ImportLineError).describe('Every bad line (the first 1,000), with its line number in the file'),
  errorCount: z.number().int(),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const PriceGroupBody = z.strictObject({ priceGroup: text({ min: 1, max: 80 }).nullable() });
export const AccountPricing = z.object({
  accountId: z.string(),
  priceGroup: z.string().nullable(),
  territoryId: z.string().nullable(),
  date: z.string(),
  lists: z.array(PriceList.extend({ matchedBy: ScopeKind, rank: z.number().int().describe('1: the strongest list for this account (a product it lacks falls to the next)') })),
});
export const PriceGroups = z.object({ items: z.array(z.object({ group: z.string(), accounts: z.number().int() })) });
