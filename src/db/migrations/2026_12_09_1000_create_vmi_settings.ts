import type { Kysely } from 'kysely';

/**
 * Per-account VMI settings (decision 034): whether VMI is on, the site the orders go to, the lead
 * time and visit rhythm when set (null: derived from delivery history and the visit program), the
 * site's capacity and the truck, and how long a sent draft waits for the dealer's signature.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vmi_settings')
    .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.references('sites.id').onDelete('set null'))
    .addColumn('lead_time_days', 'integer')
    .addColumn('rhythm_json', 'text')
    .addColumn('capacity_kg', 'double precision')
    .addColumn('capacity_pallets', 'double precision')
    .addColumn('truck_kg', 'double precision')
    .addColumn('truck_pallets', 'double precision')
    .addColumn('full_trucks', 'integer', (c) => c.notNull())
    .addColumn('expiry_hours', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vmi_settings').execute();
}
