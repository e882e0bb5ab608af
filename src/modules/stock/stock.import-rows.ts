/**
 * Stock report file rows, pure (decision 031): the fields a stock file may map, the mapping
 * suggested from its header, and one row of cells made into a report or its problems with their
 * column and value. A dealer's own file may leave out the dealer column (every row is its own);
 * staff must map it. Nothing is guessed: a date is read in the format chosen, on hand is a whole
 * number (0 or less is out of stock), a blank sold column is "not reported", never 0.
 */
import { type Cell, cellText, type LineError, nulReason, parseQuantity, type ThousandsSeparator } from '../sales/sales.domain.js';
import { NUL } from '../../shared/text.js';
import { parseShipmentDate, type ShipmentDateFormat } from '../delivery/shipments.file.js';

export type StockField = 'accountCode' | 'sku' | 'item' | 'reportDate' | 'onHand' | 'soldSinceLast' | 'unit';
/** Who imports: staff name the dealer on each row; the dealer's own file need not. */
export type StockImportAudience = 'staff' | 'portal';

const fieldList: { key: StockField; synonyms: string[] }[] = [
  { key: 'accountCode', synonyms: ['account code', 'dealer code', 'dealer', 'customer code', 'account', '客户编码', '经销商编码', '经销商'] },
  { key: 'sku', synonyms: ['sku', 'product code', 'item code', 'material', '物料编码', '产品编码'] },
  { key: 'item', synonyms: ['item', 'product', 'item description', 'product name', 'description', '产品', '物料', '品名', '产品名称'] },
  { key: 'reportDate', synonyms: ['report date', 'date', 'stock date', 'as of', 'count date', '日期', '盘点日期', '库存日期'] },
  { key: 'onHand', synonyms: ['on hand', 'stock', 'qty on hand', 'quantity on hand', 'inventory', 'on hand qty', '库存', '库存数量', '现有库存'] },
  { key: 'soldSinceLast', synonyms: ['sold', 'sold since last', 'sell through', 'sell-through', 'sales qty', 'sold qty', '销量', '销售数量'] },
  { key: 'unit', synonyms: ['unit', 'uom', '单位'] },
];

/** Each field and whether it must be mapped, for the audience. A product column (SKU or item) must be mapped as well. */
export const stockFieldsFor = (a: StockImportAudience): { key: StockField; required: boolean }[] =>
  fieldList.map((f) => ({ key: f.key, required: f.key === 'reportDate' || f.key === 'onHand' || (f.key === 'accountCode' && a === 'staff') }));

export type StockMapping = Partial<Record<StockField, string>>;
export type StockParse = { dateFormat: ShipmentDateFormat; thousandsSeparator: ThousandsSeparator };
export type ResolvedStockMapping = { index: Partial<Record<StockField, number>>; header: Partial<Record<StockField, string>> };

const norm = (s: string) => s.trim().toLowerCase();

/** The mapping suggested for a header: each field to the first column named like it (order_no reads as "order no"). */
export function suggestStockMapping(headers: string[]): StockMapping {
  const out: StockMapping = {};
  const used = new Set<number>();
  for (const f of fieldList) {
    const names = [f.key.toLowerCase(), ...f.synonyms];
    const i = headers.findIndex((h, j) => !used.has(j) && names.includes(norm(h).replace(/[_]+/g, ' ')));
    if (i >= 0) { out[f.key] = headers[i]!; used.add(i); }
  }
  return out;
}

/** The mapping against the file's header: every named column must exist, the required fields and a product column be mapped. */
export function resolveStockMapping(headers: string[], mapping: StockMapping, audience: StockImportAudience): { resolved: ResolvedStockMapping; errors: LineError[] } {
  const index: ResolvedStockMapping['index'] = {};
  const header: ResolvedStockMapping['header'] = {};
  const errors: LineError[] = [];
  for (const f of stockFieldsFor(audience)) {
    const name = mapping[f.key];
    if (!name) {
      if (f.required) errors.push({ line: 1, column: '', value: f.key, reason: `the field ${f.key} must be mapped to a column` });
      continue;
    }
    const i = headers.findIndex((h) => norm(h) === norm(name));
    if (i < 0) errors.push({ line: 1, column: name, value: f.key, reason: `no column "${name}" in the header` });
    else { index[f.key] = i; header[f.key] = headers[i]!; }
  }
  if (!mapping.sku && !mapping.item) errors.push({ line: 1, column: '', value: 'sku', reason: 'map the product: a SKU column, an item column, or both' });
  return { resolved: { index, header }, errors };
}

/** One report as the file gives it; `accountCode` null when the dealer's own file has no dealer column. */
export type StockFileRow = {
  accountCode: string | null; sku: string | null; item: string | null; reportDate: string; onHand: number; soldSinceLast: number | null; unit: string | null;
};

const limits: Partial<Record<StockField, number>> = { accountCode: 100, sku: 100, item: 300, unit: 40 };
const MAX_QTY = 1_000_000_000;

/** One data row: its report, or its problems. A date after `today` (the dealer's day) is refused. */
export function validateStockRow(cells: Cell[], line: number, m: ResolvedStockMapping, o: StockParse & { today: string }): { row: StockFileRow | null; errors: LineError[] } {
  const errors: LineError[] = [];
  const raw = (f: StockField): string => (m.index[f] === undefined ? '' : cellText(cells[m.index[f]!]));
  const err = (f: StockField, reason: string) => errors.push({ line, column: m.header[f] ?? f, value: raw(f), reason });
  const text = (f: StockField): string | null => {
    const v = raw(f);
    if (v === '') return null;
    if (v.includes(NUL)) { err(f, nulReason); return null; }
    const max = limits[f];
    if (max !== undefined && v.length > max) { err(f, `longer than ${max} characters`); return null; }
    return v;
  };
  const whole = (f: StockField, min: number): number | null => {
    if (raw(f) === '') return null;
    const q = parseQuantity(cells[m.index[f]!], o.thousandsSeparator);
    if (!q.ok) { err(f, `${q.reason}: not a quantity`); return null; }
    if (!Number.isInteger(q.value) || q.value < min || q.value > MAX_QTY) { err(f, min === 0 ? 'not a whole number ≥ 0' : 'not a whole number'); return null; }
    return q.value;
  };

  const accountCode = text('accountCode');
  if (m.index.accountCode !== undefined && raw('accountCode') === '') err('accountCode', 'missing dealer code');
  const sku = text('sku'), item = text('item'), unit = text('unit');
  if (raw('sku') === '' && raw('item') === '') err(m.index.sku !== undefined ? 'sku' : 'item', 'missing product: give its SKU or the item as text');
  let reportDate: string | null = null;
  if (raw('reportDate') === '') err('reportDate', 'missing date');
  else {
    reportDate = parseShipmentDate(cells[m.index.reportDate!], o.dateFormat);
    if (reportDate === null) err('reportDate', `not a date in the format ${o.dateFormat}`);
    else if (reportDate > o.today) err('reportDate', `after today (${o.today})`);
  }
  const onHand = whole('onHand', -MAX_QTY);
  if (raw('onHand') === '') err('onHand', 'missing quantity on hand');
  const soldSinceLast = whole('soldSinceLast', 0);
  if (errors.length) return { row: null, errors };
  return { row: { accountCode, sku, item: sku ? null : item, reportDate: reportDate!, onHand: onHand!, soldSinceLast, unit }, errors };
}
