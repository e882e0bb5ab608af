import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForJob } from '../src/modules/sales/sales.jobs.js';
import { newId } from '../src/shared/ids.js';
import { hasReferenceData, referenceDataMissing, referencePath } from '../src/shared/reference-data.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';

type Job = { id: string; status: string; processedLines: number; inserted: number; updated: number; unchanged: number; errorCount: number; errorRows: number; errorsUrl: string | null; message: string | null };

async function upload(c: Client, body: string, fileName = 'shipments.csv') {
  const res = await c.request({ method: 'POST', url: `/api/v1/delivery/imports?fileName=${fileName}`, payload: body, headers: { 'content-type': 'text/csv' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { job: Job; headers: string[]; suggestedMapping: Record<string, string> };
}

async function importCsv(c: Client, body: string, start: Record<string, unknown>): Promise<Job> {
  const up = await upload(c, body);
  const res = await c.post(`/api/v1/delivery/imports/${up.job.id}/start`, start);
  expect(res.statusCode, res.body).toBe(202);
  await waitForJob(up.job.id);
  return (await c.get(`/api/v1/delivery/imports/${up.job.id}`)).json() as Job;
}

const otifByMode = async (c: Client) => {
  const res = await c.get('/api/v1/delivery/otif?by=mode');
  expect(res.statusCode, res.body).toBe(200);
  return Object.fromEntries((res.json().groups as { key: string[]; lines: { counted: number; onTime: { count: number } } }[]).map((g) => [g.key[0], [g.lines.onTime.count, g.lines.counted]]));
};

const scmsFile = referencePath('logistics/scms/scms_delivery_history_odd_ids.csv');
const scmsMapping = {
  sourceKey: 'ID', orderNo: 'PO / SO #', accountCode: 'Country', item: 'Item Description', quantity: 'Line Item Quantity', value: 'Line Item Value',
  promisedDate: 'Scheduled Delivery Date', deliveredDate: 'Delivered to Client Date', shipmentNo: 'ASN/DN #', mode: 'Shipment Mode',
  weight: 'Weight (Kilograms)', freight: 'Freight Cost (USD)',
};
const scmsStart = { mapping: scmsMapping, options: { dateFormat: 'DD-MMM-YY', defaultCurrency: 'USD', freightCurrency: 'USD' } };

/**
 * A counting script apart from the product's reader: the file split at CRLF (the SCMS file has no
 * newline inside a field), each record at the commas outside double quotes.
 */
function splitScms(text: string): { header: string[]; records: string[][]; lines: string[] } {
  const lines = text.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '');
  const split = (l: string) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((f) => f.replace(/^"|"$/g, '').replace(/""/g, '"'));
  return { header: split(lines[0]!), records: lines.slice(1).map(split), lines };
}

describeEachDialect('delivery: shipment file import', (dialect) => {
  let t: TestApp;
  let logistics: Client;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    logistics = await t.login('logistics');
  });
  afterAll(async () => t?.close());

  it('a file with bad rows: the error file names each bad line, and nothing is written', async () => {
    const csv = [
      'order_no,line_no,dealer,promised,delivered,mode,weight,freight',
      'PO-1,1,ACC1,2026-10-05,2026-10-05,road,12.5,300.00',
      'PO-1,2,NOPE,2026-10-05,2026-10-06,road,1,10',
      'PO-2,1,ACC1,05/10/2026,2026-10-06,road,1,10',
      'PO-1,1,ACC1,2026-10-05,2026-10-05,road,12.5,300.00',
      'PO-3,1,ACC1,2026-10-05,,road,-4,10',
    ].join('\n');
    const job = await importCsv(logistics, csv, {
      mapping: { orderNo: 'order_no', lineNo: 'line_no', accountCode: 'dealer', promisedDate: 'promised', deliveredDate: 'delivered', mode: 'mode', weight: 'weight', freight: 'freight' },
      options: { defaultCurrency: 'CNY' },
    });
    expect(job).toMatchObject({ status: 'failed', processedLines: 5, errorRows: 4, inserted: 0 });
    const errors = (await logistics.get(job.errorsUrl!)).body.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1);
    expect(errors).toEqual([
      '3,dealer,NOPE,no account with this code that you may see',
      '4,promised,05/10/2026,not a date in the format YYYY-MM-DD',
      '5,order_no,PO-1/1#1,the same line and shipment as line 2 of this file',
      '6,weight,-4,a negative weight',
    ]);
    expect(await t.db.kysely.selectFrom('order_lines').select('id').execute()).toHaveLength(0);
    expect(await t.db.kysely.selectFrom('shipments').select('id').execute()).toHaveLength(0);
  });

  describe.skipIf(!hasReferenceData)(`the SCMS shipment history ${hasReferenceData ? '' : referenceDataMissing}`, () => {
    const text = hasReferenceData ? readFileSync(scmsFile, 'utf8') : '';
    const scms = splitScms(text);
    const col = (name: string) => scms.header.indexOf(name);

    beforeAll(async () => {
      // One account per receiving country programme, its code the country's name as the file writes it.
      const countries = [...new Set(scms.records.map((r) => r[col('Country')]!))];
      const now = '2026-11-26T00:00:00.000Z';
      await t.db.kysely.insertInto('accounts').values(countries.map((c) => ({
        id: newId(), code: c, name: c, name_en: c, kind: 'distributor', parent_id: null, owner_id: null, territory_id: null, province: null, city: null, tier: null,
        status: 'active', currency: 'USD', created_at: now, updated_at: now, version: 1,
      }))).execute();
    });

    it('suggests the mapping from the header', async () => {
      const up = await upload(logistics, text.split('\r\n').slice(0, 3).join('\r\n'));
      expect(up.suggestedMapping).toEqual(scmsMapping);
    });

    it('forty rows picked by ID: on-time by mode equals the count worked out by hand', async () => {
      // The first 40 data rows of the file (IDs 1 … 979), read by eye (delivered = scheduled is on time;
      // early is not on time: no tolerance, calendar days):
      //   Air, 31 rows: all on the scheduled day except ID 465 (scheduled 09-Jul-08, delivered 04-Jul-08)  → 30 of 31
      //   N/A,  3 rows: 69 on time; 343 (21-Jan-08 / 04-Jan-08) and 459 (25-Apr-08 / 07-Apr-08) early      → 1 of 3
      //   Truck, 6 rows: 423 and 531 on time; 533 (20-Aug-08 / 08-May-08), 835, 837, 839 (17-May-09 / 09-Oct-08) → 2 of 6
      // Freight as text: "Freight Included in Commodity Cost" on IDs 47, 69, 343, 423, 459, 531, 533, 835, 837, 839, 849 (11),
      // "Invoiced Separately" on 305, 361, 465 (3), "See ASN-3562 (ID#:960)" on 961 (1): 15 notes, 25 numbers.
      const ids = ['1', '3', '15', '23', '45', '47', '61', '65', '69', '87', '115', '139', '161', '269', '305', '343', '361', '391', '399', '411',
        '423', '459', '465', '531', '533', '535', '543', '551', '637', '717', '719', '791', '797', '835', '837', '839', '849', '937', '961', '979'];
      const picked = scms.lines.slice(1).filter((l) => ids.includes(l.slice(0, l.indexOf(','))));
      expect(picked).toHaveLength(40);
      const job = await importCsv(logistics, [scms.lines[0], ...picked].join('\r\n'), scmsStart);
      expect(job).toMatchObject({ status: 'succeeded', processedLines: 40, inserted: 40, errorRows: 0 });
      expect(await otifByMode(logistics)).toEqual({ Air: [30, 31], 'N/A': [1, 3], Truck: [2, 6] });
      const ships = await t.db.kysely.selectFrom('shipments').select(['source_key', 'freight_minor', 'freight_currency', 'freight_note', 'weight_grams', 'weight_note']).execute();
      expect(ships.filter((s) => s.freight_note !== null)).toHaveLength(15);
      expect(ships.filter((s) => s.freight_note !== null).every((s) => s.freight_minor === null)).toBe(true);
      expect(ships.filter((s) => s.freight_minor !== null)).toHaveLength(25);
      const byKey = new Map(ships.map((s) => [s.source_key, s]));
      expect(byKey.get('1#ASN-8')).toEqual({ source_key: '1#ASN-8', freight_minor: 78034, freight_currency: 'USD', freight_note: null, weight_grams: 13000, weight_note: null });
      expect(byKey.get('961#ASN-3562')).toMatchObject({ freight_minor: null, freight_note: 'See ASN-3562 (ID#:960)', weight_grams: null, weight_note: 'See ASN-3562 (ID#:960)' });
      const line1 = await t.db.kysely.selectFrom('order_lines').selectAll().where('source_key', '=', '1').executeTakeFirstOrThrow();
      expect(line1).toMatchObject({ order_no: 'SCMS-4', promised_date: '2006-06-02', status: 'delivered', value_minor: 55100, currency: 'USD' });
      expect(Number(line1.quantity)).toBe(19);
    });

    it('the whole file: every row accounted for, text kept as notes (never 0), a second import changes nothing, on-time by mode as counted apart', async () => {
      const job = await importCsv(logistics, text, scmsStart);
      // 40 rows are in already (the test before): unchanged.
      expect(job).toMatchObject({ status: 'succeeded', processedLines: 5188, errorRows: 0, inserted: 5148, unchanged: 40, updated: 0 });
      expect(job.inserted + job.updated + job.unchanged + job.errorRows).toBe(scms.records.length);
      expect(await t.db.kysely.selectFrom('order_lines').select('id').execute()).toHaveLength(5188);

      // Notes as counted apart: each text in the freight and weight columns, and no stored 0 for any of them.
      const count = (name: string, value: string) => scms.records.filter((r) => r[col(name)] === value).length;
      const ships = await t.db.kysely.selectFrom('shipments').select(['freight_minor', 'freight_note', 'weight_grams', 'weight_note']).execute();
      expect(ships).toHaveLength(5188);
      expect(ships.filter((s) => s.freight_note === 'Freight Included in Commodity Cost')).toHaveLength(count('Freight Cost (USD)', 'Freight Included in Commodity Cost'));
      expect(ships.filter((s) => s.freight_note === 'Invoiced Separately')).toHaveLength(count('Freight Cost (USD)', 'Invoiced Separately'));
      expect(ships.filter((s) => s.weight_note === 'Weight Captured Separately')).toHaveLength(count('Weight (Kilograms)', 'Weight Captured Separately'));
      const textual = (name: string) => scms.records.filter((r) => !/^\d+(\.\d+)?$/.test(r[col(name)]!)).length;
      expect(ships.filter((s) => s.freight_note !== null)).toHaveLength(textual('Freight Cost (USD)'));
      expect(ships.filter((s) => s.weight_note !== null)).toHaveLength(textual('Weight (Kilograms)'));
      expect(ships.filter((s) => (s.freight_note !== null && s.freight_minor !== null) || (s.weight_note !== null && s.weight_grams !== null))).toEqual([]);

      const again = await importCsv(logistics, text, scmsStart);
      expect(again).toMatchObject({ status: 'succeeded', inserted: 0, updated: 0, unchanged: 5188, errorRows: 0 });

      // On time by mode, counted from the split records: a row is on time when its delivered date is its scheduled date.
      const expected: Record<string, [number, number]> = {};
      for (const r of scms.records) {
        const e = (expected[r[col('Shipment Mode')]!] ??= [0, 0]);
        if (r[col('Delivered to Client Date')] === r[col('Scheduled Delivery Date')]) e[0]++;
        e[1]++;
      }
      expect(await otifByMode(logistics)).toEqual(expected);
      // And as read off the file once by hand (python csv, 2026-12-03): Air 2163/3051, Truck 619/1430, Air Charter 69/329, Ocean 144/194, N/A 168/184.
      expect(expected).toEqual({ Air: [2163, 3051], Truck: [619, 1430], 'Air Charter': [69, 329], Ocean: [144, 194], 'N/A': [168, 184] });
      // By country the figure comes from the OTIF cells (decision 027), which the import keeps in step: the same 3,163 of 5,188.
      const byCountry = (await logistics.get('/api/v1/delivery/otif?by=account')).json().groups as { lines: { counted: number; onTime: { count: number } } }[];
      expect([byCountry.reduce((n, g) => n + g.lines.onTime.count, 0), byCountry.reduce((n, g) => n + g.lines.counted, 0)]).toEqual([3163, 5188]);
    });
  });
});
