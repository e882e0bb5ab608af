/**
 * Zod schemas of the routing module: OpenKAM's JSON problem format (for `routes:solve` and
 * the API), and the day- and week-planner requests. One schema source for validation,
 * serialisation and the web app's forms.
 */
import { z } from 'zod';
import type { DayPlanInput } from './routing.day-planner.domain.js';
import type { WeekPlanInput } from './routing.week-planner.domain.js';

/** "HH:MM" or minutes since midnight. */
export const ClockTimeSchema = z.union([
  z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:MM'),
  z.number().finite(),
]);
export const ClockWindowSchema = z.object({ start: ClockTimeSchema, end: ClockTimeSchema });
export const LatLngSchema = z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) });
const XYSchema = z.object({ x: z.number().finite(), y: z.number().finite() });
export const PlaceSchema = z.union([LatLngSchema.strict(), XYSchema.strict()]);

export const TravelModelSchema = z.object({
  /** Road distance ÷ great-circle distance (lat/lng only). */
  detourFactor: z.number().positive().default(1.3),
  speedKmh: z.number().positive().default(40),
  /** x/y only: coordinate units travelled per minute (default 1, the Solomon convention). */
  unitsPerMinute: z.number().positive().default(1),
});

export const ProblemStopSchema = z.object({
  id: z.string().min(1),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  x: z.number().finite().optional(),
  y: z.number().finite().optional(),
  /** Service-start windows; absent means always available. */
  windows: z.array(ClockWindowSchema).optional(),
  serviceMinutes: z.number().min(0).default(0),
  demand: z.number().min(0).default(0),
});

export const ProblemVehicleSchema = z.object({
  id: z.string().min(1),
  base: PlaceSchema,
  /** Where the route ends (default: the base). */
  end: PlaceSchema.optional(),
  capacity: z.number().positive().default(Number.MAX_SAFE_INTEGER),
  shift: z.object({ start: ClockTimeSchema, end: ClockTimeSchema }).optional(),
  /** Identical copies of this vehicle (ids get a suffix -1, -2…). */
  count: z.number().int().min(1).max(1000).default(1),
});

/** OpenKAM's JSON routing problem. All stops and bases use the same kind of coordinates. */
export const RoutingProblemSchema = z
  .object({
    name: z.string().default('problem'),
    travel: TravelModelSchema.default({ detourFactor: 1.3, speedKmh: 40, unitsPerMinute: 1 }),
    stops: z.array(ProblemStopSchema).min(1),
    vehicles: z.array(ProblemVehicleSchema).min(1),
  })
  .superRefine((p, ctx) => {
    const kind = (o: { lat?: number; lng?: number; x?: number; y?: number }): 'geo' | 'xy' | 'bad' =>
      o.lat !== undefined && o.lng !== undefined && o.x === undefined && o.y === undefined ? 'geo'
        : o.x !== undefined && o.y !== undefined && o.lat === undefined && o.lng === undefined ? 'xy' : 'bad';
    const kinds = new Set<string>();
    const ids = new Set<string>();
    p.stops.forEach((s, i) => {
      const k = kind(s);
      if (k === 'bad') ctx.addIssue({ code: 'custom', path: ['stops', i], message: 'a stop needs either lat and lng, or x and y' });
      kinds.add(k);
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['stops', i, 'id'], message: `duplicate stop id "${s.id}"` });
      ids.add(s.id);
    });
    p.vehicles.forEach((v) => {
      kinds.add(kind(v.base));
      if (v.end) kinds.add(kind(v.end));
    });
    kinds.delete('bad');
    if (kinds.size > 1) ctx.addIssue({ code: 'custom', path: ['stops'], message: 'mixes lat/lng and x/y coordinates' });
  });

export type RoutingProblemDocument = z.infer<typeof RoutingProblemSchema>;

export const DayStopSchema = z.object({
  id: z.string().min(1),
  location: LatLngSchema,
  visitMinutes: z.number().min(0),
  openingHours: z.array(ClockWindowSchema).optional(),
  fixedSlot: z.object({ start: ClockTimeSchema, toleranceMinutes: z.number().min(0).optional() }).optional(),
});

export const DayPlanRequestSchema = z.object({
  base: LatLngSchema,
  end: LatLngSchema.optional(),
  dayStart: ClockTimeSchema,
  dayEnd: ClockTimeSchema,
  stops: z.array(DayStopSchema),
});

export const WeekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

export const WeekAccountSchema = z.object({
  id: z.string().min(1),
  location: LatLngSchema,
  visitMinutes: z.number().min(0),
  openingHours: z.union([z.array(ClockWindowSchema), z.partialRecord(WeekdaySchema, z.array(ClockWindowSchema))]).optional(),
  fixedVisit: z.object({ weekday: WeekdaySchema, start: ClockTimeSchema, toleranceMinutes: z.number().min(0).optional() }).optional(),
  changed: z.boolean().optional(),
  allowedDays: z.array(WeekdaySchema).optional(),
});

export const WeekPlanRequestSchema = z.object({
  base: LatLngSchema,
  days: z.array(WeekdaySchema).min(1).optional(),
  dayStart: ClockTimeSchema,
  dayEnd: ClockTimeSchema,
  accounts: z.array(WeekAccountSchema),
  allowMovingFixed: z.boolean().optional(),
});

// The schemas must produce what the planners accept.
type Assignable<T, U extends T> = U;
export type DayPlanRequest = Assignable<DayPlanInput, z.infer<typeof DayPlanRequestSchema>>;
export type WeekPlanRequest = Assignable<WeekPlanInput, z.infer<typeof WeekPlanRequestSchema>>;
