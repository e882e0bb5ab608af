import { randomBytes } from 'node:crypto';
import { parseArgs } from '../../cli/args.js';
import { openConfiguredDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { loadConfig } from '../../server/config.js';
import { AppError } from '../../server/errors.js';
import { systemClock } from '../../shared/clock.js';
import { CreateUserBody } from './users.contract.js';
import { createUser } from './users.service.js';

/** `npm run openkam -- user:create --email a@b.c --name "Ada" --role admin [--password …]` */
export async function run(_command: string, args: string[]): Promise<number> {
  const { options } = parseArgs(args);
  const generated = options.password === undefined ? randomBytes(12).toString('base64url') : undefined;
  const parsed = CreateUserBody.safeParse({
    email: options.email, name: options.name, role: options.role ?? 'admin', password: options.password ?? generated,
    ...(typeof options.locale === 'string' && { locale: options.locale }),
    ...(typeof options['time-zone'] === 'string' && { timeZone: options['time-zone'] }),
  });
  if (!parsed.success) {
    process.stderr.write(`user:create: ${parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ')}\n`);
    process.stderr.write('usage: npm run openkam -- user:create --email EMAIL --name NAME [--role admin] [--password PASSWORD]\n');
    return 2;
  }
  const config = loadConfig();
  const db = openConfiguredDatabase(config);
  try {
    await migrateToLatest(db);
    const user = await createUser({ db, clock: systemClock, actor: null, requestId: 'cli' }, parsed.data);
    process.stdout.write(`created ${user.role} ${user.email}${generated ? ` with password ${generated} (change it after signing in)` : ''}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`user:create: ${err instanceof AppError || err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await db.destroy();
  }
}
