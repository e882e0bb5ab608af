import { describe, expect, it } from 'vitest';
import { currencyDigits } from '../../shared/money.js';
import { fastMinor, fastQuantity, parseAmount, parseQuantity } from './sales.domain.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config.js';
import { copyText, type ParseEvent, parseSales, type ParseSpec } from './sales.parse.js';

// The general (regular-expression) rules the fast paths must agree with, as they were before them.
function slowAmount(s: string, currency: string): number | null {
  const m = /^([+-])?(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return null;
  const digits = currencyDigits(currency);
  const frac = m[3] ?? '';
  if (frac.length > digits && /[1-9]/.test(frac.slice(digits))) return null;
  const minor = Number(m[2]) * 10 ** digits + Number((frac + '0'.repeat(digits)).slice(0, digits) || '0');
  if (!Number.isSafeInteger(minor)) return null;
  return m[1] === '-' ? -minor : minor;
}
function slowQuantity(s: string): number | null {
  const m = /^[+-]?\d+(?:\.(\d*))?$/.exec(s);
  if (!m) return null;
  if ((m[1] ?? '').replace(/0+$/, '').length > 6) return null;
  const v = Number(s);
  if (!Number.isFinite(v) || Math.abs(v) > 1e12) return null;
  return v === 0 ? 0 : v;
}

/** plainNumber without a thousands separator: trimmed, "(12.30)" read as "-12.30". */
const plain = (t: string) => { const s = t.trim(); return s.startsWith('(') && s.endsWith(')') ? `-${s.slice(1, -1)}` : s; };

/** Seeded LCG: the same cases on every run. */
function rng(seed: number) {
  return () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 2 ** 32; };
}

describe('fast number paths', () => {
  const rnd = rng(7);
  const alphabet = '0123456789000.-+ ,()e';
  const cases: string[] = ['', '-', '.', '-.', '0', '-0', '-0.00', '12.', '.5', '1.000', '1.001', '1.0000000', '123456789012345', '1234567890123456', '9007199254740993',
    '99999999999999.99', '1e5', ' 1', '1 ', '+1', '--1', '1.2.3', '(1.00)', '1,000.00', '1000000000000', '1000000000000.5', '-1000000000000', '0.0000001', '0.000001'];
  for (let i = 0; i < 20000; i++) {
    const n = Math.floor(rnd() * 18);
    let s = '';
    for (let j = 0; j < n; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    cases.push(s);
  }

  it('amounts: the fast path gives what the general rules give, or defers to them', () => {
    for (const currency of ['CNY', 'JPY']) {
      const digits = currencyDigits(currency);
      for (const s of cases) {
        const fast = fastMinor(s, digits);
        if (fast !== null) expect([s, fast]).toEqual([s, slowAmount(s, currency)]);
        const r = parseAmount(s, currency, '');
        expect([s, r.ok ? r.value : null]).toEqual([s, slowAmount(plain(s), currency)]);
      }
    }
  });

  it('quantities: the fast path gives what the general rules give, or defers to them', () => {
    for (const s of cases) {
      const fast = fastQuantity(s);
      if (fast !== null) expect([s, fast]).toEqual([s, slowQuantity(s)]);
      const r = parseQuantity(s, '');
      expect([s, r.ok ? r.value : null]).toEqual([s, slowQuantity(plain(s))]);
    }
  });
});

describe('COPY text rows', () => {
  /** Reads one COPY text field back (the inverse of copyText, \N for null). */
  const unescape = (f: string) => (f === '\\N' ? null : f.replace(/\\(.)/g, (_, ch: string) => (ch === 't' ? '\t' : ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch)));

  it('escapes backslash, tab, newline and carriage return, and round-trips', () => {
    for (const d of ['D1', 'a\\b', 'tab\there', 'new\nline', 'cr\r\n', '\\N', '文档号', '']) expect(unescape(copyText(d))).toBe(d);
  });

  it('the reader writes each valid line as a row of sales_lines or imp_stage that PostgreSQL reads back as the file said', async () => {
    const docs = ['D1', 'a\\b', 'tab\there', 'new\nline', '\\N', '文档号'];
    const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const csv = `date,account,sku,quantity,net amount,currency,document,line,cost\n${docs.map((d, i) => `2026-01-0${i + 1},A${i % 2},S1,-1.5,-123.45,CNY,${quote(d)},${i + 1},${i % 2 ? '' : '6.78'}`).join('\n')}\n`;
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'openkam-copy-')), 'lines.csv');
    writeFileSync(file, csv);
    const spec = (copy: ParseSpec['copy']): ParseSpec => ({
      file, format: 'csv', encoding: 'utf-8', delimiter: ',', mapping: { date: 'date', accountCode: 'account', sku: 'sku', quantity: 'quantity', netAmount: 'net amount', currency: 'currency', docNo: 'document', lineNo: 'line', costAmount: 'cost' },
      parse: { dateFormat: 'YYYY-MM-DD', thousandsSeparator: ',', defaultCurrency: null }, accountCodes: ['A0', 'A1'], skus: ['S1'], productCategory: [0], categories: ['cement'], copy,
      limits: loadConfig({}).fileReading.limits,
    });
    const text = async (copy: ParseSpec['copy']) => {
      let out = '';
      for await (const ev of parseSales(spec(copy)) as AsyncGenerator<ParseEvent>) if (ev.type === 'batch') { expect(ev.errors).toEqual([]); out += ev.copy; }
      return out.split('\n').slice(0, -1).map((l) => l.split('\t').map(unescape));
    };
    // File lines: the header is 1, a document spanning two physical lines moves the next ones down.
    const src = [2, 3, 4, 5, 7, 8];
    expect(await text({ into: 'imp_stage' })).toEqual(docs.map((d, i) => [String(src[i]), d, String(i + 1), `2026-01-0${i + 1}`, String(i % 2), '0', '-1.5', '-12345', i % 2 ? null : '678', 'CNY']));
    expect(await text({ into: 'sales_lines', accountIds: ['id-a0', 'id-a1'], productIds: ['id-s1'], now: 'T' })).toEqual(
      docs.map((d, i) => [d, String(i + 1), `2026-01-0${i + 1}`, `id-a${i % 2}`, 'id-s1', '-1.5', '-12345', i % 2 ? null : '678', 'CNY', 'T', 'T']));
  });
});
