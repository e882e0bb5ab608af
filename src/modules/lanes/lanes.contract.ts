/**
 * Zod schemas of the lanes API (decision 024), shared with the web app. Money is integer minor
 * units of the rate's currency per tonne; dates YYYY-MM-DD; seasonal days MM-DD; chances 0–1.
 */
import { z } from 'zod';
import { isMonthDay } from './lanes.domain.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real date');
export const Mode = z.enum(['ship', 'rail', 'road']);
export const LaneCode = z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, 'letters, digits, dot, dash or underscore, at most 40');
export const MonthDay = z.string().refine(isMonthDay, 'a day of the year MM-DD');

export const Port = z.object({ name: z.string().trim().min(1).max(100), lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(360) });

const LaneFields = {
  name: z.string().trim().min(1).max(200),
  originName: z.string().trim().min(1).max(200),
  originLat: z.number().min(-90).max(90),
  originLng: z.number().min(-180).max(360),
  ports: z.array(Port).max(10).describe('Sea ports of the lane (both ends of a sea leg); none for an inland lane'),
  typhoonDistanceKm: z.number().int().min(1).max(2000).describe('A storm passing within this distance of a port counts'),
  defaultMode: Mode,
  annualTonnes: z.number().int().min(0).max(10_000_000),
};

export const CreateLaneBody = z.object({ code: LaneCode, accountId: z.string().uuid().describe('The destination dealer'), ...LaneFields, typhoonDistanceKm: LaneFields.typhoonDistanceKm.default(200) });
export const UpdateLaneBody = z.object({ version: z.number().int(), ...Object.fromEntries(Object.entries(LaneFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof LaneFields]: z.ZodOptional<(typeof LaneFields)[K]> } });

export const PlanInForce = z.object({ ruleId: z.string(), toMode: Mode, fromMode: Mode, fromDay: z.string(), toDay: z.string(), inForce: z.boolean(), startsInDays: z.number().int() });

export const Lane = z.object({
  id: z.string(), code: z.string(), name: z.string(), originName: z.string(), originLat: z.number(), originLng: z.number(),
  account: z.object({ id: z.string(), code: z.string(), name: z.string(), nameEn: z.string().nullable() }),
  ports: z.array(Port), typhoonDistanceKm: z.number().int(), defaultMode: Mode, annualTonnes: z.number().int(),
  plan: PlanInForce.nullable().describe('The approved rule in force today, else the next one'),
  proposedRules: z.number().int(),
  updatedAt: z.string(), version: z.number().int(),
});
export const LaneQuery = z.object({ accountId: z.string().uuid().optional() });
export const LaneParams = z.object({ code: LaneCode });
export const RuleParams = z.object({ code: LaneCode, id: z.string().uuid() });

export const Rate = z.object({
  id: z.string(), mode: Mode, currency: z.string(), perTonneMinor: z.number().int(), validFrom: z.string(), validTo: z.string().nullable(), note: z.string().nullable(), createdAt: z.string(),
});
export const AddRateBody = z.object({
  mode: Mode, currency: z.string().regex(/^[A-Z]{3}$/, 'a currency code such as CNY'), perTonneMinor: z.number().int().min(0).max(10_000_000),
  validFrom: Day, validTo: Day.nullable().default(null), note: z.string().trim().max(500).nullable().default(null),
}).refine((b) => b.validTo === null || b.validTo >= b.validFrom, { path: ['validTo'], message: 'the rate ends before it starts' });

const Transit = z.object({ n: z.number().int(), source: z.enum(['month', 'all-months']), meanDays: z.number(), medianDays: z.number(), p90Days: z.number() }).nullable();
export const PlanMode = z.object({
  mode: Mode,
  rate: z.object({ id: z.string(), currency: z.string(), perTonneMinor: z.number().int() }).nullable(),
  transit: Transit,
  delay: z.object({ n: z.number().int(), meanDaysLate: z.number(), lateShare: z.number() }).nullable().describe('Against the promise, shipments shipped in the month'),
  p34: z.number(), p64: z.number(), typhoonDelayDays: z.number(), expectedDays: z.number().nullable(), disruptionChance: z.number(),
});

const Sum = z.object({ monthly: z.array(z.number()), sum: z.number(), count: z.number().int(), mean: z.number() });
export const Figures = z.object({
  from: Mode, to: Mode, months: z.array(z.number().int()), fromDay: z.string(), toDay: z.string(), currency: z.string(),
  extraPerTonneMinor: z.number().int(), daysSaved: z.number(), typhoonDelaySaved: z.number(), chanceFrom: z.number(), chanceTo: z.number(),
  periodTonnes: z.number(), costDeltaMinor: z.number().int(),
  arithmetic: z.object({
    extraPerTonne: Sum, daysSaved: Sum,
    chance: z.object({ yearsWithPassage: z.number().int(), years: z.number().int(), exposureFrom: z.number(), exposureTo: z.number() }),
    cost: z.object({ annualTonnes: z.number(), monthCount: z.number().int(), periodTonnes: z.number(), perTonneMinor: z.number().int(), totalMinor: z.number().int() }),
  }),
});

export const Plan = z.object({
  lane: z.string(), year: z.number().int(),
  climatology: z.object({ years: z.object({ from: z.number().int(), to: z.number().int() }), distanceKm: z.number(), ports: z.number().int() }),
  settings: z.object({
    minSamples: z.number().int(),
    typhoon: z.record(Mode, z.object({ exposure: z.number(), delayDays34: z.number(), delayDays64: z.number() })),
    rule: z.object({ from: Mode, to: Mode, minDaysSaved: z.number(), minChancePointsSaved: z.number(), maxExtraPerTonneMinor: z.number().int() }),
  }),
  months: z.array(z.object({
    month: z.number().int(), modes: z.array(PlanMode),
    switch: z.object({ extraPerTonneMinor: z.number().nullable(), daysSaved: z.number().nullable(), chancePointsSaved: z.number(), qualifies: z.boolean(), reasons: z.array(z.string()) }),
  })),
  proposals: z.array(Figures).describe('One per run of months where the switch qualifies, priced on the lane\'s tonnage'),
});
export const PlanQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('Rates are those valid on the 1st of each month of this year; default this year'),
  from: Mode.default('ship'), to: Mode.default('rail'),
});

export const RuleStatus = z.enum(['proposed', 'approved', 'rejected', 'superseded']);
export const Person = z.object({ id: z.string(), name: z.string() }).nullable();
export const Rule = z.object({
  id: z.string(), laneCode: z.string(), fromMode: Mode, toMode: Mode, fromDay: z.string(), toDay: z.string(), status: RuleStatus, figures: Figures,
  note: z.string().nullable(), proposedBy: Person, proposedAt: z.string(), decidedBy: Person, decidedAt: z.string().nullable(), reason: z.string().nullable(),
  supersededBy: z.string().nullable(), supersededAt: z.string().nullable(), version: z.number().int(),
  canDecide: z.boolean().describe('The caller may approve or reject it (proposed, and the lane\'s account is one they manage)'),
});
export const ProposeBody = z.object({
  from: Mode, to: Mode, fromMonth: z.number().int().min(1).max(12), toMonth: z.number().int().min(1).max(12).describe('Inclusive; before fromMonth: over the new year'),
  year: z.number().int().min(2000).max(2100).optional(), note: z.string().trim().max(1000).nullable().default(null),
}).refine((b) => b.from !== b.to, { path: ['to'], message: 'switch to another mode' });
export const DecideBody = z.object({ version: z.number().int(), reason: z.string().trim().max(1000).nullable().default(null) });
export const RejectBody = z.object({ version: z.number().int(), reason: z.string().trim().min(1, 'say why it is rejected').max(1000) });
