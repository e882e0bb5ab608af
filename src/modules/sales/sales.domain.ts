/**
 * Import rules, pure: which fields each import kind has, how file headers map to them, and how
 * one cell of text becomes a date, a quantity or an amount in minor units. No I/O here.
 */
import { currencyDigits } from '../../shared/money.js';
import { NUL } from '../../shared/text.js';

export type ImportKind = 'sales' | 'accounts' | 'products';
export const dateFormats = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY/MM/DD', 'YYYYMMDD'] as const;
export type DateFormat = (typeof dateFormats)[number];
export type ThousandsSeparator = ',' | ' ' | "'" | '';

export type ParseOptions = {
  dateFormat: DateFormat;
  thousandsSeparator: ThousandsSeparator;
  /** Currency for lines when the file has no currency column. */
  defaultCurrency: string | null;
};

/** One cell as a reader gives it: CSV gives text; XLSX may give numbers and dates. */
export type Cell = string | number | Date | boolean | null;

/** A bad line: physical line number (header = 1; XLSX row number), column header, the value, why. */
export type LineError = { line: number; column: string; value: string; reason: string };

/** Why a cell of text that would be stored as is was refused (PostgreSQL cannot store U+0000; SQLite could). */
export const nulReason = 'contains the NUL character (U+0000)';

export type FieldSpec = { key: string; required: boolean; synonyms: string[] };

const f = (key: string, required: boolean, synonyms: string[]): FieldSpec => ({ key, required, synonyms });

/** The fields of each import kind, with the headers (English and Chinese) recognised for each. */
export const fieldsOf: Record<ImportKind, FieldSpec[]> = {
  sales: [
    f('date', true, ['date', 'invoice date', 'document date', 'posting date', '日期', '单据日期', '开票日期', '销售日期']),
    f('accountCode', true, ['account', 'account code', 'customer', 'customer code', 'dealer code', '客户编码', '客户代码', '客户编号', '经销商编码']),
    f('sku', true, ['sku', 'product', 'product code', 'item', 'item code', 'material', '物料编码', '产品编码', '商品编码', '存货编码']),
    f('quantity', true, ['quantity', 'qty', '数量']),
    f('netAmount', true, ['net amount', 'amount', 'net', 'net sales', 'revenue', '金额', '净额', '销售额', '不含税金额', '净销售额']),
    f('currency', false, ['currency', 'curr', '币种', '货币']),
    f('docNo', true, ['document', 'document number', 'doc no', 'doc', 'invoice', 'invoice number', 'order number', '单据号', '单据编号', '发票号', '订单号']),
    f('lineNo', true, ['line', 'line number', 'line no', 'item no', '行号', '行']),
    f('costAmount', false, ['cost', 'cost amount', 'cogs', '成本', '成本金额']),
  ],
  accounts: [
    f('code', true, ['code', 'account code', 'customer code', '客户编码', '客户代码', '编码']),
    f('name', true, ['name', 'account name', 'customer name', '客户名称', '名称']),
    f('nameEn', false, ['english name', 'name en', 'name (en)', '英文名称']),
    f('kind', true, ['kind', 'type', 'account type', '类型', '客户类型']),
    f('province', false, ['province', '省份', '省']),
    f('city', false, ['city', '城市', '市']),
    f('status', false, ['status', '状态']),
    f('currency', false, ['currency', '币种']),
  ],
  products: [
    f('sku', true, ['sku', 'product code', 'item code', '物料编码', '产品编码', '商品编码']),
    f('nameZh', true, ['chinese name', 'name zh', 'name (zh)', '名称', '中文名称', '产品名称']),
    f('nameEn', true, ['english name', 'name en', 'name (en)', 'name', '英文名称']),
    f('unit', true, ['unit', 'uom', '单位']),
    f('packSize', false, ['pack size', 'pack', '包装规格', '包装数量']),
    f('category', true, ['category', 'product category', '类别', '产品类别', '品类']),
  ],
};

/** Field key → file header. */
export type Mapping = Record<string, string>;

const norm = (s: string) => s.trim().toLowerCase().replace(/[\s_\-.:：]+/g, ' ').trim();

/** A mapping guessed from the header names (exact match on a known synonym, case and spacing ignored). */
export function suggestMapping(kind: ImportKind, headers: string[]): Mapping {
  const out: Mapping = {};
  const taken = new Set<string>();
  for (const field of fieldsOf[kind]) {
    const names = new Set([norm(field.key), ...field.synonyms.map(norm)]);
    const h = headers.find((x) => !taken.has(x) && names.has(norm(x)));
    if (h !== undefined) { out[field.key] = h; taken.add(h); }
  }
  return out;
}

export type ResolvedMapping = { index: Record<string, number>; header: Record<string, string> };

/**
 * Column positions of the mapped fields. Required fields missing from the mapping or from the header
 * (unless a default covers them: currency with `defaultCurrency`) are errors on line 1.
 */
export function resolveMapping(kind: ImportKind, headers: string[], mapping: Mapping, opts: Pick<ParseOptions, 'defaultCurrency'>): { resolved: ResolvedMapping; errors: LineError[] } {
  const index: Record<string, number> = {};
  const header: Record<string, string> = {};
  const errors: LineError[] = [];
  const trimmed = headers.map((h) => h.trim());
  for (const field of fieldsOf[kind]) {
    const name = mapping[field.key];
    const i = name === undefined ? -1 : trimmed.indexOf(name.trim());
    if (i >= 0) { index[field.key] = i; header[field.key] = trimmed[i]!; continue; }
    const missing = (reason: string) => errors.push({ line: 1, column: name ?? field.key, value: '', reason });
    const whyMissing = name === undefined ? `required column ${field.key} is not mapped` : 'required column is missing';
    if (kind === 'sales' && field.key === 'currency') {
      // Currency is required per line unless the import names a default for the whole file.
      if (!opts.defaultCurrency) missing(whyMissing);
    } else if (field.required) missing(whyMissing);
    else if (name !== undefined) missing('mapped column is missing');
  }
  return { resolved: { index, header }, errors };
}

/** Text of a cell; XLSX dates become YYYY-MM-DD (UTC), numbers their shortest decimal form. */
export function cellText(c: Cell | undefined): string {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? '' : c.toISOString().slice(0, 10);
  if (typeof c === 'number') return Number.isFinite(c) ? String(c) : '';
  return String(c).trim();
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

const datePatterns: Record<DateFormat, RegExp> = {
  'YYYY-MM-DD': /^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})$/,
  'DD/MM/YYYY': /^(?<d>\d{1,2})\/(?<m>\d{1,2})\/(?<y>\d{4})$/,
  'MM/DD/YYYY': /^(?<m>\d{1,2})\/(?<d>\d{1,2})\/(?<y>\d{4})$/,
  'YYYY/MM/DD': /^(?<y>\d{4})\/(?<m>\d{1,2})\/(?<d>\d{1,2})$/,
  YYYYMMDD: /^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$/,
};

/**
 * A date in the chosen format as YYYY-MM-DD, or null (wrong shape, or no such day). The format is
 * never guessed: 03/04/2026 means what the chosen format says. A real date cell of an XLSX file is
 * taken as it is (it carries no format ambiguity).
 */
export function parseDate(c: Cell | undefined, format: DateFormat): string | null {
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? null : c.toISOString().slice(0, 10);
  if (format === 'YYYY-MM-DD' && typeof c === 'string' && c.length === 10 && c[4] === '-' && c[7] === '-') {
    // The common case without a regular expression (millions of lines per import).
    const y = Number(c.slice(0, 4)), mo = Number(c.slice(5, 7)), d = Number(c.slice(8, 10));
    if (!(y >= 1900 && y <= 2999 && mo >= 1 && mo <= 12 && d >= 1 && Number.isInteger(y + mo + d))) return null;
    return d <= 28 || d <= daysIn(y, mo) ? c : null;
  }
  const m = datePatterns[format].exec(cellText(c));
  if (!m?.groups) return null;
  const y = Number(m.groups.y), mo = Number(m.groups.m), d = Number(m.groups.d);
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Removes the thousands separator and turns accounting negatives "(12.30)" into "-12.30". */
function plainNumber(text: string, sep: ThousandsSeparator): string {
  let s = text.trim();
  if (sep && s.includes(sep)) s = s.split(sep).join('');
  if (s.charCodeAt(0) === 40 && s.endsWith(')')) s = `-${s.slice(1, -1)}`;
  return s;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const pow10 = [1, 10, 100, 1000, 10000, 100000, 1000000];

/**
 * The common shape of an amount, `[-]digits[.digits]` with at most 15 integer digits and no more
 * decimals than `digits`, in minor units without a regular expression; null for any other text
 * (the general path then decides, with the same result for the texts both accept).
 */
export function fastMinor(s: string, digits: number): number | null {
  const n = s.length;
  if (n === 0 || digits > 6) return null;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  const neg = i === 1;
  let v = 0;
  const intStart = i;
  let c = 0;
  for (; i < n; i++) { c = s.charCodeAt(i); if (c < 48 || c > 57) break; v = v * 10 + (c - 48); }
  const intDigits = i - intStart;
  if (intDigits === 0 || intDigits > 15) return null;
  let frac = 0;
  let fd = 0;
  if (i < n) {
    if (c !== 46) return null;
    for (i++; i < n; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57 || fd >= digits) return null;
      frac = frac * 10 + (c - 48);
      fd++;
    }
  }
  const minor = v * pow10[digits]! + frac * pow10[digits - fd]!;
  if (!Number.isSafeInteger(minor)) return null;
  return neg ? -minor : minor;
}

/** The common shape of a quantity, `[-]digits[.digits]` (at most 12 integer and 6 decimal digits), or null. */
export function fastQuantity(s: string): number | null {
  const n = s.length;
  if (n === 0) return null;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  const intStart = i;
  let c = 0;
  for (; i < n; i++) { c = s.charCodeAt(i); if (c < 48 || c > 57) break; }
  const intDigits = i - intStart;
  if (intDigits === 0 || intDigits > 12) return null;
  if (i < n) {
    if (c !== 46 || n - i - 1 > 6) return null;
    for (i++; i < n; i++) { c = s.charCodeAt(i); if (c < 48 || c > 57) return null; }
  }
  const v = Number(s);
  return Math.abs(v) > 1e12 ? null : v === 0 ? 0 : v;
}

/** An amount in minor units of the currency: exact, negative allowed (returns), no more decimals than the currency has. */
export function parseAmount(c: Cell | undefined, currency: string, sep: ThousandsSeparator): Parsed<number> {
  if (typeof c === 'string') {
    const v = fastMinor(c, currencyDigits(currency));
    if (v !== null) return { ok: true, value: v };
  }
  const s = plainNumber(cellText(c), sep);
  const m = /^([+-])?(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return { ok: false, reason: 'not a number' };
  const digits = currencyDigits(currency);
  const frac = m[3] ?? '';
  if (frac.length > digits && /[1-9]/.test(frac.slice(digits))) return { ok: false, reason: `more than ${digits} decimal places for ${currency}` };
  const minor = Number(m[2]) * 10 ** digits + Number((frac + '0'.repeat(digits)).slice(0, digits) || '0');
  if (!Number.isSafeInteger(minor)) return { ok: false, reason: 'too large' };
  return { ok: true, value: m[1] === '-' ? -minor : minor };
}

/** A quantity: decimal, negative allowed (returns), at most 6 decimal places. */
export function parseQuantity(c: Cell | undefined, sep: ThousandsSeparator): Parsed<number> {
  if (typeof c === 'string') {
    const v = fastQuantity(c);
    if (v !== null) return { ok: true, value: v };
  }
  const s = plainNumber(cellText(c), sep);
  const m = /^[+-]?\d+(?:\.(\d*))?$/.exec(s);
  if (!m) return { ok: false, reason: 'not a number' };
  if ((m[1] ?? '').replace(/0+$/, '').length > 6) return { ok: false, reason: 'more than 6 decimal places' };
  const v = Number(s);
  if (!Number.isFinite(v) || Math.abs(v) > 1e12) return { ok: false, reason: 'too large' };
  return { ok: true, value: v === 0 ? 0 : v };
}

const currencyAliases: Record<string, string> = { RMB: 'CNY', '人民币': 'CNY', '¥': 'CNY', '￥': 'CNY', 'US$': 'USD', '美元': 'USD', '欧元': 'EUR', '港币': 'HKD' };
let isoCurrencies: Set<string> | undefined;

/** An ISO 4217 code ("cny", "RMB" and "人民币" are read as CNY), or null. */
const currencyCache = new Map<string, string | null>();

export function parseCurrency(text: string): string | null {
  const hit = currencyCache.get(text);
  if (hit !== undefined) return hit;
  const r = parseCurrencyUncached(text);
  if (currencyCache.size < 1000) currencyCache.set(text, r);
  return r;
}

function parseCurrencyUncached(text: string): string | null {
  const s = text.trim();
  const code = currencyAliases[s] ?? currencyAliases[s.toUpperCase()] ?? s.toUpperCase();
  isoCurrencies ??= new Set(Intl.supportedValuesOf('currency'));
  return /^[A-Z]{3}$/.test(code) && isoCurrencies.has(code) ? code : null;
}

export type SalesRow = {
  docNo: string; lineNo: number; date: string; accountCode: string; sku: string; quantity: number;
  netMinor: number; costMinor: number | null; currency: string;
};

/** True when every cell is empty: such lines are skipped, not errors. */
export const isBlank = (cells: Cell[]): boolean => cells.every((c) => cellText(c) === '');

/**
 * Validates one sales line. Every problem of the line is reported (not only the first), each
 * with its column; account codes and SKUs are checked by the caller against the database.
 */
export function validateSalesRow(cells: Cell[], line: number, m: ResolvedMapping, o: ParseOptions): { row: SalesRow | null; errors: LineError[] } {
  const errors: LineError[] = [];
  const ix = m.index;
  const dateCell = cells[ix.date!];
  const date = present(dateCell) ? parseDate(dateCell, o.dateFormat) : null;
  if (!present(dateCell)) bad(errors, m, cells, line, 'date', 'missing value');
  else if (date === null) bad(errors, m, cells, line, 'date', `not a valid date in the format ${o.dateFormat}`);
  const accountCode = requiredText(errors, m, cells, line, 'accountCode');
  const sku = requiredText(errors, m, cells, line, 'sku');
  const docNo = requiredText(errors, m, cells, line, 'docNo');
  if (docNo !== null && docNo.length > 64) bad(errors, m, cells, line, 'docNo', 'longer than 64 characters');
  // The document number is the one cell of a sales line stored as written: the others become
  // dates, numbers or currencies, or are looked up as account codes and SKUs.
  else if (docNo !== null && docNo.includes(NUL)) bad(errors, m, cells, line, 'docNo', nulReason);
  const lineText = requiredText(errors, m, cells, line, 'lineNo');
  const lineNo = lineText === null ? null : /^\d{1,9}$/.test(lineText) && Number(lineText) > 0 ? Number(lineText) : null;
  if (lineText !== null && lineNo === null) bad(errors, m, cells, line, 'lineNo', 'not a positive whole number');

  let currency: string | null = null;
  if (ix.currency !== undefined) {
    const t = requiredText(errors, m, cells, line, 'currency');
    if (t !== null) { currency = parseCurrency(t); if (!currency) bad(errors, m, cells, line, 'currency', 'unknown currency'); }
  } else currency = o.defaultCurrency;

  const cur = currency ?? 'CNY';
  let quantity: number | null = null;
  if (requiredText(errors, m, cells, line, 'quantity') !== null) {
    const q = parseQuantity(cells[ix.quantity!], o.thousandsSeparator);
    if (q.ok) quantity = q.value; else bad(errors, m, cells, line, 'quantity', q.reason);
  }
  let netMinor: number | null = null;
  if (requiredText(errors, m, cells, line, 'netAmount') !== null) {
    const a = parseAmount(cells[ix.netAmount!], cur, o.thousandsSeparator);
    if (a.ok) netMinor = a.value; else bad(errors, m, cells, line, 'netAmount', a.reason);
  }
  let costMinor: number | null = null;
  if (ix.costAmount !== undefined && present(cells[ix.costAmount])) {
    const a = parseAmount(cells[ix.costAmount], cur, o.thousandsSeparator);
    if (a.ok) costMinor = a.value; else bad(errors, m, cells, line, 'costAmount', a.reason);
  }
  if (errors.length) return { row: null, errors };
  return { row: { docNo: docNo!, lineNo: lineNo!, date: date!, accountCode: accountCode!, sku: sku!, quantity: quantity!, netMinor: netMinor!, costMinor, currency: currency! }, errors };
}

// Module-level helpers (not closures): validateSalesRow runs millions of times per import.
const present = (c: Cell | undefined): boolean => (typeof c === 'string' ? c !== '' && c.trim() !== '' : cellText(c) !== '');

function bad(errors: LineError[], m: ResolvedMapping, cells: Cell[], line: number, key: string, reason: string): void {
  const i = m.index[key];
  errors.push({ line, column: m.header[key] ?? key, value: i === undefined ? '' : cellText(cells[i]), reason });
}

function requiredText(errors: LineError[], m: ResolvedMapping, cells: Cell[], line: number, key: string): string | null {
  const c = cells[m.index[key]!];
  const t = typeof c === 'string' ? (c.length && c.charCodeAt(0) > 32 && c.charCodeAt(c.length - 1) > 32 ? c : c.trim()) : cellText(c);
  if (t === '') { bad(errors, m, cells, line, key, 'missing value'); return null; }
  return t;
}

export const accountKinds = ['dealer', 'distributor', 'retail_chain'] as const;
export const accountStatuses = ['prospect', 'active', 'dormant', 'closed'] as const;
const kindAliases: Record<string, string> = { '经销商': 'dealer', '分销商': 'distributor', '零售连锁': 'retail_chain', 'retail chain': 'retail_chain' };

export type AccountRow = { code: string; name: string; nameEn: string | null; kind: string; province: string | null; city: string | null; status: string; currency: string };

/** Validates one line of an accounts file. */
export function validateAccountRow(cells: Cell[], line: number, m: ResolvedMapping): { row: AccountRow | null; errors: LineError[] } {
  const errors: LineError[] = [];
  const text = (key: string) => { const i = m.index[key]; return i === undefined ? '' : cellText(cells[i]); };
  const bad = (key: string, reason: string) => errors.push({ line, column: m.header[key] ?? key, value: text(key), reason });
  const code = text('code');
  if (!code) bad('code', 'missing value');
  else if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(code)) bad('code', 'letters, digits, dot, dash or underscore (at most 40)');
  const name = text('name');
  if (!name) bad('name', 'missing value'); else if (name.length > 200) bad('name', 'longer than 200 characters');
  for (const key of ['name', 'nameEn', 'province', 'city']) if (text(key).includes(NUL)) bad(key, nulReason);
  const kindText = text('kind');
  const kind = kindAliases[kindText] ?? kindAliases[kindText.toLowerCase()] ?? kindText.toLowerCase();
  if (!kindText) bad('kind', 'missing value');
  else if (!(accountKinds as readonly string[]).includes(kind)) bad('kind', `one of ${accountKinds.join(', ')}`);
  const status = text('status').toLowerCase() || 'active';
  if (!(accountStatuses as readonly string[]).includes(status)) bad('status', `one of ${accountStatuses.join(', ')}`);
  const currencyText = text('currency');
  const currency = currencyText ? parseCurrency(currencyText) : 'CNY';
  if (!currency) bad('currency', 'unknown currency');
  if (errors.length) return { row: null, errors };
  return { row: { code, name, nameEn: text('nameEn') || null, kind, province: text('province') || null, city: text('city') || null, status, currency: currency! }, errors };
}

export type ProductRow = { sku: string; nameZh: string; nameEn: string; unit: string; packSize: number; category: string };

/** Validates one line of a products file. */
export function validateProductRow(cells: Cell[], line: number, m: ResolvedMapping): { row: ProductRow | null; errors: LineError[] } {
  const errors: LineError[] = [];
  const text = (key: string) => { const i = m.index[key]; return i === undefined ? '' : cellText(cells[i]); };
  const bad = (key: string, reason: string) => errors.push({ line, column: m.header[key] ?? key, value: text(key), reason });
  const need = (key: string) => {
    const t = text(key);
    if (!t) bad(key, 'missing value'); else if (t.length > 200) bad(key, 'longer than 200 characters'); else if (t.includes(NUL)) bad(key, nulReason);
    return t;
  };
  const sku = need('sku');
  const nameZh = need('nameZh');
  const nameEn = need('nameEn');
  const unit = need('unit');
  const category = need('category');
  const packText = text('packSize') || '1';
  const packSize = /^\d{1,6}$/.test(packText) && Number(packText) > 0 ? Number(packText) : null;
  if (packSize === null) bad('packSize', 'not a positive whole number');
  if (errors.length) return { row: null, errors };
  return { row: { sku, nameZh, nameEn, unit, packSize: packSize!, category }, errors };
}

/** The reason given for the second and later occurrences of a (document, line) in one file. */
export const duplicateReason = (firstLine: number) => `duplicate document and line number in this file (first at line ${firstLine})`;
export const unknownAccountReason = 'unknown account code';
export const unknownSkuReason = 'unknown SKU';
/** An existing line (same document and line number) is on an account the importer may not change. */
export const foreignLineReason = 'line belongs to an account you cannot change';
