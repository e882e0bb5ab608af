import type { Generated } from 'kysely';

export type ProductsTable = {
  id: string; sku: string; name_en: string; name_zh: string; unit: string; pack_size: number; category: string;
  created_at: string; updated_at: string; version: number;
};
/** `id`: an integer made by the database (SQLite rowid, PostgreSQL identity); the natural key is (doc_no, line_no). */
export type SalesLinesTable = {
  id: Generated<number>; doc_no: string; line_no: number; date: string; account_id: string; product_id: string; quantity: number;
  net_amount_minor: number; cost_amount_minor: number | null; currency: string; created_at: string; updated_at: string;
};
