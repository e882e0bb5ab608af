export type AccountsTable = {
  id: string; code: string; name: string; name_en: string | null; kind: string; parent_id: string | null; owner_id: string | null;
  territory_id: string | null; province: string | null; city: string | null; tier: string | null; status: string; currency: string;
  /** The customer group price lists may be scoped to (set by the pricing module). */
  price_group: string | null;
  created_at: string; updated_at: string; version: number;
};
export type AccountTeamTable = { account_id: string; user_id: string; role: string };
