export type SitesTable = {
  id: string; account_id: string; name: string; kind: string; address: string | null; city: string | null; province: string | null;
  lat: number | null; lng: number | null; opening_hours: string | null; created_at: string; updated_at: string; version: number;
};
