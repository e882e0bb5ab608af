/** Deterministic sales files for the import benchmark (no randomness source but a seeded LCG). */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export const BENCH_ACCOUNTS = 2_000;
export const BENCH_PRODUCTS = 200;
export const accountCode = (i: number) => `B${String(i).padStart(5, '0')}`;
export const sku = (i: number) => `SKU-${String(i).padStart(4, '0')}`;
export const categories = ['cement', 'mortar', 'concrete', 'aggregate', 'admixture'];

/** Writes `lines` sales lines (header + lines) to `file`: documents of 1–10 lines over 24 months. */
export async function writeSalesFile(file: string, lines: number): Promise<number> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let seed = 42;
  // 32-bit LCG (Numerical Recipes constants) in integer arithmetic: the same file on every machine.
  const rnd = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 2 ** 32; };
  let buf = 'date,account,sku,quantity,net amount,currency,document,line,cost\n';
  let bytes = 0;
  let doc = 0;
  let lineNo = 0;
  let docLines = 0;
  let date = '';
  let account = '';
  for (let i = 0; i < lines; i++) {
    if (lineNo >= docLines) {
      doc++;
      lineNo = 0;
      docLines = 1 + Math.floor(rnd() * 10);
      const day = Math.floor(rnd() * 730);
      const d = new Date(Date.UTC(2024, 11, 1) + day * 86_400_000);
      date = d.toISOString().slice(0, 10);
      // Pareto-ish: a few accounts buy most.
      account = accountCode(1 + Math.floor(BENCH_ACCOUNTS * rnd() ** 3));
    }
    lineNo++;
    const qty = 1 + Math.floor(rnd() * 200);
    const price = 2000 + Math.floor(rnd() * 50000);
    const ret = rnd() < 0.02 ? -1 : 1;
    const net = ret * qty * price;
    const cost = rnd() < 0.8 ? String(Math.floor(net * 0.7) / 100) : '';
    buf += `${date},${account},${sku(1 + Math.floor(rnd() * BENCH_PRODUCTS))},${ret * qty},${(net / 100).toFixed(2)},CNY,D${String(doc).padStart(9, '0')},${lineNo},${cost}\n`;
    if (buf.length > 1 << 20) {
      bytes += Buffer.byteLength(buf);
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  bytes += Buffer.byteLength(buf);
  out.end(buf);
  await once(out, 'finish');
  return bytes;
}
