/** The deterministic shipment file of the shipment import benchmark (no randomness source but a seeded LCG). */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { accountCode, BENCH_ACCOUNTS, BENCH_PRODUCTS, sku } from './import.lib.js';

const modes = ['road', 'rail', 'sea', 'air'];
const freightText = ['Freight Included in Commodity Cost', 'Invoiced Separately'];

/** The columns of the file, as the import maps them. */
export const shipmentBenchMapping = {
  sourceKey: 'id', orderNo: 'order', lineNo: 'line', accountCode: 'dealer', item: 'item', quantity: 'quantity', value: 'value', promisedDate: 'promised',
  shippedDate: 'shipped', deliveredDate: 'delivered', deliveredQuantity: 'delivered quantity', mode: 'mode', carrier: 'carrier', weight: 'weight', freight: 'freight',
};

/** Writes `lines` rows: 32-bit LCG, 2,000 dealers, 1–10 lines an order, one delivery each, 8 % of freight and 5 % of weights as text. Returns its size in bytes. */
export async function writeShipmentFile(file: string, lines: number): Promise<number> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let seed = 7;
  const rnd = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 2 ** 32; };
  let buf = 'id,order,line,dealer,item,quantity,value,promised,shipped,delivered,delivered quantity,mode,carrier,weight,freight\n';
  let bytes = 0, order = 0, lineNo = 0, orderLines = 0, dealer = '', promised = 0;
  const day = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  for (let i = 1; i <= lines; i++) {
    if (lineNo >= orderLines) { order++; lineNo = 0; orderLines = 1 + Math.floor(rnd() * 10); dealer = accountCode(1 + Math.floor(BENCH_ACCOUNTS * rnd() ** 2)); promised = Math.floor(rnd() * 700); }
    lineNo++;
    const qty = 1 + Math.floor(rnd() * 500);
    const late = Math.floor(rnd() * 9) - 3;
    const shipped = promised - 4 - Math.floor(rnd() * 5);
    const weight = rnd() < 0.05 ? 'Weight Captured Separately' : (qty * 2.5).toFixed(1);
    const freight = rnd() < 0.08 ? freightText[Math.floor(rnd() * 2)]! : (qty * 0.37).toFixed(2);
    buf += `${i},SO${String(order).padStart(9, '0')},${lineNo},${dealer},${sku(1 + Math.floor(rnd() * BENCH_PRODUCTS))},${qty},${(qty * 12.5).toFixed(2)},${day(promised)},${day(shipped)},${day(promised + late)},${qty},${modes[Math.floor(rnd() * 4)]},C${1 + Math.floor(rnd() * 30)},${weight},"${freight}"\n`;
    if (buf.length > 1 << 20) { bytes += Buffer.byteLength(buf); if (!out.write(buf)) await once(out, 'drain'); buf = ''; }
  }
  bytes += Buffer.byteLength(buf);
  out.end(buf);
  await once(out, 'finish');
  return bytes;
}
