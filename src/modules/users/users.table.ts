export type UsersTable = {
  id: string; email: string; name: string; role: string; password_hash: string; locale: string; time_zone: string;
  team_id: string | null; account_id: string | null; active: number; created_at: string; updated_at: string; version: number;
  /** Work phone (shown to the dealers of the accounts the user manages); added later, so a row may leave it out (NULL). */
  phone?: string | null;
  /** The department whose service queue the user works (logistics, quality, finance, technical, management); added later. */
  department?: string | null;
};
export type TeamsTable = {
  id: string; name: string; director_id: string | null; territory_id: string | null; created_at: string; updated_at: string; version: number;
};
export type TerritoriesTable = { id: string; code: string; name: string; name_zh: string; created_at: string };
