export type ImportJobsTable = {
  id: string; kind: string; status: string; file_name: string; file_path: string; file_size: number; format: string; options_json: string | null;
  dry_run: number; created_by: string | null; created_at: string; started_at: string | null; finished_at: string | null;
  processed_lines: number; processed_bytes: number; inserted: number; updated: number; unchanged: number; skipped: number; error_count: number;
  errors_path: string | null; message: string | null; updated_at: string;
  /** When the uploaded file was removed (null while it is kept). */
  file_removed_at: string | null;
  /** Why a job failed without an error file: a stable code (file_too_complex, file_malformed, internal). */
  error_code: string | null;
};
export type ImportMappingsTable = {
  id: string; kind: string; name: string; mapping_json: string; options_json: string; created_by: string | null; created_at: string; updated_at: string; version: number;
};
export type SalesRollupsTable = {
  account_id: string; month: string; category: string; currency: string; revenue_minor: number; cost_minor: number; costed_revenue_minor: number;
  quantity: number; lines: number;
};
/** sales_rollups without the category: what segmentation over all categories reads. */
export type SalesAccountMonthsTable = {
  account_id: string; month: string; currency: string; revenue_minor: number; cost_minor: number; costed_revenue_minor: number; quantity: number; lines: number;
};
/** One row (id 1) while the rollups are known to hold every sales line (see completeRollups). */
export type SalesRollupStateTable = { id: number };
