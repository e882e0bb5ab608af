/** Kysely table types of rebate agreements, their versions and accounts, accruals and settlements. */
export type RebateAgreementsTable = {
  id: string; number: string; name: string; currency: string; period_start: string; period_end: string; status: string;
  settlement_dates_json: string; expected_basis: number; internal_note: string | null; created_by: string;
  approved_by: string | null; approved_at: string | null; created_at: string; updated_at: string; version: number;
};
export type RebateAgreementVersionsTable = {
  id: string; agreement_id: string; seq: number; effective_from: string; terms_json: string; value_minor: number; status: string;
  note: string | null; created_by: string; created_at: string;
};
export type RebateAgreementAccountsTable = { agreement_id: string; account_id: string };
export type RebateAccrualsTable = {
  agreement_id: string; month: string; version_id: string; policy: string; basis: number; tier_index: number;
  earned_to_date_minor: number; accrued_minor: number; computed_at: string;
};
export type RebateSettlementsTable = {
  id: string; agreement_id: string; seq: number; number: string; kind: string; cutoff: string; version_id: string; basis: number; tier_index: number;
  earned_to_date_minor: number; already_paid_minor: number; amount_minor: number; currency: string; status: string;
  reversed_at: string | null; reversed_by: string | null; reversal_reason: string | null; created_by: string; created_at: string;
};
export type RebateSettlementLinesTable = { settlement_id: string; line_no: number; account_id: string; basis: number; amount_minor: number };
