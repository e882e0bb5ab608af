/**
 * Shipment file rows, pure: the fields a shipment/order-line file may map, the suggested mapping
 * from its header, and one row of cells made into an order line and (when the row carries any
 * delivery data) its shipment, or the row's problems with their column and value. Text in a
 * number column of weight or freight ("Freight Included in Commodity Cost", "See ASN-32231
 * (ID#:1281)") is kept as the note, the number null; never 0. Nothing is guessed: a date is read
 * in the format chosen, a quantity must be a whole number.
 */
import { type Cell, cellText, type LineError, nulReason, parseAmount, parseCurrency, parseQuantity, type ThousandsSeparator } from '../sales/sales.domain.js';
import { NUL } from '../../shared/text.js';
import { parseShipmentDate, type ShipmentDateFormat } from './shipments.file.js';

export type ShipmentField =
  | 'sourceKey' | 'orderNo' | 'lineNo' | 'accountCode' | 'item' | 'quantity' | 'unit' | 'value' | 'currency' | 'orderedDate' | 'requestedDate'
  | 'promisedDate' | 'shippedDate' | 'deliveredDate' | 'deliveredQuantity' | 'shipmentNo' | 'mode' | 'carrier' | 'lane' | 'weight' | 'freight'
  | 'status' | 'cancelledDate';

/** Each field, whether it must be mapped, and header names it is suggested for (any letter case). */
export const shipmentFields: { key: ShipmentField; required: boolean; synonyms: string[] }[] = [
  { key: 'sourceKey', required: false, synonyms: ['id', 'source key', 'line id', '行id'] },
  { key: 'orderNo', required: true, synonyms: ['order no', 'order number', 'order', 'po / so #', 'po number', '订单号'] },
  { key: 'lineNo', required: false, synonyms: ['line no', 'line', 'line number', '行号'] },
  { key: 'accountCode', required: true, synonyms: ['account code', 'dealer code', 'dealer', 'customer code', 'country', '客户编码', '经销商编码'] },
  { key: 'item', required: false, synonyms: ['item', 'item description', 'sku', 'product', '物料', '产品'] },
  { key: 'quantity', required: false, synonyms: ['quantity', 'qty', 'line item quantity', 'ordered quantity', '数量'] },
  { key: 'unit', required: false, synonyms: ['unit', 'uom', '单位'] },
  { key: 'value', required: false, synonyms: ['value', 'line item value', 'amount', '金额'] },
  { key: 'currency', required: false, synonyms: ['currency', '币种'] },
  { key: 'orderedDate', required: false, synonyms: ['ordered date', 'order date', '下单日期'] },
  { key: 'requestedDate', required: false, synonyms: ['requested date', '要求日期'] },
  { key: 'promisedDate', required: false, synonyms: ['promised date', 'promised', 'scheduled delivery date', 'promise date', '承诺日期'] },
  { key: 'shippedDate', required: false, synonyms: ['shipped date', 'ship date', '发货日期'] },
  { key: 'deliveredDate', required: false, synonyms: ['delivered date', 'delivered', 'delivered to client date', 'delivery date', '到货日期'] },
  { key: 'deliveredQuantity', required: false, synonyms: ['delivered quantity', 'delivered qty', '到货数量'] },
  { key: 'shipmentNo', required: false, synonyms: ['shipment no', 'shipment', 'asn/dn #', 'delivery note', '发货单号'] },
  { key: 'mode', required: false, synonyms: ['mode', 'shipment mode', 'transport mode', '运输方式'] },
  { key: 'carrier', required: false, synonyms: ['carrier', '承运商'] },
  { key: 'lane', required: false, synonyms: ['lane', 'lane code', '线路'] },
  { key: 'weight', required: false, synonyms: ['weight', 'weight (kilograms)', 'weight (kg)', '重量'] },
  { key: 'freight', required: false, synonyms: ['freight', 'freight cost', 'freight cost (usd)', '运费'] },
  { key: 'status', required: false, synonyms: ['status', '状态'] },
  { key: 'cancelledDate', required: false, synonyms: ['cancelled date', 'cancellation date', '取消日期'] },
];

export type ShipmentMapping = Partial<Record<ShipmentField, string>>;

export type ShipmentParse = {
  dateFormat: ShipmentDateFormat;
  thousandsSeparator: ThousandsSeparator;
  /** Currency of the line values when the file has no currency column. */
  defaultCurrency: string | null;
  /** Currency of the freight column (e.g. "Freight Cost (USD)"); the line currency when null. */
  freightCurrency: string | null;
  /** Unit of the weight column. */
  weightUnit: 'kg' | 'g';
};

/** Field → column index, and field → header as the file spells it. */
export type ResolvedShipmentMapping = { index: Partial<Record<ShipmentField, number>>; header: Partial<Record<ShipmentField, string>> };

const norm = (s: string) => s.trim().toLowerCase();

/** The mapping suggested for a header: each field to the first column named like it. */
export function suggestShipmentMapping(headers: string[]): ShipmentMapping {
  const out: ShipmentMapping = {};
  const used = new Set<number>();
  for (const f of shipmentFields) {
    const names = [f.key.toLowerCase(), ...f.synonyms];
    // order_no and order-no read as "order no".
    const i = headers.findIndex((h, j) => !used.has(j) && names.includes(norm(h).replace(/[_-]+/g, ' ')));
    if (i >= 0) { out[f.key] = headers[i]!; used.add(i); }
  }
  return out;
}

/** The mapping against the file's header: every named column must exist, and the required fields be mapped. */
export function resolveShipmentMapping(headers: string[], mapping: ShipmentMapping): { resolved: ResolvedShipmentMapping; errors: LineError[] } {
  const index: ResolvedShipmentMapping['index'] = {};
  const header: ResolvedShipmentMapping['header'] = {};
  const errors: LineError[] = [];
  for (const f of shipmentFields) {
    const name = mapping[f.key];
    if (name === undefined || name === '') {
      if (f.required) errors.push({ line: 1, column: '', value: f.key, reason: `the field ${f.key} must be mapped to a column` });
      continue;
    }
    const i = headers.findIndex((h) => norm(h) === norm(name));
    if (i < 0) errors.push({ line: 1, column: name, value: f.key, reason: `no column "${name}" in the header` });
    else { index[f.key] = i; header[f.key] = headers[i]!; }
  }
  return { resolved: { index, header }, errors };
}

export type ShipmentOfRow = {
  sourceKey: string; shipmentNo: string | null; shippedDate: string | null; deliveredDate: string | null; quantity: number | null; mode: string | null;
  carrier: string | null; laneCode: string | null; weightGrams: number | null; weightNote: string | null; freightMinor: number | null;
  freightCurrency: string | null; freightNote: string | null;
};

export type LineOfRow = {
  sourceKey: string; accountCode: string; orderNo: string; lineNo: string | null; item: string | null; quantity: number | null; unit: string | null;
  valueMinor: number | null; currency: string | null; orderedDate: string | null; requestedDate: string | null; promisedDate: string | null;
  status: 'open' | 'delivered' | 'cancelled'; cancelledDate: string | null; laneCode: string | null;
};

export type ParsedShipmentRow = { line: LineOfRow; shipment: ShipmentOfRow | null };

const statusWords: Record<string, LineOfRow['status']> = {
  open: 'open', pending: 'open', partial: 'open', backorder: 'open', 'in transit': 'open', shipped: 'open', 未交: 'open', 在途: 'open',
  delivered: 'delivered', closed: 'delivered', complete: 'delivered', completed: 'delivered', 已交: 'delivered', 已到货: 'delivered',
  cancelled: 'cancelled', canceled: 'cancelled', void: 'cancelled', 取消: 'cancelled', 已取消: 'cancelled',
};

const limits: Partial<Record<ShipmentField, number>> = {
  sourceKey: 200, orderNo: 100, lineNo: 50, accountCode: 100, item: 300, unit: 40, shipmentNo: 100, mode: 40, carrier: 200, lane: 100, weight: 500, freight: 500,
};

/**
 * One data row: its order line and shipment, or its problems. The line's key is the mapped source
 * key, else order number and line number ("PO-1/2"); the shipment's is the line's with the shipment
 * number (or "#1"). A row carries a shipment when any delivery column of it is filled.
 */
export function validateShipmentRow(cells: Cell[], line: number, m: ResolvedShipmentMapping, o: ShipmentParse): { row: ParsedShipmentRow | null; errors: LineError[] } {
  const errors: LineError[] = [];
  const raw = (f: ShipmentField): string => (m.index[f] === undefined ? '' : cellText(cells[m.index[f]!]));
  const err = (f: ShipmentField, reason: string) => errors.push({ line, column: m.header[f] ?? f, value: raw(f), reason });
  const text = (f: ShipmentField): string | null => {
    const v = raw(f);
    if (v === '') return null;
    if (v.includes(NUL)) { err(f, nulReason); return null; }
    const max = limits[f];
    if (max !== undefined && v.length > max) { err(f, `longer than ${max} characters`); return null; }
    return v;
  };
  const date = (f: ShipmentField): string | null => {
    if (raw(f) === '') return null;
    const d = parseShipmentDate(cells[m.index[f]!], o.dateFormat);
    if (d === null) err(f, `not a date in the format ${o.dateFormat}`);
    return d;
  };
  const whole = (f: ShipmentField): number | null => {
    if (raw(f) === '') return null;
    const q = parseQuantity(cells[m.index[f]!], o.thousandsSeparator);
    if (!q.ok) { err(f, `${q.reason}: not a quantity`); return null; }
    if (q.value < 0 || !Number.isSafeInteger(q.value)) { err(f, 'not a whole number ≥ 0'); return null; }
    return q.value;
  };

  const orderNo = text('orderNo');
  if (orderNo === null && raw('orderNo') === '') err('orderNo', 'missing order number');
  const lineNo = text('lineNo');
  const accountCode = text('accountCode');
  if (accountCode === null && raw('accountCode') === '') err('accountCode', 'missing account code');
  const givenKey = m.index.sourceKey === undefined ? null : text('sourceKey');
  if (m.index.sourceKey !== undefined && givenKey === null && raw('sourceKey') === '') err('sourceKey', 'missing source key');
  let currency: string | null = o.defaultCurrency;
  if (m.index.currency !== undefined && raw('currency') !== '') {
    currency = parseCurrency(raw('currency'));
    if (!currency) err('currency', 'not a currency code');
  }
  let valueMinor: number | null = null;
  if (raw('value') !== '') {
    if (!currency) err('value', 'a value needs its currency: map a currency column or set the default currency');
    else {
      const a = parseAmount(cells[m.index.value!], currency, o.thousandsSeparator);
      if (!a.ok) err('value', a.reason);
      else if (a.value < 0) err('value', 'a negative value');
      else valueMinor = a.value;
    }
  }
  const quantity = whole('quantity');
  const delivered = whole('deliveredQuantity');
  const orderedDate = date('orderedDate'), requestedDate = date('requestedDate'), promisedDate = date('promisedDate');
  const shippedDate = date('shippedDate'), deliveredDate = date('deliveredDate'), cancelledDate = date('cancelledDate');
  if (shippedDate && deliveredDate && deliveredDate < shippedDate) err('deliveredDate', `delivered ${deliveredDate} before it was shipped ${shippedDate}`);

  // Weight and freight: a number, or the source's text kept as the note (never 0).
  let weightGrams: number | null = null, weightNote: string | null = null;
  const w = text('weight');
  if (w !== null) {
    const q = parseQuantity(w, o.thousandsSeparator);
    if (!q.ok) weightNote = w;
    else if (q.value < 0) err('weight', 'a negative weight');
    else weightGrams = Math.round(q.value * (o.weightUnit === 'kg' ? 1000 : 1));
  }
  let freightMinor: number | null = null, freightNote: string | null = null;
  const freightCurrency = o.freightCurrency ?? currency;
  const f = text('freight');
  if (f !== null) {
    const probe = parseQuantity(f, o.thousandsSeparator);
    if (!probe.ok) freightNote = f;
    else if (!freightCurrency) err('freight', 'a freight cost needs its currency: set the freight currency (or the default currency)');
    else {
      const a = parseAmount(f, freightCurrency, o.thousandsSeparator);
      if (!a.ok) err('freight', a.reason);
      else if (a.value < 0) err('freight', 'a negative freight cost');
      else freightMinor = a.value;
    }
  }

  let status: LineOfRow['status'];
  if (m.index.status !== undefined && raw('status') !== '') {
    const s = statusWords[norm(raw('status'))];
    if (!s) { err('status', 'not a status (open, delivered or cancelled)'); status = 'open'; } else status = s;
  } else if (cancelledDate) status = 'cancelled';
  else if (deliveredDate && !(quantity !== null && delivered !== null && delivered < quantity)) status = 'delivered';
  else status = 'open';
  if (status === 'cancelled' && !cancelledDate && raw('cancelledDate') === '') err(m.index.cancelledDate === undefined ? 'status' : 'cancelledDate', 'a cancelled line needs its cancellation date (map a cancelled date column)');
  if (status !== 'cancelled' && cancelledDate) err('cancelledDate', 'only a cancelled line has a cancellation date');
  if (delivered !== null && delivered > 0 && !deliveredDate && raw('deliveredDate') === '') err('deliveredQuantity', 'a delivered quantity without a delivered date');

  const mode = text('mode'), carrier = text('carrier'), laneCode = text('lane'), shipmentNo = text('shipmentNo');
  const item = text('item'), unit = text('unit');
  if (errors.length) return { row: null, errors };
  const key = givenKey ?? (lineNo === null ? orderNo! : `${orderNo}/${lineNo}`);
  const hasShipment = [shippedDate, deliveredDate, delivered, mode, carrier, weightGrams, weightNote, freightMinor, freightNote, shipmentNo].some((v) => v !== null);
  return {
    row: {
      line: {
        sourceKey: key, accountCode: accountCode!, orderNo: orderNo!, lineNo, item, quantity, unit, valueMinor, currency: valueMinor === null ? null : currency,
        orderedDate, requestedDate, promisedDate, status, cancelledDate, laneCode,
      },
      shipment: hasShipment ? {
        sourceKey: `${key}#${shipmentNo ?? '1'}`, shipmentNo, shippedDate, deliveredDate, quantity: delivered, mode, carrier, laneCode,
        weightGrams, weightNote, freightMinor, freightCurrency: freightMinor === null ? null : freightCurrency, freightNote,
      } : null,
    },
    errors,
  };
}
