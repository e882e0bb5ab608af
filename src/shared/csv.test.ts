import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { spreadsheetText, toCsv } from './csv.js';

describe('spreadsheetText', () => {
  it('puts an apostrophe before text a spreadsheet would run as a formula', () => {
    for (const s of ['=1+1', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x","y")', '-', '-.5', '-1e3', '+12']) expect(spreadsheetText(s)).toBe(`'${s}`);
  });

  it('leaves negative numbers and other text as they are', () => {
    for (const s of ['-12.50', '-3', '-1,234.50', '0', '12.5', 'ACC-1', 'a=b', '王总', '', ' =1']) expect(spreadsheetText(s)).toBe(s);
  });
});

describe('toCsv', () => {
  it('neutralises text cells, writes numbers as numbers and still quotes what CSV must', () => {
    const csv = toCsv([['name', 'amount'], ['=cmd|\' /C calc\'!A0', -12.5], ['a,"b"\nc', 3]]);
    expect(parse(csv)).toEqual([['name', 'amount'], ["'=cmd|' /C calc'!A0", '-12.5'], ['a,"b"\nc', '3']]);
    expect(csv.split('\n')[1]).toBe("'=cmd|' /C calc'!A0,-12.5");
  });

  it('adds the byte-order mark and Windows line ends when asked', () => {
    expect(toCsv([['a'], ['b']], { bom: true, recordDelimiter: 'windows' })).toBe('\uFEFFa\r\nb\r\n');
  });
});
