/** Kysely table types of competition: competitor price observations, undercut alerts, competitor offers and decisions. */
export type CompetitorObservationsTable = {
  id: string; account_id: string | null; province: string | null; city: string | null; competitor: string; competitor_product: string; product_id: string;
  price_minor: number; currency: string; unit: string; competitor_units: number; our_units: number; unit_price_minor: number; observed_at: string;
  source: string; visit_id: string | null; attachment_id: string | null; note: string | null; created_by: string; created_at: string; updated_at: string; version: number;
};
export type UndercutAlertsTable = {
  id: string; observation_id: string; account_id: string; product_id: string; competitor: string; competitor_unit_minor: number; pocket_unit_minor: number;
  currency: string; share_bp: number; threshold_bp: number; status: string; raised_at: string; acknowledged_at: string | null; acknowledged_by: string | null; version: number;
};
export type CompetitorOffersTable = {
  id: string; account_id: string; product_id: string; observation_id: string | null; competitor: string; offer_unit_minor: number; currency: string;
  horizon_months: number; comparison_json: string; recommendation: string; decision: string | null; alternative_id: string | null; decision_note: string | null;
  decided_by: string | null; decided_at: string | null; outcome: string | null; outcome_note: string | null; outcome_by: string | null; outcome_at: string | null;
  created_by: string; created_at: string; updated_at: string; version: number;
};
