export type ContactsTable = {
  id: string; account_id: string; name: string; name_en: string | null; title: string | null; decision_role: string; influence: number;
  birthday: string | null; preferred_channel: string; phone: string | null; email: string | null; notes: string | null;
  created_at: string; updated_at: string; version: number;
};
