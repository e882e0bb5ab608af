/**
 * Priority delivery in the peak season: depots, the truckloads reserved per depot and ISO week,
 * the orders placed against a reservation, and the warnings a planner acts on.
 */
import { z } from 'zod';
import { accountNames } from '../../platform/names.contract.js';
import { isWeek, reservationStatuses } from './capacity.domain.js';

const text = (o: { min?: number; max: number }) => z.string().trim().min(o.min ?? 0).max(o.max);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const isoWeek = z.string().regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'an ISO week such as 2027-W14').refine(isWeek, 'this year has no such week');

export const DepotKind = z.enum(['plant', 'depot']);

export const Depot = z.object({ id: z.string(), code: z.string(), name: z.string(), nameEn: z.string(), kind: DepotKind, city: z.string().nullable() });
export type Depot = z.infer<typeof Depot>;

export const CreateDepotBody = z.strictObject({
  code: text({ min: 1, max: 40 }).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _'),
  name: text({ min: 1, max: 120 }),
  nameEn: text({ min: 1, max: 120 }),
  kind: DepotKind.describe('plant: ships from the works; depot: a transit warehouse'),
  city: text({ max: 60 }).nullable().default(null),
  lat: z.number().min(-90).max(90).nullable().default(null),
  lng: z.number().min(-180).max(180).nullable().default(null),
});

export const ReservationStatus = z.enum(reservationStatuses);

export const Reservation = z.object({
  id: z.string(),
  depotId: z.string(),
  depotName: z.string(),
  depotNameEn: z.string(),
  week: z.string(),
  weekStart: z.string().describe('The Monday the week starts on, YYYY-MM-DD'),
  serviceKindId: z.string(),
  truckloads: z.number().int().describe('Reserved'),
  ordered: z.number().int().describe('Placed or delivered orders (cancelled ones are given back)'),
  free: z.number().int().describe('Reserved and not ordered; 0 when over-subscribed'),
  status: ReservationStatus.describe('over: over-subscribed; unused: the week starts within 7 days and less than half of it is ordered; past: the week has ended'),
  note: z.string().nullable(),
  version: z.number().int(),
});
export type Reservation = z.infer<typeof Reservation>;

export const CapacityWarning = z.object({
  reservationId: z.string(),
  kind: z.enum(['over', 'unused']),
  message: z.string().describe('In English, for API readers; the web app words its own from the reservation'),
});
export type CapacityWarning = z.infer<typeof CapacityWarning>;

export const ReservationList = z.object({ items: z.array(Reservation), warnings: z.array(CapacityWarning) });

export const ReservationQuery = z.strictObject({
  from: isoWeek.optional().describe('First week; the current week when omitted'),
  to: isoWeek.optional().describe('Last week; 11 weeks after `from` when omitted (at most 106 weeks in all)'),
  depotId: z.string().uuid().optional(),
});

export const CreateReservationBody = z.strictObject({
  depotId: z.string().uuid(),
  week: isoWeek,
  serviceKindId: z.string().uuid().optional().describe('A service counted in truckloads; the catalogue\'s "priority_delivery" when omitted'),
  truckloads: z.number().int().min(0).max(10_000),
  note: text({ max: 500 }).nullable().default(null),
});
export const UpdateReservationBody = z.strictObject({
  truckloads: z.number().int().min(0).max(10_000).optional().describe('Below what is ordered is allowed: the week then shows as over-subscribed'),
  note: text({ max: 500 }).nullable().optional(),
  version: z.number().int(),
});

export const OrderStatus = z.enum(['placed', 'delivered', 'cancelled']);

export const CapacityOrder = z.object({
  id: z.string(),
  reservationId: z.string(),
  accountId: z.string(),
  ...accountNames,
  accountCode: z.string(),
  truckloads: z.number().int(),
  orderRef: z.string().nullable(),
  deliveryDate: z.string(),
  status: OrderStatus,
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type CapacityOrder = z.infer<typeof CapacityOrder>;

export const OrderList = z.object({ items: z.array(CapacityOrder) });

export const PlaceOrderBody = z.strictObject({
  accountId: z.string().uuid(),
  truckloads: z.number().int().min(1).max(1000),
  deliveryDate: isoDate.describe('A day of the reservation\'s week'),
  orderRef: text({ max: 80 }).nullable().default(null),
  /** Over-subscribing a week needs saying so: the planner is warned and decides. */
  allowOver: z.boolean().default(false),
});
export const OrderStatusBody = z.strictObject({ status: z.enum(['delivered', 'cancelled']), version: z.number().int() });
