/** Kysely table types of delivery: order lines and the shipments against them. */
export type OrderLinesTable = {
  id: string; account_id: string; source_key: string; order_no: string; line_no: string | null; product_id: string | null; item: string | null;
  quantity: number | null; unit: string | null; value_minor: number | null; currency: string | null; ordered_date: string | null;
  requested_date: string | null; promised_date: string | null; status: 'open' | 'delivered' | 'cancelled'; cancelled_date: string | null;
  lane_code: string | null; planned_mode: string | null; extra_json: string | null; import_job_id: string | null; created_at: string; updated_at: string; version: number;
};
export type ShipmentsTable = {
  id: string; order_line_id: string; account_id: string; source_key: string; shipment_no: string | null; shipped_date: string | null;
  delivered_date: string | null; quantity: number | null; mode: string | null; carrier: string | null; lane_code: string | null;
  weight_grams: number | null; weight_note: string | null; freight_minor: number | null; freight_currency: string | null; freight_note: string | null;
  import_job_id: string | null; created_at: string; updated_at: string; version: number;
};
/** The calendar a dealer's delivery days are counted on (decision 022). */
export type DeliveryCalendar = 'calendar-days' | 'weekdays' | 'working-days-cn';
export type DeliveryTermsTable = {
  account_id: string; early_days: number; late_days: number; in_full_percent: number; calendar: DeliveryCalendar; note: string | null;
  updated_by: string | null; created_at: string; updated_at: string; version: number;
};
