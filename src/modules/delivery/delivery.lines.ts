/**
 * What the two OTIF paths share (decisions 018, 022, 027): a dealer's stored terms as the domain's
 * tolerances and calendar, and order lines assembled from rows of a line joined to its shipments.
 */
import type { Config } from '../../server/config.js';
import { loadChinaHolidays } from '../services/work-calendar.js';
import type { DeliveryCalendar, DeliveryTermsTable } from './delivery.table.js';
import { CALENDAR_DAYS, type DayCalendar, type OtifCellLine, type OtifTerms, workingDays } from './otif.domain.js';

/** The day calendar of a stored calendar name (China's: the shipped holidays with the loaded years over them). */
export function dayCalendar(config: Pick<Config, 'dataDir'>, name: DeliveryCalendar): DayCalendar {
  if (name === 'weekdays') return WEEKDAYS;
  if (name === 'working-days-cn') return workingDaysCn(loadChinaHolidays(config.dataDir));
  return CALENDAR_DAYS;
}
const WEEKDAYS = workingDays(null);
// One calendar object per holiday table, so the domain builds its ordinal table once per table.
const cnCalendars = new WeakMap<object, DayCalendar>();
function workingDaysCn(table: ReturnType<typeof loadChinaHolidays>): DayCalendar {
  let c = cnCalendars.get(table);
  if (!c) { c = workingDays(table); cnCalendars.set(table, c); }
  return c;
}

/** With no terms agreed: no tolerance, calendar days (what a dealer would count itself). */
export const NO_TERMS = { earlyDays: 0, lateDays: 0, inFullPercent: 0, calendar: 'calendar-days' as const };
const NO_TERMS_DOMAIN: OtifTerms = { tolerances: { earlyDays: 0, lateDays: 0, inFullPercent: 0 }, calendar: CALENDAR_DAYS };

/** A stored row of terms as the domain's; none agreed: no tolerance on calendar days. */
export function termsOfRow(config: Pick<Config, 'dataDir'>, r: DeliveryTermsTable | undefined): OtifTerms {
  if (!r) return NO_TERMS_DOMAIN;
  return { tolerances: { earlyDays: r.early_days, lateDays: r.late_days, inFullPercent: r.in_full_percent }, calendar: dayCalendar(config, r.calendar) };
}

/** One row per shipment (or one for a line without any), the rows of a line one after another. */
export type LineShipmentRow = {
  id: string; order_no: string; account_id: string; quantity: number | string | null; promised_date: string | null; status: string; cancelled_date: string | null;
  ship_date: string | null; ship_qty: number | string | null;
};

/**
 * Order lines from rows of lines joined to their shipments. Orders are per month of promise
 * (decision 027): `orderId` is account/order/month. A shipment without a delivered date is no
 * delivery; one without a quantity delivers the line's ordered quantity.
 */
export function linesOfRows<R extends LineShipmentRow>(rows: Iterable<R>, keysOf: (r: R) => Record<string, string> = (r) => ({ account: r.account_id })): OtifCellLine[] {
  const lines: OtifCellLine[] = [];
  let cur: (OtifCellLine & { deliveries: { date: string; quantity: number }[] }) | null = null;
  for (const r of rows) {
    if (!cur || cur.id !== r.id) {
      cur = {
        id: r.id, account: r.account_id, orderNo: r.order_no, orderId: `${r.account_id}/${r.order_no}/${r.promised_date!.slice(0, 7)}`,
        promisedDate: r.promised_date!, deliveries: [], orderedQty: r.quantity == null ? null : Number(r.quantity),
        status: r.status as OtifCellLine['status'], cancelledDate: r.cancelled_date, keys: keysOf(r),
      };
      lines.push(cur);
    }
    if (r.ship_date) cur.deliveries.push({ date: r.ship_date, quantity: r.ship_qty == null ? Number(r.quantity ?? 0) : Number(r.ship_qty) });
  }
  return lines;
}
