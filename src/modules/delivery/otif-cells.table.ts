/** Kysely table types of the OTIF cells (decision 027). Counters are bigint: PostgreSQL sums come back as text, read with Number(). */
export type OtifCellsTable = {
  account_id: string; month: string;
  counted: number; on_time: number; in_full_known: number; in_full: number; otif: number;
  v_lines: number; v_ordered: number; v_on_time: number; v_in_full: number; v_otif: number;
  cancelled: number; cancelled_late: number;
  o_counted: number; o_on_time: number; o_in_full_known: number; o_in_full: number; o_otif: number;
  lateness: string;
};
export type OtifOpenLinesTable = { line_id: string; account_id: string; month: string; order_no: string; overdue_from: string; qty_known: number; ordered_qty: number };
export type OtifOpenOrdersTable = { account_id: string; month: string; order_no: string; flags: number; due_known: string | null; due_unknown: string | null };
export type OtifRollupStateTable = { id: string; ready: number; cn_stamp: string | null; built_at: string | null };
