import { z } from 'zod';
import { accountNames } from '../../platform/names.contract.js';
import { isTimeZone } from '../../shared/time.js';

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const isoDate = z.iso.date();
const timeZone = z.string().max(64).refine(isTimeZone, 'an IANA time zone such as Asia/Shanghai');
const uuid = z.string().uuid();
const limit = z.coerce.number().int().min(1).max(200).default(50);
const cursor = z.string().max(500).optional().describe('nextCursor of the previous page');
const sort = (keys: string) => z.string().max(30).optional().describe(`${keys}; prefix - for descending`);
const siteDetails = {
  siteName: z.string().nullable(),
  siteAddress: z.string().nullable(),
  site: z.object({ lat: z.number(), lng: z.number() }).nullable().describe('The site\'s position; null without a site or position'),
};
/** A cursor page (src/db/keyset.ts): pass nextCursor as cursor for the next page; null on the last. */
export const paged = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

// ---- routes (a manager's named weekday route) ----

export const VisitRoute = z.object({
  id: z.string(),
  name: z.string(),
  managerId: z.string(),
  weekday: Weekday,
  timeZone: z.string(),
  base: z.object({ label: z.string().nullable(), lat: z.number(), lng: z.number() }),
  dayStart: z.string(),
  dayEnd: z.string(),
  stops: z.array(z.object({
    planId: z.string(), accountId: z.string(), ...accountNames, siteId: z.string().nullable(), ...siteDetails,
    position: z.number().int().nullable(), startTime: z.string(), durationMinutes: z.number().int(), timeFixed: z.boolean(), version: z.number().int(),
  })),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type VisitRoute = z.infer<typeof VisitRoute>;

const baseBody = z.strictObject({ label: z.string().trim().max(200).nullable().default(null), lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) });
export const CreateRouteBody = z.strictObject({
  name: z.string().trim().min(1).max(120),
  managerId: uuid.optional().describe('Defaults to the caller'),
  weekday: Weekday,
  timeZone: timeZone.default('Asia/Shanghai'),
  base: baseBody,
  dayStart: hhmm.default('08:00'),
  dayEnd: hhmm.default('18:00'),
});
export type CreateRouteBody = z.infer<typeof CreateRouteBody>;
export const UpdateRouteBody = z.strictObject({ name: z.string().trim().min(1).max(120), base: baseBody, dayStart: hhmm, dayEnd: hhmm }).partial();
export type UpdateRouteBody = z.infer<typeof UpdateRouteBody>;
export const RouteQuery = z.strictObject({ managerId: uuid.optional(), weekday: Weekday.optional() });

// ---- call plans ----

export const SlotFields = z.object({
  weekday: Weekday,
  startTime: z.string().describe('Local HH:MM'),
  durationMinutes: z.number().int(),
  intervalWeeks: z.number().int(),
  timeZone: z.string(),
  anchorDate: z.string().describe('Local date of the first occurrence; every N weeks counts from it'),
  endsOn: z.string().nullable(),
  siteId: z.string().nullable(),
  managerId: z.string(),
  routeId: z.string().nullable(),
  routePosition: z.number().int().nullable(),
  timeFixed: z.boolean().describe('The customer holds this time: optimisation keeps it'),
  toleranceMinutes: z.number().int().describe('Punctuality: on time within ± this many minutes'),
});
export type SlotFields = z.infer<typeof SlotFields>;

export const CallPlan = SlotFields.extend({
  id: z.string(),
  accountId: z.string(),
  ...accountNames,
  managerName: z.string(),
  ...siteDetails,
  rrule: z.string().describe('RFC 5545: DTSTART;TZID=…, RRULE:FREQ=WEEKLY;INTERVAL=…'),
  status: z.enum(['active', 'ended']),
  pendingChanges: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type CallPlan = z.infer<typeof CallPlan>;

const slotInput = {
  weekday: Weekday,
  startTime: hhmm,
  durationMinutes: z.number().int().min(5).max(600),
  intervalWeeks: z.number().int().min(1).max(12),
  timeZone,
  startsOn: isoDate.describe('First possible date; the first occurrence is the next slot weekday on or after it'),
  endsOn: isoDate.nullable(),
  siteId: uuid.nullable(),
  managerId: uuid,
  routeId: uuid.nullable(),
  routePosition: z.number().int().min(0).max(1000).nullable(),
  timeFixed: z.boolean(),
  toleranceMinutes: z.number().int().min(0).max(120),
};

export const CreatePlanBody = z.strictObject({
  accountId: uuid,
  ...slotInput,
  intervalWeeks: slotInput.intervalWeeks.default(1),
  timeZone: slotInput.timeZone.default('Asia/Shanghai'),
  startsOn: slotInput.startsOn.optional().describe('Default: today'),
  endsOn: slotInput.endsOn.default(null),
  siteId: slotInput.siteId.default(null),
  managerId: slotInput.managerId.optional().describe('Defaults to the caller'),
  routeId: slotInput.routeId.default(null),
  routePosition: slotInput.routePosition.default(null),
  timeFixed: slotInput.timeFixed.default(false),
  toleranceMinutes: slotInput.toleranceMinutes.default(10),
});
export type CreatePlanBody = z.infer<typeof CreatePlanBody>;

export const PlanQuery = z.strictObject({
  managerId: uuid.optional(), accountId: uuid.optional(), routeId: uuid.optional(), weekday: Weekday.optional(),
  status: z.enum(['active', 'ended']).optional(),
  limit, cursor, sort: sort('slot (weekday, then start time; default), accountName, createdAt'),
});
export type PlanQuery = z.infer<typeof PlanQuery>;

// ---- change control ----

export const ChangeReason = z.enum(['customer_request', 'route_optimisation', 'manager_capacity', 'other']);
export const SlotPatch = z.strictObject(slotInput).partial();
export type SlotPatch = z.infer<typeof SlotPatch>;

export const ChangeRequestBody = z.strictObject({
  reason: ChangeReason,
  contactId: uuid.optional().describe('Required for customer_request: the contact of the account who asked'),
  note: z.string().trim().max(2000).optional().describe('Required for reason other'),
  slot: SlotPatch,
});
export type ChangeRequestBody = z.infer<typeof ChangeRequestBody>;

export const BatchChangeBody = z.strictObject({
  reason: ChangeReason.exclude(['customer_request']),
  note: z.string().trim().max(2000).optional(),
  changes: z.array(z.strictObject({ planId: uuid, version: z.number().int(), slot: SlotPatch })).min(1).max(200),
});
export type BatchChangeBody = z.infer<typeof BatchChangeBody>;

export const PlanChange = z.object({
  id: z.string(),
  planId: z.string(),
  accountId: z.string(),
  ...accountNames,
  managerId: z.string(),
  managerName: z.string(),
  kind: z.enum(['create', 'change']),
  reason: z.enum(['initial', 'customer_request', 'route_optimisation', 'manager_capacity', 'other']),
  note: z.string().nullable(),
  contactId: z.string().nullable(),
  contactName: z.string().nullable().describe('The contact who asked (customer requests)'),
  contactNameEn: z.string().nullable().describe("That contact's English name, when they have one"),
  status: z.enum(['applied', 'pending', 'rejected', 'superseded']),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()),
  requestedBy: z.string(),
  requestedByName: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
export type PlanChange = z.infer<typeof PlanChange>;

export const ChangeQuery = z.strictObject({
  status: z.enum(['applied', 'pending', 'rejected', 'superseded']).optional(),
  managerId: uuid.optional(),
  planId: uuid.optional(),
  limit, cursor, sort: sort('requestedAt (default)'),
});
export type ChangeQuery = z.infer<typeof ChangeQuery>;
export const DecisionBody = z.strictObject({ note: z.string().trim().max(2000).optional() });

// ---- optimisation ----

/**
 * Why a stop or account could not be planned, for the UI to translate: a code and its parameters
 * (times are local HH:MM; `openingHours` lists windows as "HH:MM–HH:MM"). `reason` is the English text.
 */
export const IssueParams = z.object({
  weekday: Weekday.optional(),
  durationMinutes: z.number().int().optional(),
  openingHours: z.array(z.string()).optional(),
  fixedStart: z.string().optional(),
  dayStart: z.string().optional(),
  dayEnd: z.string().optional(),
  earliestArrival: z.string().optional(),
  visitEnd: z.string().optional(),
  returnMinutes: z.number().optional(),
  otherVisits: z.number().int().optional(),
  days: z.array(z.object({ weekday: Weekday, code: z.string(), visits: z.number().int().optional() })).optional().describe('fits-no-day: why, day by day'),
  planningDays: z.array(Weekday).optional(),
});
export const StopIssue = z.object({ planId: z.string(), accountId: z.string(), ...accountNames, code: z.string(), params: IssueParams, reason: z.string() });
export const DayProposal = z.object({
  routeId: z.string(),
  weekday: Weekday,
  timeZone: z.string(),
  complete: z.boolean(),
  departure: z.string(),
  returnTime: z.string(),
  travelMinutes: z.number().describe('The proposal\'s drive: base, stops, back'),
  travelMetres: z.number(),
  current: z.object({ travelMinutes: z.number(), travelMetres: z.number() }).describe('The same stops driven in today\'s order (by their current times)'),
  saving: z.object({
    minutes: z.number(), metres: z.number(),
    minutesPercent: z.number().describe('Of the current drive time, one decimal; negative when the proposal drives longer (e.g. to meet opening hours)'),
    metresPercent: z.number(),
  }).describe('current − proposal'),
  stops: z.array(z.object({
    position: z.number().int(), planId: z.string(), accountId: z.string(), ...accountNames, siteId: z.string().nullable(), siteName: z.string().nullable(), fixed: z.boolean(),
    currentStart: z.string(), proposedStart: z.string(), proposedEnd: z.string(), arrival: z.string(), travelMinutesFromPrevious: z.number(),
  })),
  unassigned: z.array(StopIssue),
  changes: BatchChangeBody.shape.changes.element.array().describe('Submit to POST /api/v1/call-plan-changes/batch to apply (director approval)'),
});
export const OptimiseDayBody = z.strictObject({ keepTimes: z.boolean().default(false).describe('Keep every current start time (order only)') });

export const OptimiseWeekBody = z.strictObject({
  managerId: uuid.optional(),
  /** New key accounts to place (no plan yet). */
  newAccounts: z.array(z.strictObject({ accountId: uuid, siteId: uuid.optional(), durationMinutes: z.number().int().min(5).max(600).default(60) })).max(200).default([]),
  /** Existing plans to re-place (their account changed or asked). */
  changedPlanIds: z.array(uuid).max(200).default([]),
  allowMovingExisting: z.boolean().default(false),
  days: z.array(Weekday).min(1).max(7).default(['mon', 'tue', 'wed', 'thu', 'fri']),
});
export type OptimiseWeekBody = z.infer<typeof OptimiseWeekBody>;
export const WeekProposal = z.object({
  managerId: z.string(),
  assignments: z.array(z.object({
    accountId: z.string(), ...accountNames, planId: z.string().nullable(), siteId: z.string().nullable(), siteName: z.string().nullable(),
    weekday: Weekday, start: z.string(), durationMinutes: z.number().int(), previous: z.object({ weekday: Weekday, start: z.string() }).nullable(),
    status: z.enum(['kept', 'placed', 'moved']), routeId: z.string().nullable(),
  })),
  unassigned: z.array(z.object({ accountId: z.string(), ...accountNames, planId: z.string().nullable(), code: z.string(), params: IssueParams, reason: z.string() })),
  travelMinutes: z.number(),
  changes: BatchChangeBody.shape.changes.element.array().describe('Submit to POST /api/v1/call-plan-changes/batch to apply (director approval)'),
});

// ---- visits ----

export const Issue = z.strictObject({ text: z.string().trim().min(1).max(1000), severity: z.enum(['low', 'medium', 'high']).default('medium') });
export const Money = z.strictObject({ amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), currency: z.string().regex(/^[A-Z]{3}$/) });

export const Visit = z.object({
  id: z.string(),
  planId: z.string(),
  accountId: z.string(),
  ...accountNames,
  siteId: z.string().nullable(),
  siteName: z.string().nullable(),
  siteAddress: z.string().nullable(),
  site: z.object({ lat: z.number(), lng: z.number() }).nullable(),
  managerId: z.string(),
  occurrenceDate: z.string(),
  scheduledStart: z.string(),
  scheduledEnd: z.string(),
  localStart: z.string().describe('Local wall-clock start in timeZone, YYYY-MM-DDTHH:MM:SS'),
  timeZone: z.string(),
  status: z.enum(['planned', 'checked_in', 'completed', 'missed', 'cancelled']),
  outcome: z.enum(['on_time', 'late', 'early', 'missed', 'moved', 'upcoming', 'cancelled']),
  toleranceMinutes: z.number().int(),
  checkInWindow: z.object({ opensAt: z.string(), closesAt: z.string() })
    .describe('When a check-in is accepted: from 2 h before the start to the end of the visit\'s local day (later than the start: marked late)'),
  checkIn: z.object({ at: z.string(), lat: z.number().nullable(), lng: z.number().nullable(), distanceMetres: z.number().nullable() }).nullable().describe('lat/lng null when the phone had no position'),
  checkOut: z.object({ at: z.string(), lat: z.number().nullable(), lng: z.number().nullable(), distanceMetres: z.number().nullable() }).nullable(),
  punctuality: z.enum(['on_time', 'late', 'early']).nullable(),
  missedReason: z.string().nullable(),
  moved: z.object({ from: z.string(), contactId: z.string().nullable(), note: z.string().nullable() }).nullable(),
  outcomeNotes: z.string().nullable(),
  order: z.object({ amountMinor: z.number().int(), currency: z.string() }).nullable(),
  issues: z.array(z.object({ text: z.string(), severity: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Visit = z.infer<typeof Visit>;

export const VisitQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  managerId: uuid.optional(),
  accountId: uuid.optional(),
  planId: uuid.optional(),
  status: Visit.shape.status.optional(),
  needsReason: z.enum(['true', 'false']).optional().describe('true: missed visits that still need a reason'),
  when: z.enum(['upcoming', 'past']).optional()
    .describe('upcoming: not over yet (the slot has not ended and the visit is not done), soonest first; past: over, newest first (either order unless sort says otherwise)'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  cursor, sort: sort('scheduledStart (default ascending; default descending with when=past)'),
});
export type VisitQuery = z.infer<typeof VisitQuery>;

// Position is optional: a phone may deny or lack it; then the reason is given instead.
const position = {
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  positionUnavailable: z.enum(['denied', 'unavailable']).optional().describe('Why there is no position'),
};
const positionRule = (b: { lat?: number; lng?: number; positionUnavailable?: string }, ctx: z.RefinementCtx) => {
  if ((b.lat === undefined) !== (b.lng === undefined)) ctx.addIssue({ code: 'custom', path: [b.lat === undefined ? 'lat' : 'lng'], message: 'send both lat and lng, or neither' });
  else if (b.lat === undefined && !b.positionUnavailable) ctx.addIssue({ code: 'custom', path: ['positionUnavailable'], message: 'say why there is no position (denied or unavailable)' });
};
const deviceTime = z.iso.datetime({ offset: true }).optional().describe('When the phone recorded it (offline use); default now; never in the future');
export const CheckInBody = z.strictObject({ ...position, at: deviceTime, accuracyMetres: z.number().min(0).max(100_000).optional() }).superRefine(positionRule);
export const CheckOutBody = z.strictObject({
  ...position, at: deviceTime,
  outcomeNotes: z.string().trim().max(5000).optional(), order: Money.nullable().optional(), issues: z.array(Issue).max(50).optional(),
}).superRefine(positionRule);
export const UpdateVisitBody = z.strictObject({ outcomeNotes: z.string().trim().max(5000).nullable(), order: Money.nullable(), issues: z.array(Issue).max(50) }).partial();
export const MissedBody = z.strictObject({ reason: z.string().trim().min(3).max(2000) });
export const MoveBody = z.strictObject({
  contactId: uuid.describe('The contact of the account who asked to move this visit'),
  start: z.iso.datetime({ offset: true }).describe('New start, e.g. 2026-12-08T10:00:00+08:00'),
  note: z.string().trim().max(2000).optional(),
});
export const MaterialiseBody = z.strictObject({ weeks: z.number().int().min(1).max(26).default(4), managerId: uuid.optional() });
export const MaterialiseResult = z.object({ plans: z.number().int(), created: z.number().int(), updated: z.number().int(), removed: z.number().int() });

export const Today = z.object({ date: z.string(), timeZone: z.string(), managerId: z.string(), visits: z.array(Visit), next: Visit.nullable() });
export const TodayQuery = z.strictObject({ managerId: uuid.optional() });

const Counts = z.object({
  scheduled: z.number().int(), onTime: z.number().int(), late: z.number().int(), early: z.number().int(), missed: z.number().int(),
  missedWithoutReason: z.number().int(), moved: z.number().int(), upcoming: z.number().int(), due: z.number().int(),
  visitRate: z.number().nullable(), onTimeRate: z.number().nullable(),
});
export const ComplianceQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }), managerId: uuid.optional(), teamId: uuid.optional(),
});
export const Compliance = z.object({
  from: z.string(), to: z.string(),
  managers: z.array(Counts.extend({ managerId: z.string(), name: z.string(), teamId: z.string().nullable() })),
  teams: z.array(Counts.extend({ teamId: z.string().nullable(), name: z.string().nullable() })),
  total: Counts,
});

// ---- calendar ----

export const CalendarFeed = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() });
export const CreatedFeed = CalendarFeed.extend({ token: z.string().describe('Shown once'), url: z.string().describe('Subscribe to this URL (shown once)') });
export const ProgramManager = z.object({
  id: z.string(), name: z.string(), role: z.enum(['manager', 'director']), teamId: z.string().nullable(), teamName: z.string().nullable(), timeZone: z.string(),
  canPlan: z.boolean().describe('The caller may create plans and routes for this manager'),
  self: z.boolean(),
});
export type ProgramManager = z.infer<typeof ProgramManager>;
export const CreateFeedBody = z.strictObject({ name: z.string().trim().min(1).max(100).default('My visits') });
