/** Kysely table type of the stock module: what a dealer reported on hand (and sold) of a product on a date. */
export type DealerStockReportsTable = {
  id: string; account_id: string; product_id: string | null; item: string | null; report_date: string; on_hand: number; sold_since_last: number | null;
  unit: string | null; source: 'import' | 'portal' | 'count'; source_key: string; import_job_id: string | null; created_by: string | null;
  created_at: string; updated_at: string; version: number;
};
