/** Kysely table types of lanes, their rate tables and seasonal mode rules (decision 024). */
export type LanesTable = {
  id: string; code: string; name: string; origin_name: string; origin_lat: number; origin_lng: number; account_id: string; ports_json: string;
  typhoon_distance_km: number; default_mode: string; annual_tonnes: number; created_at: string; updated_at: string; version: number;
};
export type LaneRatesTable = {
  id: string; lane_id: string; mode: string; currency: string; per_tonne_minor: number; valid_from: string; valid_to: string | null; note: string | null;
  created_by: string | null; created_at: string;
};
export type ModeRulesTable = {
  id: string; lane_id: string; from_mode: string; to_mode: string; from_day: string; to_day: string; status: string; figures_json: string; note: string | null;
  proposed_by: string | null; proposed_at: string; decided_by: string | null; decided_at: string | null; reason: string | null;
  superseded_by: string | null; superseded_at: string | null; version: number;
};
