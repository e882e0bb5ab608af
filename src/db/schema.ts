import type { AccountTeamTable, AccountsTable } from '../modules/accounts/accounts.table.js';
import type { ActivitiesTable } from '../modules/activities/activities.table.js';
import type { AuditLogTable } from '../modules/audit/audit.table.js';
import type { ApiTokensTable, SessionsTable } from '../modules/auth/auth.table.js';
import type { ContactsTable } from '../modules/contacts/contacts.table.js';
import type { ProductsTable, SalesLinesTable } from '../modules/products/products.table.js';
import type { SitesTable } from '../modules/sites/sites.table.js';
import type { TeamsTable, TerritoriesTable, UsersTable } from '../modules/users/users.table.js';

/** Every table, for Kysely's types. Each module owns its table types. */
export type Database = {
  users: UsersTable;
  teams: TeamsTable;
  territories: TerritoriesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  accounts: AccountsTable;
  account_team: AccountTeamTable;
  contacts: ContactsTable;
  sites: SitesTable;
  products: ProductsTable;
  sales_lines: SalesLinesTable;
  activities: ActivitiesTable;
  audit_log: AuditLogTable;
};
