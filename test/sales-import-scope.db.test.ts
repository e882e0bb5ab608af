import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { errorsOf, expectRollupsExact, importFile } from './sales-helpers.js';
import { snapshot } from './snapshot.js';

const header = 'date,account,sku,quantity,net amount,currency,document,line';
type Entry = { action: string; entity: string; entityId: string; accountId: string | null; before: Record<string, unknown> | null; after: Record<string, unknown> | null };

describeEachDialect('sales import scope', (dialect) => {
  let t: TestApp;
  let admin: Client;
  let m1: Client;
  let m3: Client;
  const history = async (c: Client, accountId: string): Promise<Entry[]> => {
    const res = await c.get(`/api/v1/accounts/${accountId}/audit?limit=200`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Entry[];
  };
  const lineId = async (docNo: string, lineNo: number) =>
    String((await t.db.kysely.selectFrom('sales_lines').select('id').where('doc_no', '=', docNo).where('line_no', '=', lineNo).executeTakeFirstOrThrow()).id);

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    [admin, m1, m3] = [await t.login('admin'), await t.login('m1'), await t.login('m3')];
    // manager3's lines on ACC3 (m1 may change ACC1 and ACC2, not ACC3).
    const own = await importFile(m3, 'sales', `${header}\n2026-10-05,ACC3,PO425-B50,4,400.00,CNY,SO-202612-00067,3\n2026-10-06,ACC3,PO425-B50,1,20.00,CNY,SO-202612-00067,4\n`);
    expect(own).toMatchObject({ status: 'succeeded', inserted: 2 });
  });
  afterAll(async () => t?.close());

  it('rejects a line of an account the importer cannot change, in the error file with its line number, and writes nothing', async () => {
    const before = await snapshot(t.db);
    const csv = `${header}\n2026-10-06,ACC1,PO425-B50,1,5.00,CNY,M1-NEW,1\n2026-10-05,ACC1,PO425-B50,1,0.01,CNY,SO-202612-00067,3\n2026-10-06,ACC1,PO425-B50,1,5.00,CNY,M1-NEW,2\n`;
    for (const run of [{ dryRun: true }, {}]) {
      const job = await importFile(m1, 'sales', csv, run);
      expect(job).toMatchObject({ status: 'failed', inserted: 0, updated: 0, errorCount: 1 });
      expect(await errorsOf(m1, job)).toEqual([['3', 'document', 'SO-202612-00067 / 3', 'line belongs to an account you cannot change']]);
    }
    expect(await snapshot(t.db)).toBe(before);
    expect(await t.db.kysely.selectFrom('sales_lines').select(['account_id', 'net_amount_minor']).where('doc_no', '=', 'SO-202612-00067').where('line_no', '=', 3).executeTakeFirstOrThrow())
      .toEqual({ account_id: t.world.accounts.acc3, net_amount_minor: 40000 });
  });

  it('audits every line an import changes on its account with old and new values, a moved line on both accounts', async () => {
    const moved = await lineId('SO-202612-00067', 3);
    const job = await importFile(admin, 'sales', `${header}\n2026-10-05,ACC1,PO425-B50,4,399.00,CNY,SO-202612-00067,3\n2026-10-06,ACC3,PO425-B50,2,20.00,CNY,SO-202612-00067,4\n`);
    expect(job).toMatchObject({ status: 'succeeded', inserted: 0, updated: 2 });
    await expectRollupsExact(t.db);
    const change = {
      action: 'update', entity: 'sales_line', entityId: moved,
      before: expect.objectContaining({ docNo: 'SO-202612-00067', lineNo: 3, accountId: t.world.accounts.acc3, netAmountMinor: 40000, quantity: 4 }),
      after: expect.objectContaining({ docNo: 'SO-202612-00067', lineNo: 3, accountId: t.world.accounts.acc1, netAmountMinor: 39900, quantity: 4 }),
    };
    // The account it left (seen by its manager) and the account it joined (seen by theirs) both show it.
    expect((await history(m3, t.world.accounts.acc3)).filter((e) => e.entity === 'sales_line')).toEqual(expect.arrayContaining([
      expect.objectContaining({ ...change, accountId: t.world.accounts.acc3 }),
      expect.objectContaining({ action: 'update', entity: 'sales_line', entityId: await lineId('SO-202612-00067', 4), accountId: t.world.accounts.acc3,
        before: expect.objectContaining({ quantity: 1 }), after: expect.objectContaining({ quantity: 2 }) }),
    ]));
    expect((await history(m1, t.world.accounts.acc1)).filter((e) => e.entity === 'sales_line')).toEqual([expect.objectContaining({ ...change, accountId: t.world.accounts.acc1 })]);
  });

  it('records the lines an import creates once per account, with their count', async () => {
    const csv = `${header}\n${Array.from({ length: 30 }, (_, i) => `2026-0${7 + (i % 3)}-0${1 + (i % 9)},ACC${i % 2 ? 1 : 2},PO425-B50,1,1.00,CNY,M1-BULK,${i + 1}`).join('\n')}\n`;
    const job = await importFile(m1, 'sales', csv);
    expect(job).toMatchObject({ status: 'succeeded', inserted: 30 });
    for (const account of [t.world.accounts.acc1, t.world.accounts.acc2]) {
      const created = (await history(m1, account)).filter((e) => e.entityId === job.id);
      expect(created).toEqual([expect.objectContaining({ action: 'import', entity: 'import_job', accountId: account, after: expect.objectContaining({ file: 'file.csv', inserted: 15, from: '2026-07', to: '2026-09' }) })]);
    }
    expect((await history(m3, t.world.accounts.acc3)).filter((e) => e.entityId === job.id)).toEqual([]);
  });
});
