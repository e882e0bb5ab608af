export type PriceListsTable = {
  id: string; code: string; name: string; scope_kind: string; scope_value: string | null; currency: string; priority: number;
  valid_from: string; valid_to: string | null; break_mode: string; note: string | null; created_at: string; updated_at: string; version: number;
};
export type PriceListItemsTable = {
  id: string; price_list_id: string; product_id: string; breaks_json: string; base_unit_price_minor: number; min_quantity: number; created_at: string; updated_at: string;
};
