/**
 * Writes the demo world into an empty database: one transaction, batched multi-row inserts.
 */
import { type Insertable, sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../server/errors.js';
import type { Clock } from '../../shared/clock.js';
import { systemClock } from '../../shared/clock.js';
import { loadServiceSettings } from '../services/services.settings.js';
import { seedCapacityDemo } from '../capacity/capacity.demo.js';
import { seedRebatesDemo } from './demo.rebates.js';
import { seedPricingDemo } from './demo.pricing.js';
import { seedCompetitionDemo } from './demo.competition.js';
import { seedDeliveryDemo } from './demo.delivery.js';
import { seedLanesDemo } from './demo.lanes.js';
import { seedClaimsDemo } from './demo.claims.js';
import { seedStockDemo } from './demo.stock.js';
import { seedVmiDemo } from './demo.vmi.js';
import { seedRelationshipsDemo } from './demo.relationships.js';
import { hashPassword } from '../auth/auth.tokens.js';
import { buildRollups } from '../sales/sales.service.js';
import { loadHazardSettings } from '../hazards/hazards.settings.js';
import type { DemoScale, DemoSignIn, DemoWorld } from './demo.generate.js';
import { DEMO_PASSWORD, generateDemoWorld } from './demo.generate.js';

export type DemoSummary = {
  scale: DemoScale;
  seed: string;
  referenceDate: string;
  trailing12m: { from: string; to: string };
  /** Share of trailing-12-month revenue brought by the top 20% of buying accounts (0.75–0.85 by design). */
  paretoTop20Share: number;
  /** Rows written per table. */
  counts: Record<keyof DemoWorld['rows'], number>;
  password: string;
  signIns: DemoSignIn[];
};

/** True when the database has no users yet: a fresh install, where the demo world may be seeded. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const row = await db.kysely.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

// Bind parameters per statement: PostgreSQL allows 65,535; SQLite (since 3.32) 32,766.
const maxParams = { postgres: 60_000, sqlite: 30_000 } as const;
const insertOrder = [
  'territories', 'teams', 'users', 'accounts', 'account_team', 'contacts', 'sites', 'products', 'sales_lines', 'activities',
  'key_account_designations', 'visit_routes', 'call_plans', 'call_plan_changes', 'visits',
  'site_risk', 'hazard_tracks', 'hazard_alerts', 'hazard_matches', 'advisories', 'notifications',
  'service_kinds', 'service_entitlements', 'service_usage', 'service_requests', 'service_request_events', 'audit_log',
] as const satisfies readonly (keyof DemoWorld['rows'])[];

/**
 * Generates the demo world for the clock's date and writes it to an empty database, in one
 * transaction. Refuses (AppError 'conflict') when the database already has users, so it can
 * never mix demo data into real data. The same date gives the same world, ids included.
 */
export async function seedDemoWorld(db: Db, opts: { clock?: Clock; scale?: DemoScale; hazardBufferM?: number } = {}): Promise<DemoSummary> {
  const clock = opts.clock ?? systemClock;
  const scale = opts.scale ?? 'full';
  if (!(await isDatabaseEmpty(db))) throw new AppError('conflict', 409, 'The database already has users: the demo world is only seeded into an empty database');
  // One argon2 hash shared by every demo user: hashing hundreds of times would slow start-up.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  // The matcher's buffer as the server will run it, so its first pass finds the seeded matches.
  const hazardBufferM = opts.hazardBufferM ?? loadHazardSettings().bufferM;
  const serviceCalendar = loadServiceSettings().calendar;
  const world = generateDemoWorld({ now: clock.now(), scale, passwordHash, hazardBufferM, serviceCalendar });

  await db.kysely.transaction().execute(async (trx) => {
    // Checked again inside the transaction: two processes starting at once must not both seed.
    const existing = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (existing) throw new AppError('conflict', 409, 'The database already has users: the demo world is only seeded into an empty database');
    for (const table of insertOrder) {
      if (table === 'sales_lines' && db.dialect === 'postgres') await insertSalesLinesPg(trx, world.rows.sales_lines);
      else await insertBatched(trx, table, world.rows[table], maxParams[db.dialect]);
    }
    // The lines went in around the sales module: their rollups are built with them, in this transaction.
    await buildRollups(trx);
    // Priority delivery: depots, reserved truckloads and orders, against the catalogue seeded above.
    await seedCapacityDemo(trx, { now: clock.now(), accounts: world.rows.accounts, users: world.rows.users });
    // Rebates: annual tiered agreements, a group agreement and a settled half-year partial.
    await seedRebatesDemo(trx, { now: clock.now(), accounts: world.rows.accounts, users: world.rows.users, lines: world.rows.sales_lines });
    // Price lists: national, East China, key accounts (tier A put in the group), the biggest key account's own.
    await seedPricingDemo(trx, { now: clock.now(), accounts: world.rows.accounts, products: world.rows.products, territories: world.rows.territories });
    // Competitor prices over the last year, and one undercut alert open at a key account of manager1.
    await seedCompetitionDemo(trx, { now: clock.now(), accounts: world.rows.accounts, users: world.rows.users, products: world.rows.products, salesLines: world.rows.sales_lines });
    // Order lines and shipments of the key accounts: sea lanes late in typhoon season, the Taizhou coast on rail for 2026's.
    const delivery = await seedDeliveryDemo(trx, { now: clock.now(), accounts: world.rows.accounts, products: world.rows.products, salesLines: world.rows.sales_lines });
    const orders = { lines: delivery.lines, shipments: delivery.shipments };
    // Their lanes, with rate tables, the coast's approved rail rule and one proposal waiting for approval.
    await seedLanesDemo(trx, { now: clock.now(), accounts: world.rows.accounts, users: world.rows.users, products: world.rows.products, salesLines: world.rows.sales_lines, ...orders });
    // Claims on late lines in every state of the lifecycle, and weekly stock reports whose stock-outs follow late lines.
    await seedClaimsDemo(trx, { now: clock.now(), calendar: serviceCalendar, accounts: world.rows.accounts, users: world.rows.users, ...orders });
    await seedStockDemo(trx, { now: clock.now(), accounts: world.rows.accounts, users: world.rows.users, products: world.rows.products, salesLines: world.rows.sales_lines, ...orders });
    // VMI on for three key accounts, each with this week's draft; one sent and waiting for the dealer's signature.
    await seedVmiDemo(trx, { now: clock.now(), dialect: db.dialect, accounts: world.rows.accounts, users: world.rows.users });
    // Stakeholder maps of three of manager1's accounts, with a tie between two and their key dates.
    await seedRelationshipsDemo(trx, { now: clock.now(), accounts: world.rows.accounts, users: world.rows.users });
  });

  return {
    scale, seed: world.seed, referenceDate: world.referenceDate, trailing12m: world.trailing12m, paretoTop20Share: world.paretoTop20Share,
    counts: Object.fromEntries(insertOrder.map((t) => [t, world.rows[t].length])) as DemoSummary['counts'],
    password: DEMO_PASSWORD, signIns: world.signIns,
  };
}

/**
 * PostgreSQL column types of the big table, for inserting it as arrays through unnest(): a dozen
 * array parameters per statement instead of one parameter per value, several times faster to
 * bind and parse than multi-row VALUES.
 */
const salesLineTypes: Record<Exclude<keyof Database['sales_lines'], 'id'>, string> = {
  doc_no: 'text', line_no: 'int4', date: 'text', account_id: 'text', product_id: 'text', quantity: 'float8',
  net_amount_minor: 'int8', cost_amount_minor: 'int8', currency: 'text', created_at: 'text', updated_at: 'text',
};

async function insertSalesLinesPg(trx: Transaction<Database>, rows: readonly Insertable<Database['sales_lines']>[]): Promise<void> {
  const cols = Object.keys(salesLineTypes) as (keyof typeof salesLineTypes)[];
  const size = 20_000;
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const arrays = cols.map((c) => sql`${chunk.map((r) => r[c])}::${sql.raw(salesLineTypes[c])}[]`);
    await sql`insert into sales_lines (${sql.join(cols.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(arrays)})`.execute(trx);
  }
}

async function insertBatched<T extends keyof Database & string>(trx: Transaction<Database>, table: T, rows: readonly Insertable<Database[T]>[], params: number): Promise<void> {
  if (rows.length === 0) return;
  const perRow = Object.keys(rows[0]!).length;
  const size = Math.max(1, Math.floor(params / perRow));
  for (let i = 0; i < rows.length; i += size) {
    // Kysely's generic insert typing cannot follow a table name held in a type parameter.
    await trx.insertInto(table).values(rows.slice(i, i + size) as never).execute();
  }
}

/** The short block printed at start-up after seeding: who can sign in, and with what. */
export function formatDemoSignIns(summary: DemoSummary): string {
  const portal = summary.signIns.filter((s) => s.role === 'dealer');
  const first = (role: string) => summary.signIns.find((s) => s.role === role)?.email ?? '';
  // One example per kind of account: codes D…, DS… and RC… (dealer, distributor, retail chain).
  const examples = ['D0', 'DS', 'RC'].flatMap((prefix) => portal.find((d) => d.accountCode?.startsWith(prefix))?.email ?? []);
  const domain = first('admin').split('@')[1] ?? '';
  const directors = summary.signIns.filter((s) => s.role === 'director').length;
  const managers = summary.signIns.filter((s) => s.role === 'manager').length;
  const rows: [string, string][] = [
    [first('admin'), 'administrator'],
    [`director1@${domain} … director${directors}@${domain}`, 'directors'],
    [`manager1@${domain} … manager${managers}@${domain}`, 'key account managers'],
    [first('logistics'), 'logistics coordinator'],
    [first('executive'), 'executive'],
    [`dealer-<account code>@${domain}`, `portal of every account (dealers, distributors, retail chains), e.g. ${examples.join(', ')}`],
  ];
  const width = Math.max(...rows.map(([a]) => a.length));
  return [
    '',
    '  OpenKAM demo world: NOT FOR PRODUCTION. Every demo user shares one published password.',
    `  Generated for ${summary.referenceDate}: ${summary.counts.accounts} accounts, ${summary.counts.sales_lines} sales lines.`,
    '  Sign in as:',
    ...rows.map(([a, b]) => `    ${a.padEnd(width)}  ${b}`),
    `  Password: ${summary.password}`,
    '  For real use start with an empty database and OPENKAM_DEMO=false (or --no-demo).',
    '',
  ].join('\n');
}
