import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../src/shared/ids.js';
import { buildTestApp, type Client, type TestApp } from './build-test-app.js';
import { describeEachDialect } from './dialects.js';
import { startSmtpSink } from './smtp-sink.js';
import { seedWeeklySales } from './vmi-helpers.js';

/**
 * A sent VMI order is e-mailed to the dealer's users where SMTP is configured (OPENKAM_SMTP_URL),
 * in each user's language, with the portal link (OPENKAM_PUBLIC_URL); the portal notice is stored
 * either way.
 */
describeEachDialect('vmi: the order to sign, by e-mail where configured', (dialect) => {
  let t: TestApp;
  let m1: Client;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let B: string;
  const saved = { url: process.env.OPENKAM_SMTP_URL, pub: process.env.OPENKAM_PUBLIC_URL };

  beforeAll(async () => {
    sink = await startSmtpSink();
    process.env.OPENKAM_SMTP_URL = sink.url;
    process.env.OPENKAM_PUBLIC_URL = 'https://kam.example.com/';
    t = await buildTestApp(dialect);
    m1 = await t.login('m1');
    const k = t.db.kysely;
    [B] = await seedWeeklySales(t.db, t.world.accounts.acc1, [{ letter: 'B', packSize: 10, weekly: 70 }]) as [string];
    await k.updateTable('users').set({ locale: 'zh-CN' }).where('email', '=', 'dealer@test.local').execute();
    const settings = { enabled: true, leadTimeDays: 3, rhythm: { weekdays: ['thu'], everyWeeks: 1 }, expiryHours: 72, lines: [{ productId: B, policy: { kind: 'minMax', minDays: 7, maxDays: 14 } }] };
    expect((await m1.put(`/api/v1/vmi/accounts/${t.world.accounts.acc1}/settings`, settings)).statusCode).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
    process.env.OPENKAM_SMTP_URL = saved.url; process.env.OPENKAM_PUBLIC_URL = saved.pub;
    if (saved.url === undefined) delete process.env.OPENKAM_SMTP_URL;
    if (saved.pub === undefined) delete process.env.OPENKAM_PUBLIC_URL;
  });

  it('mails the dealer in its language with the expiry and the portal link', async () => {
    const count = await m1.post(`/api/v1/vmi/accounts/${t.world.accounts.acc1}/counts`, { clientId: newId(), countedAt: t.clock.now().toISOString(), lines: [{ productId: B, onHand: 20 }] });
    expect(count.statusCode, count.body).toBe(200);
    const d = count.json().draft;
    const sent = await m1.post(`/api/v1/vmi/drafts/${d.id}/send`, { version: d.version });
    expect(sent.statusCode, sent.body).toBe(200);
    for (let i = 0; i < 100 && sink.mails.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(sink.mails).toHaveLength(1);
    const m = sink.mails[0]!;
    expect(m.to).toEqual(['dealer@test.local']);
    // Headers and body are encoded (quoted-printable / encoded-words); decode the body's lines loosely.
    const body = Buffer.from(m.data.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
    expect(body).toContain(`订单 ${d.number} 已发送给您`);
    expect(body).toContain('2026-11-29 08:00 UTC');
    expect(body).toContain(`https://kam.example.com/portal/vmi/orders/${d.id}`);
  });
});
