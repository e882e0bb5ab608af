import type { Migration, MigrationProvider } from 'kysely';
import * as identity from './migrations/2026_11_26_1900_create_identity.js';
import * as accounts from './migrations/2026_11_26_1901_create_accounts.js';
import * as contactsSites from './migrations/2026_11_26_1902_create_contacts_sites.js';
import * as products from './migrations/2026_11_26_1903_create_products.js';
import * as activities from './migrations/2026_11_26_1904_create_activities.js';
import * as audit from './migrations/2026_11_26_1905_create_audit_log.js';
import * as sales from './migrations/2026_11_26_1906_create_sales_lines.js';
import * as visitRoutes from './migrations/2026_11_26_2100_create_visit_routes.js';
import * as callPlans from './migrations/2026_11_26_2101_create_call_plans.js';
import * as callPlanChanges from './migrations/2026_11_26_2102_create_call_plan_changes.js';
import * as visits from './migrations/2026_11_26_2103_create_visits.js';
import * as calendarFeeds from './migrations/2026_11_26_2104_create_calendar_feeds.js';
import * as siteRisk from './migrations/2026_11_26_2200_create_site_risk.js';
import * as hazardAlerts from './migrations/2026_11_26_2201_create_hazard_alerts.js';
import * as hazardGeocodes from './migrations/2026_11_26_2202_create_hazard_geocodes.js';
import * as hazardFeeds from './migrations/2026_11_26_2203_create_hazard_feeds.js';
import * as hazardTracks from './migrations/2026_11_26_2204_create_hazard_tracks.js';
import * as hazardMatches from './migrations/2026_11_26_2205_create_hazard_matches.js';
import * as advisories from './migrations/2026_11_26_2206_create_advisories.js';
import * as notifications from './migrations/2026_11_26_2207_create_notifications.js';
import * as importJobs from './migrations/2026_11_26_2300_create_import_jobs.js';
import * as importMappings from './migrations/2026_11_26_2301_create_import_mappings.js';
import * as salesRollups from './migrations/2026_11_26_2302_create_sales_rollups.js';
import * as keyAccounts from './migrations/2026_11_26_2303_create_key_account_designations.js';
import * as rollupsCover from './migrations/2026_11_26_2304_index_sales_rollups_cover.js';
import * as accountMonths from './migrations/2026_11_26_2310_create_sales_account_months.js';
import * as salesLineIds from './migrations/2026_11_26_2320_sales_lines_integer_ids.js';
import * as tasks from './migrations/2026_12_02_1100_create_tasks.js';
import * as accountNotes from './migrations/2026_12_02_1101_create_account_notes.js';
import * as activitiesVisitId from './migrations/2026_12_03_1400_activities_visit_id.js';
import * as rollupState from './migrations/2026_11_27_0900_create_sales_rollup_state.js';
import * as feedErrorCode from './migrations/2026_12_01_2110_hazard_feeds_error_code.js';
import * as readinessProbe from './migrations/2026_12_01_2100_create_readiness_probe.js';
import * as knownDevices from './migrations/2026_12_02_1000_create_known_devices.js';
import * as sessionsLastSeen from './migrations/2026_12_02_1001_sessions_last_seen.js';
import * as importFileRemoved from './migrations/2026_12_01_2100_import_jobs_file_removed_at.js';
import * as importErrorCode from './migrations/2026_12_01_2101_import_jobs_error_code.js';
import * as accountAttachments from './migrations/2026_12_03_1200_create_account_attachments.js';
import * as attachmentBlobs from './migrations/2026_12_03_1201_create_attachment_blobs.js';
import * as hazardHeadlines from './migrations/2026_12_03_1500_hazard_alerts_headlines.js';
import * as usersPhone from './migrations/2026_12_03_1501_users_phone.js';
import * as usersDepartment from './migrations/2026_12_04_0900_users_department.js';
import * as serviceKinds from './migrations/2026_12_04_0901_create_service_kinds.js';
import * as serviceEntitlements from './migrations/2026_12_04_0902_create_service_entitlements.js';
import * as serviceUsage from './migrations/2026_12_04_0903_create_service_usage.js';
import * as serviceRequests from './migrations/2026_12_04_0904_create_service_requests.js';
import * as serviceRequestEvents from './migrations/2026_12_04_0905_create_service_request_events.js';
import * as serviceLevels from './migrations/2026_12_04_0906_create_service_levels.js';
import * as deliveryCapacity from './migrations/2026_12_04_0907_create_delivery_capacity.js';
import * as rebateAgreements from './migrations/2026_12_05_1100_create_rebate_agreements.js';
import * as rebateVersions from './migrations/2026_12_05_1101_create_rebate_agreement_versions.js';
import * as rebateAccounts from './migrations/2026_12_05_1102_create_rebate_agreement_accounts.js';
import * as rebateAccruals from './migrations/2026_12_05_1103_create_rebate_accruals.js';
import * as rebateSettlements from './migrations/2026_12_05_1104_create_rebate_settlements.js';
import * as rebateSettlementLines from './migrations/2026_12_05_1105_create_rebate_settlement_lines.js';
import * as accountsPriceGroup from './migrations/2026_12_05_1000_accounts_price_group.js';
import * as priceLists from './migrations/2026_12_05_1001_create_price_lists.js';
import * as priceListItems from './migrations/2026_12_05_1002_create_price_list_items.js';
import * as competitorObservations from './migrations/2026_12_05_1200_create_competitor_observations.js';
import * as undercutAlerts from './migrations/2026_12_05_1201_create_undercut_alerts.js';
import * as competitorOffers from './migrations/2026_12_05_1202_create_competitor_offers.js';
import * as orderLines from './migrations/2026_12_06_1000_create_order_lines.js';
import * as shipments from './migrations/2026_12_06_1001_create_shipments.js';
import * as deliveryTerms from './migrations/2026_12_07_0900_create_delivery_terms.js';
import * as dealerStockReports from './migrations/2026_12_07_3000_create_dealer_stock_reports.js';
import * as claims from './migrations/2026_12_07_1000_create_claims.js';
import * as claimLines from './migrations/2026_12_07_1001_create_claim_lines.js';
import * as claimEvents from './migrations/2026_12_07_1002_create_claim_events.js';
import * as claimAttachments from './migrations/2026_12_07_1003_create_claim_attachments.js';
import * as lanes from './migrations/2026_12_07_2000_create_lanes.js';
import * as laneRates from './migrations/2026_12_07_2001_create_lane_rates.js';
import * as modeRules from './migrations/2026_12_07_2002_create_mode_rules.js';
import * as otifCells from './migrations/2026_12_07_5000_create_otif_cells.js';
import * as otifOpenLines from './migrations/2026_12_07_5001_create_otif_open_lines.js';
import * as otifOpenOrders from './migrations/2026_12_07_5002_create_otif_open_orders.js';
import * as otifRollupState from './migrations/2026_12_07_5003_create_otif_rollup_state.js';
import * as claimResponseMinutes from './migrations/2026_12_08_4000_claims_response_minutes.js';
import * as claimDecisionMinutes from './migrations/2026_12_08_4001_claims_decision_minutes.js';
import * as vmiSettings from './migrations/2026_12_09_1000_create_vmi_settings.js';
import * as vmiLineSettings from './migrations/2026_12_09_1001_create_vmi_line_settings.js';
import * as vmiDrafts from './migrations/2026_12_09_1002_create_vmi_drafts.js';
import * as vmiDraftLines from './migrations/2026_12_09_1003_create_vmi_draft_lines.js';
import * as vmiDraftEdits from './migrations/2026_12_09_1004_create_vmi_draft_edits.js';
import * as vmiSignatures from './migrations/2026_12_09_1005_create_vmi_signatures.js';
import * as vmiCounts from './migrations/2026_12_09_1006_create_vmi_counts.js';
import * as stakeholders from './migrations/2026_12_09_6000_create_stakeholders.js';
import * as stakeholderTies from './migrations/2026_12_09_6001_create_stakeholder_ties.js';
import * as keyDates from './migrations/2026_12_09_6002_create_key_dates.js';
import * as gifts from './migrations/2026_12_09_6003_create_gifts.js';

// Listed explicitly (not read from disk) so the same set runs from tsx, tests and bundles.
// Append new migrations at the end; never edit one that has landed.
const migrations: Record<string, Migration> = {
  '2026_11_26_1900_create_identity': identity,
  '2026_11_26_1901_create_accounts': accounts,
  '2026_11_26_1902_create_contacts_sites': contactsSites,
  '2026_11_26_1903_create_products': products,
  '2026_11_26_1904_create_activities': activities,
  '2026_11_26_1905_create_audit_log': audit,
  '2026_11_26_1906_create_sales_lines': sales,
  '2026_11_26_2100_create_visit_routes': visitRoutes,
  '2026_11_26_2101_create_call_plans': callPlans,
  '2026_11_26_2102_create_call_plan_changes': callPlanChanges,
  '2026_11_26_2103_create_visits': visits,
  '2026_11_26_2104_create_calendar_feeds': calendarFeeds,
  '2026_11_26_2200_create_site_risk': siteRisk,
  '2026_11_26_2201_create_hazard_alerts': hazardAlerts,
  '2026_11_26_2202_create_hazard_geocodes': hazardGeocodes,
  '2026_11_26_2203_create_hazard_feeds': hazardFeeds,
  '2026_11_26_2204_create_hazard_tracks': hazardTracks,
  '2026_11_26_2205_create_hazard_matches': hazardMatches,
  '2026_11_26_2206_create_advisories': advisories,
  '2026_11_26_2207_create_notifications': notifications,
  '2026_11_26_2300_create_import_jobs': importJobs,
  '2026_11_26_2301_create_import_mappings': importMappings,
  '2026_11_26_2302_create_sales_rollups': salesRollups,
  '2026_11_26_2303_create_key_account_designations': keyAccounts,
  '2026_11_26_2304_index_sales_rollups_cover': rollupsCover,
  '2026_11_26_2310_create_sales_account_months': accountMonths,
  '2026_11_26_2320_sales_lines_integer_ids': salesLineIds,
  '2026_11_27_0900_create_sales_rollup_state': rollupState,
  '2026_12_01_2100_create_readiness_probe': readinessProbe,
  '2026_12_01_2100_import_jobs_file_removed_at': importFileRemoved,
  '2026_12_01_2101_import_jobs_error_code': importErrorCode,
  '2026_12_01_2110_hazard_feeds_error_code': feedErrorCode,
  '2026_12_02_1000_create_known_devices': knownDevices,
  '2026_12_02_1001_sessions_last_seen': sessionsLastSeen,
  '2026_12_02_1100_create_tasks': tasks,
  '2026_12_02_1101_create_account_notes': accountNotes,
  '2026_12_03_1200_create_account_attachments': accountAttachments,
  '2026_12_03_1201_create_attachment_blobs': attachmentBlobs,
  '2026_12_03_1400_activities_visit_id': activitiesVisitId,
  '2026_12_03_1500_hazard_alerts_headlines': hazardHeadlines,
  '2026_12_03_1501_users_phone': usersPhone,
  '2026_12_04_0900_users_department': usersDepartment,
  '2026_12_04_0901_create_service_kinds': serviceKinds,
  '2026_12_04_0902_create_service_entitlements': serviceEntitlements,
  '2026_12_04_0903_create_service_usage': serviceUsage,
  '2026_12_04_0904_create_service_requests': serviceRequests,
  '2026_12_04_0905_create_service_request_events': serviceRequestEvents,
  '2026_12_04_0906_create_service_levels': serviceLevels,
  '2026_12_04_0907_create_delivery_capacity': deliveryCapacity,
  '2026_12_05_1100_create_rebate_agreements': rebateAgreements,
  '2026_12_05_1101_create_rebate_agreement_versions': rebateVersions,
  '2026_12_05_1102_create_rebate_agreement_accounts': rebateAccounts,
  '2026_12_05_1103_create_rebate_accruals': rebateAccruals,
  '2026_12_05_1104_create_rebate_settlements': rebateSettlements,
  '2026_12_05_1105_create_rebate_settlement_lines': rebateSettlementLines,
  '2026_12_05_1000_accounts_price_group': accountsPriceGroup,
  '2026_12_05_1001_create_price_lists': priceLists,
  '2026_12_05_1002_create_price_list_items': priceListItems,
  '2026_12_05_1200_create_competitor_observations': competitorObservations,
  '2026_12_05_1201_create_undercut_alerts': undercutAlerts,
  '2026_12_05_1202_create_competitor_offers': competitorOffers,
  '2026_12_06_1000_create_order_lines': orderLines,
  '2026_12_06_1001_create_shipments': shipments,
  '2026_12_07_0900_create_delivery_terms': deliveryTerms,
  '2026_12_07_3000_create_dealer_stock_reports': dealerStockReports,
  '2026_12_07_1000_create_claims': claims,
  '2026_12_07_1001_create_claim_lines': claimLines,
  '2026_12_07_1002_create_claim_events': claimEvents,
  '2026_12_07_1003_create_claim_attachments': claimAttachments,
  '2026_12_07_2000_create_lanes': lanes,
  '2026_12_07_2001_create_lane_rates': laneRates,
  '2026_12_07_2002_create_mode_rules': modeRules,
  '2026_12_07_5000_create_otif_cells': otifCells,
  '2026_12_07_5001_create_otif_open_lines': otifOpenLines,
  '2026_12_07_5002_create_otif_open_orders': otifOpenOrders,
  '2026_12_07_5003_create_otif_rollup_state': otifRollupState,
  '2026_12_08_4000_claims_response_minutes': claimResponseMinutes,
  '2026_12_08_4001_claims_decision_minutes': claimDecisionMinutes,
  '2026_12_09_1000_create_vmi_settings': vmiSettings,
  '2026_12_09_1001_create_vmi_line_settings': vmiLineSettings,
  '2026_12_09_1002_create_vmi_drafts': vmiDrafts,
  '2026_12_09_1003_create_vmi_draft_lines': vmiDraftLines,
  '2026_12_09_1004_create_vmi_draft_edits': vmiDraftEdits,
  '2026_12_09_1005_create_vmi_signatures': vmiSignatures,
  '2026_12_09_1006_create_vmi_counts': vmiCounts,
  '2026_12_09_6000_create_stakeholders': stakeholders,
  '2026_12_09_6001_create_stakeholder_ties': stakeholderTies,
  '2026_12_09_6002_create_key_dates': keyDates,
  '2026_12_09_6003_create_gifts': gifts,
};

export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };
