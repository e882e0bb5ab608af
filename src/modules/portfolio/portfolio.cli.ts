/** `npm run openkam -- segment [--basis revenue|margin] [--from YYYY-MM] [--to YYYY-MM] [--category C] [--currency CNY]`: the ABC table as CSV. */
import { parseArgs } from '../../cli/args.js';
import { openConfiguredDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { loadConfig } from '../../server/config.js';
import { systemClock } from '../../shared/clock.js';
import { toCsv } from '../../shared/csv.js';
import { SegmentQuery } from './portfolio.contract.js';
import { segment } from './portfolio.service.js';

export async function run(_command: string, args: string[]): Promise<number> {
  const { options } = parseArgs(args);
  const q = SegmentQuery.safeParse(Object.fromEntries(Object.entries(options).filter(([, v]) => typeof v === 'string').map(([k, v]) => [k === 'threshold-a' ? 'thresholdA' : k === 'threshold-b' ? 'thresholdB' : k, v])));
  if (!q.success) { process.stderr.write(`segment: ${q.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ')}\n`); return 2; }
  const config = loadConfig();
  const db = openConfiguredDatabase(config);
  try {
    await migrateToLatest(db);
    const s = await segment({ db, clock: systemClock, config, actor: { userId: 'cli', email: 'cli@localhost', name: 'command line', role: 'admin', teamId: null, accountId: null, locale: 'en', timeZone: 'UTC', via: 'session' }, requestId: 'cli' } as Parameters<typeof segment>[0], q.data);
    process.stderr.write(`window ${s.window.from}..${s.window.to} by ${s.window.basis} (${s.window.currency}); A ${s.totals.tiers.A?.accounts}, B ${s.totals.tiers.B?.accounts}, C ${s.totals.tiers.C?.accounts}\n`);
    process.stdout.write(toCsv([['rank', 'code', 'name', 'value', 'share', 'cumulative_share', 'tier'], ...s.items.map((i) => [i.rank, i.code, i.name, (i.valueMinor / 100).toFixed(2), i.share.toFixed(4), i.cumulativeShare?.toFixed(4) ?? '', i.tier])]));
    return 0;
  } finally {
    await db.destroy();
  }
}
