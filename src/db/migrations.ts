import type { Migration, MigrationProvider } from 'kysely';
import * as identity from './migrations/2026_11_26_1900_create_identity.js';
import * as accounts from './migrations/2026_11_26_1901_create_accounts.js';
import * as contactsSites from './migrations/2026_11_26_1902_create_contacts_sites.js';
import * as products from './migrations/2026_11_26_1903_create_products.js';
import * as activities from './migrations/2026_11_26_1904_create_activities.js';
import * as audit from './migrations/2026_11_26_1905_create_audit_log.js';
import * as sales from './migrations/2026_11_26_1906_create_sales_lines.js';

// Listed explicitly (not read from disk) so the same set runs from tsx, tests and bundles.
// Append new migrations at the end; never edit one that has landed.
const migrations: Record<string, Migration> = {
  '2026_11_26_1900_create_identity': identity,
  '2026_11_26_1901_create_accounts': accounts,
  '2026_11_26_1902_create_contacts_sites': contactsSites,
  '2026_11_26_1903_create_products': products,
  '2026_11_26_1904_create_activities': activities,
  '2026_11_26_1905_create_audit_log': audit,
  '2026_11_26_1906_create_sales_lines': sales,
};

export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };
