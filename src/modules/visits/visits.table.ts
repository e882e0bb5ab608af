export type VisitRoutesTable = {
  id: string; name: string; manager_id: string; weekday: string; time_zone: string; base_label: string | null; base_lat: number; base_lng: number;
  day_start: string; day_end: string; created_at: string; updated_at: string; version: number;
};
export type CallPlansTable = {
  id: string; account_id: string; site_id: string | null; manager_id: string; route_id: string | null; route_position: number | null;
  rrule: string; time_zone: string; weekday: string; start_time: string; duration_minutes: number; interval_weeks: number; anchor_date: string;
  ends_on: string | null; time_fixed: number; tolerance_minutes: number; status: string; created_at: string; updated_at: string; version: number;
};
export type CallPlanChangesTable = {
  id: string; plan_id: string; account_id: string; manager_id: string; kind: string; reason: string; note: string | null; contact_id: string | null;
  status: string; base_version: number; before_json: string | null; after_json: string; requested_by: string; requested_at: string;
  decided_by: string | null; decided_at: string | null; decision_note: string | null;
};
export type VisitsTable = {
  id: string; plan_id: string; account_id: string; site_id: string | null; manager_id: string; occurrence_date: string;
  scheduled_start: string; scheduled_end: string; time_zone: string; status: string; tolerance_minutes: number;
  check_in_at: string | null; check_in_lat: number | null; check_in_lng: number | null; check_in_distance_m: number | null;
  check_out_at: string | null; check_out_lat: number | null; check_out_lng: number | null; check_out_distance_m: number | null;
  punctuality: string | null; missed_reason: string | null; moved_from: string | null; moved_contact_id: string | null; moved_note: string | null;
  outcome_notes: string | null; order_amount_minor: number | null; order_currency: string | null; issues_json: string | null;
  created_at: string; updated_at: string; version: number;
};
export type CalendarFeedsTable = {
  id: string; user_id: string; name: string; token_hash: string; created_at: string; last_used_at: string | null; revoked_at: string | null;
};
