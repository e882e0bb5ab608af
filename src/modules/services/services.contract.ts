import { z } from 'zod';
import { accountNames } from '../../platform/names.contract.js';
import {
  consumedOn, departments, entitlementScopes, periods, priorities, requestStatuses, requestTypes, slaStates, units,
} from './services.domain.js';

export const Department = z.enum(departments);
export const Unit = z.enum(units);
export const RequestType = z.enum(requestTypes);
export const Priority = z.enum(priorities);
export const RequestStatus = z.enum(requestStatuses);
export const SlaState = z.enum(slaStates);
export const Period = z.enum(periods);
export const EntitlementScope = z.enum(entitlementScopes);
export const ConsumedOn = z.enum(consumedOn);

/** Free text, trimmed, within bounds (NUL bytes are refused for every body by the shared hook). */
const text = (o: { min?: number; max: number }) => z.string().trim().min(o.min ?? 0).max(o.max);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a month and day as MM-DD');
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY');

// ---------- catalogue ----------

export const ServiceKind = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  unit: Unit,
  unitCostMinor: z.number().int(),
  currency: z.string(),
  department: Department,
  active: z.boolean(),
  version: z.number().int(),
});
export type ServiceKind = z.infer<typeof ServiceKind>;

export const CreateServiceKindBody = z.strictObject({
  code: text({ min: 1, max: 40 }).regex(/^[a-z0-9_-]+$/, 'lower-case letters, digits, - and _'),
  name: text({ min: 1, max: 120 }),
  nameEn: text({ min: 1, max: 120 }),
  unit: Unit,
  unitCostMinor: z.number().int().min(0).max(1e12).describe('Cost of one unit in minor units (fen)'),
  currency: currency.default('CNY'),
  department: Department,
});
export const UpdateServiceKindBody = CreateServiceKindBody.partial().extend({ active: z.boolean().optional(), version: z.number().int() });

// ---------- entitlements ----------

export const PeakWindow = z.object({ from: monthDay, to: monthDay });

const entitlementFields = {
  serviceKindId: z.string().uuid(),
  scope: EntitlementScope,
  tier: z.enum(['A', 'B', 'C']).nullable().default(null),
  accountId: z.string().uuid().nullable().default(null),
  agreementRef: text({ max: 80 }).nullable().default(null),
  quantity: z.number().int().min(0).max(100_000).describe('Units per period'),
  period: Period,
  consumedOn: ConsumedOn,
  carryOver: z.boolean().default(false),
  peakWindows: z.array(PeakWindow).max(6).nullable().default(null).describe('Only inside these seasons (MM-DD bounds); none: all year'),
  validFrom: isoDate,
  validTo: isoDate.nullable().default(null),
};

const scopeRule = <T extends { scope: string; tier?: string | null; accountId?: string | null; agreementRef?: string | null; validFrom?: string; validTo?: string | null }>(v: T, ctx: z.RefinementCtx) => {
  if (v.scope === 'tier' && !v.tier) ctx.addIssue({ code: 'custom', path: ['tier'], message: 'a tier entitlement names the tier' });
  if (v.scope !== 'tier' && !v.accountId) ctx.addIssue({ code: 'custom', path: ['accountId'], message: 'an account or agreement entitlement names the account' });
  if (v.scope === 'agreement' && !v.agreementRef) ctx.addIssue({ code: 'custom', path: ['agreementRef'], message: 'an agreement entitlement names the agreement' });
  if (v.validFrom && v.validTo && v.validTo < v.validFrom) ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'ends before it starts' });
};

export const CreateEntitlementBody = z.strictObject(entitlementFields).superRefine(scopeRule);
export const UpdateEntitlementBody = z.strictObject({
  quantity: entitlementFields.quantity.optional(),
  carryOver: z.boolean().optional(),
  peakWindows: entitlementFields.peakWindows.optional(),
  consumedOn: ConsumedOn.optional(),
  validTo: isoDate.nullable().optional(),
  version: z.number().int(),
});

export const Entitlement = z.object({
  id: z.string(),
  serviceKindId: z.string(),
  scope: EntitlementScope,
  tier: z.string().nullable(),
  accountId: z.string().nullable(),
  accountName: z.string().nullable(),
  agreementRef: z.string().nullable(),
  quantity: z.number().int(),
  period: Period,
  consumedOn: ConsumedOn,
  carryOver: z.boolean(),
  peakWindows: z.array(PeakWindow).nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  version: z.number().int(),
});
export type Entitlement = z.infer<typeof Entitlement>;

export const EntitlementQuery = z.strictObject({
  accountId: z.string().uuid().optional(),
  serviceKindId: z.string().uuid().optional(),
  scope: EntitlementScope.optional(),
});

/** One service's balance for an account in the current period. `costMinor` is left out for dealers. */
export const ServiceBalance = z.object({
  serviceKindId: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  unit: Unit,
  department: Department,
  period: Period,
  periodKey: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  base: z.number().int(),
  carried: z.number().int(),
  allowance: z.number().int(),
  used: z.number().int(),
  remaining: z.number().int(),
  inSeason: z.boolean().describe('False outside the entitlement\'s peak-season windows (nothing granted today)'),
  consumedOn: ConsumedOn,
});
export type ServiceBalance = z.infer<typeof ServiceBalance>;

export const CostRow = z.object({ month: z.string(), serviceKindId: z.string(), quantity: z.number().int(), costMinor: z.number().int(), currency: z.string() });

export const AccountServices = z.object({
  balances: z.array(ServiceBalance),
  /** Cost to serve by kind and month, the last 12 months (staff only). */
  cost: z.array(CostRow).nullable(),
  costTotalMinor: z.number().int().nullable(),
  currency: z.string(),
  openRequests: z.number().int(),
  breachedRequests: z.number().int(),
});

export const Usage = z.object({
  id: z.string(),
  accountId: z.string(),
  serviceKindId: z.string(),
  entitlementId: z.string().nullable(),
  periodKey: z.string().nullable(),
  quantity: z.number().int(),
  status: z.enum(['taken', 'delivered', 'released']),
  costMinor: z.number().int(),
  currency: z.string(),
  requestId: z.string().nullable(),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  at: z.string(),
  deliveredAt: z.string().nullable(),
  createdBy: z.string(),
  version: z.number().int(),
});
export type Usage = z.infer<typeof Usage>;

export const RecordUsageBody = z.strictObject({
  accountId: z.string().uuid(),
  serviceKindId: z.string().uuid(),
  quantity: z.number().int().min(1).max(10_000).default(1),
  /** delivered now (cost incurred), or only taken against the entitlement (to deliver later). */
  delivered: z.boolean().default(true),
  /** Allowed past the entitlement (goodwill or charged): counted against nothing, still costed. */
  beyondEntitlement: z.boolean().default(false),
  at: z.string().datetime({ offset: true }).optional(),
  reference: text({ max: 80 }).nullable().default(null),
  note: text({ max: 2000 }).nullable().default(null),
  requestId: z.string().uuid().nullable().default(null),
});

export const UsageQuery = z.strictObject({
  accountId: z.string().uuid().optional(),
  serviceKindId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

// ---------- requests ----------

const AccountRef = z.object({ accountId: z.string(), ...accountNames });

export const ServiceRequest = AccountRef.extend({
  id: z.string(),
  number: z.string(),
  type: RequestType,
  serviceKindId: z.string().nullable(),
  department: Department,
  priority: Priority,
  subject: z.string(),
  body: z.string(),
  status: RequestStatus,
  openedBy: z.object({ id: z.string(), name: z.string() }),
  openedVia: z.enum(['staff', 'portal']),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  escalationLevel: z.number().int(),
  responseDueAt: z.string(),
  resolutionDueAt: z.string(),
  firstResponseAt: z.string().nullable(),
  waitingSince: z.string().nullable(),
  slaState: SlaState,
  /** Working minutes left to the resolution target (negative: overdue), at the time of the answer; null once resolved. */
  workingMinutesLeft: z.number().int().nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type ServiceRequest = z.infer<typeof ServiceRequest>;

export const RequestEvent = z.object({
  id: z.string(),
  kind: z.enum(['opened', 'message', 'note', 'status', 'assigned', 'escalated', 'sla_warning', 'sla_breach']),
  internal: z.boolean(),
  body: z.string().nullable(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  author: z.object({ id: z.string(), name: z.string(), side: z.enum(['customer', 'company', 'system']) }).nullable(),
  at: z.string(),
});
export type RequestEvent = z.infer<typeof RequestEvent>;

export const ServiceRequestDetail = ServiceRequest.extend({ events: z.array(RequestEvent) });

export const OpenRequestBody = z.strictObject({
  accountId: z.string().uuid().optional().describe('Required for staff; a dealer opens requests for its own company only'),
  type: RequestType,
  serviceKindId: z.string().uuid().nullable().default(null).describe('For type "service": the catalogued service asked for'),
  priority: Priority.default('normal'),
  subject: text({ min: 3, max: 200 }),
  body: text({ min: 1, max: 10_000 }),
});

export const RequestMessageBody = z.strictObject({
  body: text({ min: 1, max: 10_000 }),
  internal: z.boolean().default(false).describe('An internal note: never shown to the dealer'),
});

export const RequestStatusBody = z.strictObject({
  status: RequestStatus,
  note: text({ max: 10_000 }).nullable().default(null),
  version: z.number().int(),
});

export const RequestAssignBody = z.strictObject({
  assigneeId: z.string().uuid().nullable().describe('null: back to the queue; omit in /take'),
  version: z.number().int(),
});

export const RequestEscalateBody = z.strictObject({ note: text({ min: 1, max: 2000 }), version: z.number().int() });

export const RequestQuery = z.strictObject({
  department: Department.optional(),
  accountId: z.string().uuid().optional(),
  status: z.enum(['open', 'in_progress', 'waiting_customer', 'resolved', 'closed', 'active', 'all']).default('active').describe('active: open, in progress or waiting'),
  sla: z.enum(['ok', 'warning', 'breached']).optional(),
  assignee: z.enum(['me', 'none']).optional(),
  priority: Priority.optional(),
  q: text({ max: 100 }).optional(),
  sort: z.string().max(40).default('due').describe('due (soonest first), -due, created, -created (newest first)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const QueueSummary = z.object({
  department: Department,
  open: z.number().int(),
  unassigned: z.number().int(),
  warning: z.number().int(),
  breached: z.number().int(),
});

// ---------- service levels ----------

export const ServiceLevel = z.object({
  type: RequestType,
  priority: Priority,
  responseMinutes: z.number().int(),
  resolutionMinutes: z.number().int(),
});
export const PutServiceLevelsBody = z.strictObject({
  levels: z.array(z.strictObject({
    type: RequestType, priority: Priority,
    responseMinutes: z.number().int().min(1).max(60 * 24 * 60), resolutionMinutes: z.number().int().min(1).max(60 * 24 * 120),
  })).min(1).max(200),
});
export const WorkingTimeInfo = z.object({
  timeZone: z.string(),
  windows: z.array(z.tuple([z.number().int(), z.number().int()])),
  weekdays: z.array(z.number().int()),
  calendar: z.enum(['cn', 'none']),
  calendarYears: z.array(z.number().int()),
});
