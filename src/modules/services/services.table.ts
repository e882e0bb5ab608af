/** Kysely table types of "value beyond price": the service catalogue, entitlements, usage, requests, service levels, delivery capacity. */
export type ServiceKindsTable = {
  id: string; code: string; name: string; name_en: string; unit: string; unit_cost_minor: number; currency: string; department: string;
  active: number; created_at: string; updated_at: string; version: number;
};
export type ServiceEntitlementsTable = {
  id: string; service_kind_id: string; scope: string; tier: string | null; account_id: string | null; agreement_ref: string | null;
  quantity: number; period: string; consumed_on: string; carry_over: number; peak_windows_json: string | null;
  valid_from: string; valid_to: string | null; created_at: string; updated_at: string; version: number;
};
export type ServiceUsageTable = {
  id: string; account_id: string; service_kind_id: string; entitlement_id: string | null; period_key: string | null; quantity: number;
  status: string; cost_minor: number; currency: string; request_id: string | null; reference: string | null; note: string | null;
  at: string; delivered_at: string | null; created_by: string; created_at: string; updated_at: string; version: number;
};
export type ServiceRequestsTable = {
  id: string; number: string; account_id: string; type: string; service_kind_id: string | null; department: string; priority: string;
  subject: string; body: string; status: string; opened_by: string; opened_via: string; assignee_id: string | null; escalation_level: number;
  response_minutes: number; resolution_minutes: number; response_due_at: string; resolution_due_at: string; next_due_at: string; warn_at: string; first_response_at: string | null;
  waiting_since: string | null; paused_json: string; sla_state: string; warned_at: string | null; breached_at: string | null;
  resolved_at: string | null; closed_at: string | null; created_at: string; updated_at: string; version: number;
};
export type ServiceRequestEventsTable = {
  id: string; request_id: string; account_id: string; kind: string; internal: number; body: string | null; from_status: string | null;
  to_status: string | null; author_id: string | null; at: string;
};
export type ServiceLevelsTable = { id: string; type: string; priority: string; response_minutes: number; resolution_minutes: number; updated_at: string; version: number };
export type DepotsTable = { id: string; code: string; name: string; name_en: string; kind: string; city: string | null; lat: number | null; lng: number | null; created_at: string };
export type CapacityReservationsTable = {
  id: string; depot_id: string; week: string; truckloads: number; service_kind_id: string; note: string | null; created_at: string; updated_at: string; version: number;
};
export type CapacityOrdersTable = {
  id: string; reservation_id: string; account_id: string; truckloads: number; order_ref: string | null; delivery_date: string; status: string;
  usage_id: string | null; created_by: string; created_at: string; updated_at: string; version: number;
};
