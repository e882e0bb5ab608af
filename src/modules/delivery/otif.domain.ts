/**
 * Delivery reliability, pure: on time, in full and OTIF of order lines, per line, per order and
 * weighted by ordered volume, with the lateness distribution. No I/O; the rules are those of
 * docs/decisions/018-otif.md, and each is stated again where it is applied.
 *
 * Days. Lateness and tolerances are counted on a day calendar: calendar days, or working days of
 * a dealer's calendar (ISO weekdays that work, public holidays off, make-up working days on; the
 * China table of src/modules/services/work-calendar.ts `loadChinaHolidays()` fits `DayOffTable`).
 * A date's ordinal C(x) is the number of working days before x, so a date on a non-working day
 * has the ordinal of the next working day (a delivery that arrives on a Sunday is received on
 * Monday). Lateness of a delivery on d against a promise on p is C(d) − C(p): the working days
 * from p (inclusive) to d (exclusive); negative when early. With calendar days, C is the day number.
 *
 * Use. `otifGroups(lines, options)` for an array; for millions of lines from a cursor or a file,
 * `otifAccumulator(options)`, then `add(line)` per line and `result()` once.
 */

/** Where a line stands in the source system. */
export type OtifLineStatus = 'open' | 'delivered' | 'cancelled';

/** One arrival of goods for a line (a split delivery has several). Date ISO YYYY-MM-DD. */
export type OtifDelivery = { date: string; quantity: number };

/** One order line as OTIF sees it. */
export type OtifLine = {
  /** Grouping fields (dealer, territory, lane, mode, carrier…), by name. `month` is derived, not read from here. */
  keys: Readonly<Record<string, string>>;
  /** The order the line belongs to, for the per-order rate; lines without one count as orders of one line. */
  orderId?: string | null;
  /** The date promised to the dealer, YYYY-MM-DD. */
  promisedDate: string;
  /** Arrivals, in any order (they are sorted by date). */
  deliveries: readonly OtifDelivery[];
  /** Ordered quantity; without it in-full and the volume rates cannot be known (null). */
  orderedQty?: number | null;
  status: OtifLineStatus;
  /** When a cancelled line was cancelled, YYYY-MM-DD; decides whether it is excluded or a failure. */
  cancelledDate?: string | null;
};

/** Tolerances of an account or agreement. Days are counted on the calendar of `OtifOptions`. */
export type OtifTolerances = {
  /** Days before the promised date still on time (≥ 0, whole). */
  earlyDays: number;
  /** Days after the promised date still on time (≥ 0, whole). */
  lateDays: number;
  /** In full when the quantity delivered by the window end is within this percentage of ordered, either way (0–100). */
  inFullPercent: number;
};

/** Public holidays off and make-up working days on, ISO dates (the shape of the services module's HolidayTable). */
export type DayOffTable = { off: ReadonlySet<string>; work: ReadonlySet<string> };

/** Calendar days, or working days: ISO weekdays 1 (Mon)…7 (Sun) that work, and an optional holiday table. */
export type DayCalendar = { kind: 'calendar-days' } | { kind: 'working-days'; weekdays: readonly number[]; holidays: DayOffTable | null };

/** Calendar days (the CLI's default). */
export const CALENDAR_DAYS: DayCalendar = { kind: 'calendar-days' };

/** Working days Monday to Friday with the given holiday table (null: weekdays only). */
export const workingDays = (holidays: DayOffTable | null, weekdays: readonly number[] = [1, 2, 3, 4, 5]): DayCalendar => ({ kind: 'working-days', weekdays, holidays });

/** How one line came out. `counted: false` lines are reported apart and in no rate. */
export type LineOutcome =
  | { counted: false; why: 'cancelled' | 'not-due' }
  | {
      counted: true;
      /** The delivery that completes the line (or the last one) fell in the window. */
      onTime: boolean;
      /** null when the ordered quantity is unknown. */
      inFull: boolean | null;
      otif: boolean | null;
      /** Working (or calendar) days late of the completing delivery; null for a failure without a delivery to measure (overdue open, cancelled late). */
      lateness: number | null;
      /** Why a line without a measured delivery failed. */
      failure: 'overdue-open' | 'cancelled-late' | null;
    };

/** A rate: how many of how many; share is a fraction 0–1, null when nothing was counted ("no data", never 100%). */
export type Rate = { count: number; of: number; share: number | null };

/** One bucket of the lateness histogram: days late from…to inclusive (null: open end). */
export type LatenessBucket = { label: string; from: number | null; to: number | null };

/**
 * Lateness of the measured deliveries of a group: `histogram` counts the lines per bucket of
 * `LATENESS_BUCKETS`, in that order (the buckets are given once per answer, not once per group).
 * Quantiles by nearest rank; null without any.
 */
export type LatenessDistribution = { measured: number; histogram: number[]; p50: number | null; p90: number | null; max: number | null };

/** OTIF of one group. */
export type OtifGroup = {
  /** The values of the grouping fields, in the order of `by`. */
  key: string[];
  /** Per line: every counted line is one. */
  lines: { counted: number; onTime: Rate; inFull: Rate | null; otif: Rate | null };
  /** Per order: an order is on time (in full, OTIF) when all its counted lines in the group are. */
  orders: { counted: number; onTime: Rate; inFull: Rate | null; otif: Rate | null };
  /** Weighted by ordered quantity, over the counted lines whose quantity is known; null when none is. */
  volume: { ordered: number; onTime: number; inFull: number; otif: number; onTimeShare: number | null; inFullShare: number | null; otifShare: number | null } | null;
  /** Lines left out of every rate, and failures without a delivery, so no line vanishes unseen. */
  excluded: { cancelled: number; notDue: number };
  failures: { overdueOpen: number; cancelledLate: number };
  lateness: LatenessDistribution;
};

/** Options of a computation. */
export type OtifOptions = {
  /** Grouping fields: names of `OtifLine.keys`, or `month` (YYYY-MM of the promised date). Empty: one group. */
  by: readonly string[];
  /** Tolerances for every line, or per line (per account or agreement). */
  tolerances: OtifTolerances | ((line: OtifLine) => OtifTolerances);
  /** Calendar the days are counted on, for every line or per line (each dealer's own); default calendar days. */
  calendar?: DayCalendar | ((line: OtifLine) => DayCalendar);
  /** The evaluation date (YYYY-MM-DD): open lines are judged as of this day. */
  asOf: string;
  /** With `month` in `by`: every month of this range appears for each combination of the other fields, empty ones as no data. */
  months?: { from: string; to: string };
  /**
   * The lines of each order come one after another (a query ordered by order id, a file sorted so).
   * The per-order rate then needs no memory per order; if an order's lines were apart, it would be
   * counted once per stretch.
   */
  linesGroupedByOrder?: boolean;
};

// ---------------------------------------------------------------------------------------------
// Dates and the day ordinal

const MIN_DAY = -25567; // 1900-01-01
const MAX_DAY = 376199; // 2999-12-31

/** Days since 1970-01-01 of a YYYY-MM-DD date (1900…2999), or NaN when it is not one. */
export function dayNumber(iso: string): number {
  if (iso.length !== 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return Number.NaN;
  const y = digits(iso, 0, 4), m = digits(iso, 5, 2), d = digits(iso, 8, 2);
  if (!(y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= monthDays(y, m))) return Number.NaN;
  // Days from civil (H. Hinnant), proleptic Gregorian.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return v;
}

const monthDays = (y: number, m: number): number => (m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31);

/** YYYY-MM-DD of a day number. */
export const isoOfDay = (n: number): string => new Date(n * 86_400_000).toISOString().slice(0, 10);

function dayOf(iso: string, what: string): number {
  const n = dayNumber(iso);
  if (Number.isNaN(n)) throw new RangeError(`${what}: "${iso}" is not a date (YYYY-MM-DD, 1900–2999)`);
  return n;
}

const ordinalTables = new WeakMap<object, Int32Array>();

/**
 * The ordinal function of a calendar: C(day number) = working days before that day (calendar
 * days: the day number itself). Tables are built once per calendar object (about 1.6 MB) and kept.
 */
export function dayOrdinal(cal: DayCalendar): (day: number) => number {
  const t = ordinalTable(cal);
  return (day) => t[day - MIN_DAY]!;
}

let calendarDaysTable: Int32Array | undefined;

/** C of every day from 1900-01-01, by index day − MIN_DAY. One shape for both kinds, so the hot loop is monomorphic. */
function ordinalTable(cal: DayCalendar): Int32Array {
  if (cal.kind === 'calendar-days') {
    if (!calendarDaysTable) {
      calendarDaysTable = new Int32Array(MAX_DAY - MIN_DAY + 2);
      for (let i = 0; i < calendarDaysTable.length; i++) calendarDaysTable[i] = i + MIN_DAY;
    }
    return calendarDaysTable;
  }
  let table = ordinalTables.get(cal);
  if (!table) {
    for (const w of cal.weekdays) if (!Number.isInteger(w) || w < 1 || w > 7) throw new RangeError(`weekday ${w} is not an ISO weekday 1 (Monday) … 7 (Sunday)`);
    const off = new Set<number>();
    const on = new Set<number>();
    for (const d of cal.holidays?.off ?? []) off.add(dayOf(d, 'holiday'));
    for (const d of cal.holidays?.work ?? []) on.add(dayOf(d, 'make-up working day'));
    const works = [false, false, false, false, false, false, false, false];
    for (const w of cal.weekdays) works[w] = true;
    table = new Int32Array(MAX_DAY - MIN_DAY + 2);
    let count = 0;
    for (let n = MIN_DAY; n <= MAX_DAY + 1; n++) {
      table[n - MIN_DAY] = count;
      const weekday = ((((n + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday
      if (off.has(n) ? false : on.has(n) ? true : works[weekday]) count++;
    }
    ordinalTables.set(cal, table);
  }
  return table;
}

/** C(date) from a table. */
const ord = (t: Int32Array, iso: string, what: string): number => t[dayOf(iso, what) - MIN_DAY]!;

/**
 * Signed days from `promised` to `delivered` on a calendar: C(delivered) − C(promised). 0 on the
 * day, 1 a working day late, −1 a working day early; a delivery on a non-working day counts as on
 * the next working day.
 */
export function daysLate(cal: DayCalendar, promised: string, delivered: string): number {
  const c = dayOrdinal(cal);
  return c(dayOf(delivered, 'delivered')) - c(dayOf(promised, 'promised'));
}

// ---------------------------------------------------------------------------------------------
// One line

function checkTolerances(t: OtifTolerances): void {
  const whole = (v: number, what: string) => {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${what} must be a whole number of days ≥ 0 (got ${v})`);
  };
  whole(t.earlyDays, 'earlyDays');
  whole(t.lateDays, 'lateDays');
  if (!(t.inFullPercent >= 0 && t.inFullPercent <= 100)) throw new RangeError(`inFullPercent must be 0–100 (got ${t.inFullPercent})`);
}

/**
 * Evaluates one line against its tolerances as of `asOf` (YYYY-MM-DD). The rules, in order:
 * - cancelled: excluded when cancelled by the window end (promised + late tolerance), or when the
 *   cancellation date is unknown; a failure (late, not in full) when cancelled after it.
 * - complete: a delivered line, or an open one whose deliveries already reach the in-full band. The
 *   completing delivery is the first at which the quantity so far reaches the band (without an
 *   ordered quantity, or when it never does, the last delivery). On time when it falls in
 *   [promised − early, promised + late]; in full when the quantity delivered by the window end is
 *   in the band.
 * - open (or delivered without any delivery): a failure when `asOf` is after the window end,
 *   else not due and not counted.
 */
export function evaluateLine(line: OtifLine, t: OtifTolerances, asOf: string, cal: DayCalendar = CALENDAR_DAYS): LineOutcome {
  checkTolerances(t);
  const c = ordinalTable(cal);
  const r = newScratch();
  evaluate(line, t, ord(c, asOf, 'asOf'), c, r);
  if (r.kind === EXCLUDED_CANCELLED) return { counted: false, why: 'cancelled' };
  if (r.kind === NOT_DUE) return { counted: false, why: 'not-due' };
  const inFull = r.inFull === UNKNOWN ? null : r.inFull === YES;
  return {
    counted: true, onTime: r.onTime, inFull, otif: inFull === null ? null : r.onTime && inFull,
    lateness: r.failure === NO_FAILURE ? r.lateness : null,
    failure: r.failure === OVERDUE_OPEN ? 'overdue-open' : r.failure === CANCELLED_LATE ? 'cancelled-late' : null,
  };
}

// The outcome of one line in a reused object: the accumulator evaluates millions of lines.
const COUNTED = 0, EXCLUDED_CANCELLED = 1, NOT_DUE = 2;
const NO = 0, YES = 1, UNKNOWN = 2;
const NO_FAILURE = 0, OVERDUE_OPEN = 1, CANCELLED_LATE = 2;
type Scratch = { kind: number; onTime: boolean; inFull: number; lateness: number; failure: number };
const newScratch = (): Scratch => ({ kind: COUNTED, onTime: false, inFull: UNKNOWN, lateness: 0, failure: NO_FAILURE });

function fail(r: Scratch, qtyKnown: boolean, why: number): void {
  r.kind = COUNTED; r.onTime = false; r.inFull = qtyKnown ? NO : UNKNOWN; r.lateness = 0; r.failure = why;
}

function evaluate(line: OtifLine, t: OtifTolerances, asOfOrd: number, c: Int32Array, r: Scratch): void {
  const p = ord(c, line.promisedDate, 'promisedDate');
  const end = p + t.lateDays;
  const start = p - t.earlyDays;
  const ordered = line.orderedQty ?? 0;
  const qtyKnown = ordered > 0;
  // The in-full band: ordered × (1 ± t), compared as delivered × 100 against ordered × (100 ± t).
  const low = ordered * (100 - t.inFullPercent);
  const high = ordered * (100 + t.inFullPercent);
  if (line.status === 'cancelled') {
    if (line.cancelledDate && ord(c, line.cancelledDate, 'cancelledDate') > end) fail(r, qtyKnown, CANCELLED_LATE);
    else r.kind = EXCLUDED_CANCELLED;
    return;
  }
  const ds = line.deliveries;
  let at = 0; // ordinal of the completing delivery
  let complete = false;
  let byEnd = 0;
  if (ds.length === 1) {
    const d = ds[0]!;
    at = ord(c, d.date, 'delivery date');
    complete = (qtyKnown && d.quantity * 100 >= low) || line.status === 'delivered';
    byEnd = at <= end ? d.quantity : 0;
  } else if (ds.length > 1) {
    const sorted = ds.map((d) => ({ ord: ord(c, d.date, 'delivery date'), quantity: d.quantity })).sort((x, y) => x.ord - y.ord);
    let total = 0;
    for (const d of sorted) {
      total += d.quantity;
      if (d.ord <= end) byEnd += d.quantity;
      if (!complete && qtyKnown && total * 100 >= low) { complete = true; at = d.ord; }
    }
    if (!complete && line.status === 'delivered') { complete = true; at = sorted[sorted.length - 1]!.ord; }
  }
  if (!complete) {
    if (asOfOrd > end) fail(r, qtyKnown, OVERDUE_OPEN);
    else r.kind = NOT_DUE;
    return;
  }
  r.kind = COUNTED;
  r.onTime = at >= start && at <= end;
  r.inFull = !qtyKnown ? UNKNOWN : byEnd * 100 >= low && byEnd * 100 <= high ? YES : NO;
  r.lateness = at - p;
  r.failure = NO_FAILURE;
}

// ---------------------------------------------------------------------------------------------
// Groups

/** Buckets of the lateness histogram, days late (negative: early). */
export const LATENESS_BUCKETS: readonly LatenessBucket[] = [
  { label: '≤ −6', from: null, to: -6 },
  { label: '−5…−3', from: -5, to: -3 },
  { label: '−2', from: -2, to: -2 },
  { label: '−1', from: -1, to: -1 },
  { label: '0', from: 0, to: 0 },
  { label: '1', from: 1, to: 1 },
  { label: '2', from: 2, to: 2 },
  { label: '3…5', from: 3, to: 5 },
  { label: '6…10', from: 6, to: 10 },
  { label: '11…20', from: 11, to: 20 },
  { label: '21…60', from: 21, to: 60 },
  { label: '> 60', from: 61, to: null },
];

const LATE_LOW = -64;
const LATE_SPAN = 256;

type Acc = OtifCounts & {
  key: string[];
  /** Days late −64…191 by index + 64; others in lateFar. */
  late: Int32Array;
  lateFar: Map<number, number>;
  orders: Map<string, number>; // order id → bit flags: 1 counted, 2 not all on time, 4 not all in full, 8 some in-full unknown, 16 not all OTIF
  /** Orders tallied: lines without an order id, orders with linesGroupedByOrder as they end. */
  orderTally: OrderTally;
  /** linesGroupedByOrder: the order being read and its flags. */
  curOrder: string | null;
  curFlags: number;
};
type OrderTally = { counted: number; onTime: number; inFullKnown: number; inFull: number; otif: number };

/** Adds one order's flags (see Acc.orders) to a tally. */
function tally(o: OrderTally, flags: number): void {
  if (!(flags & 1)) return;
  o.counted++;
  if (!(flags & 2)) o.onTime++;
  if (!(flags & 8)) {
    o.inFullKnown++;
    if (!(flags & 4)) o.inFull++;
    if (!(flags & 16)) o.otif++;
  }
}

const newAcc = (key: string[]): Acc => ({
  key, counted: 0, onTime: 0, inFullKnown: 0, inFull: 0, otif: 0, vOrdered: 0, vOnTime: 0, vInFull: 0, vOtif: 0, vLines: 0,
  cancelled: 0, notDue: 0, overdueOpen: 0, cancelledLate: 0, late: new Int32Array(LATE_SPAN), lateFar: new Map(), orders: new Map(),
  orderTally: { counted: 0, onTime: 0, inFullKnown: 0, inFull: 0, otif: 0 }, curOrder: null, curFlags: 0,
});

const rate = (count: number, of: number): Rate => ({ count, of, share: of === 0 ? null : count / of });

/** Bucket of the histogram a number of days late falls in. */
function bucketOf(v: number): number {
  for (let i = 0; i < LATENESS_BUCKETS.length; i++) {
    const b = LATENESS_BUCKETS[i]!;
    if ((b.from === null || v >= b.from) && (b.to === null || v <= b.to)) return i;
  }
  return LATENESS_BUCKETS.length - 1;
}
/** Bucket of each dense index, computed once. */
const denseBucket = Array.from({ length: LATE_SPAN }, (_, i) => bucketOf(i + LATE_LOW));

/** Histogram, nearest-rank p50 and p90 (the smallest value with at least that share at or below it), and max. */
function distribution(dense: Int32Array, far: Map<number, number>): LatenessDistribution {
  // One walk over the values in increasing order (far ones below the dense range, dense, far above), without building a list: tens of thousands of groups come out at once.
  const farSorted = far.size ? [...far.entries()].sort((x, y) => x[0] - y[0]) : NO_FAR;
  const counts = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  let measured = 0;
  for (const [v, n] of farSorted) { measured += n; counts[bucketOf(v)]! += n; }
  for (let i = 0; i < LATE_SPAN; i++) {
    const n = dense[i]!;
    if (n > 0) { measured += n; counts[denseBucket[i]!]! += n; }
  }
  let p50: number | null = null, p90: number | null = null, max: number | null = null;
  if (measured > 0) {
    const r50 = Math.max(1, Math.ceil(0.5 * measured)), r90 = Math.max(1, Math.ceil(0.9 * measured));
    let seen = 0;
    const see = (v: number, n: number) => {
      seen += n;
      if (p50 === null && seen >= r50) p50 = v;
      if (p90 === null && seen >= r90) p90 = v;
      max = v;
    };
    for (const [v, n] of farSorted) if (v < LATE_LOW) see(v, n);
    for (let i = 0; i < LATE_SPAN; i++) if (dense[i]! > 0) see(i + LATE_LOW, dense[i]!);
    for (const [v, n] of farSorted) if (v >= LATE_LOW) see(v, n);
  }
  return { measured, histogram: counts, p50, p90, max };
}
const NO_FAR: [number, number][] = [];

/** The bucket of a number of days late, by table inside the dense range. */
const bucketAt = (v: number): number => {
  const i = v - LATE_LOW;
  return i >= 0 && i < LATE_SPAN ? denseBucket[i]! : bucketOf(v);
};

/** The distribution of flat pairs value, count, ascending by value (each value once). */
function distributionOfFlat(flat: readonly number[]): LatenessDistribution {
  const counts = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  let measured = 0;
  for (let i = 0; i < flat.length; i += 2) { measured += flat[i + 1]!; counts[bucketAt(flat[i]!)]! += flat[i + 1]!; }
  let p50: number | null = null, p90: number | null = null, max: number | null = null;
  if (measured > 0) {
    const r50 = Math.max(1, Math.ceil(0.5 * measured)), r90 = Math.max(1, Math.ceil(0.9 * measured));
    let seen = 0;
    for (let i = 0; i < flat.length; i += 2) {
      const n = flat[i + 1]!;
      if (n <= 0) continue;
      seen += n;
      if (p50 === null && seen >= r50) p50 = flat[i]!;
      if (p90 === null && seen >= r90) p90 = flat[i]!;
      max = flat[i]!;
    }
  }
  return { measured, histogram: counts, p50, p90, max };
}

function finish(a: Acc): OtifGroup {
  const o = { ...a.orderTally };
  for (const flags of a.orders.values()) tally(o, flags);
  if (a.curOrder !== null) tally(o, a.curFlags);
  return groupOut(a.key, a, o, distribution(a.late, a.lateFar));
}

/** A group's answer from its counters, its order tally and its lateness. */
function groupOut(key: string[], a: OtifCounts, o: OrderTally, lateness: LatenessDistribution): OtifGroup {
  const v = a.vOrdered;
  return {
    key,
    lines: { counted: a.counted, onTime: rate(a.onTime, a.counted), inFull: a.inFullKnown ? rate(a.inFull, a.inFullKnown) : null, otif: a.inFullKnown ? rate(a.otif, a.inFullKnown) : null },
    orders: { counted: o.counted, onTime: rate(o.onTime, o.counted), inFull: o.inFullKnown ? rate(o.inFull, o.inFullKnown) : null, otif: o.inFullKnown ? rate(o.otif, o.inFullKnown) : null },
    volume: a.vLines === 0 ? null : { ordered: a.vOrdered, onTime: a.vOnTime, inFull: a.vInFull, otif: a.vOtif, onTimeShare: v === 0 ? null : a.vOnTime / v, inFullShare: v === 0 ? null : a.vInFull / v, otifShare: v === 0 ? null : a.vOtif / v },
    excluded: { cancelled: a.cancelled, notDue: a.notDue },
    failures: { overdueOpen: a.overdueOpen, cancelledLate: a.cancelledLate },
    lateness,
  };
}

/**
 * Counts one evaluated line into a group; returns its order flags (see Acc.orders), 0 for a line
 * in no rate (excluded or not due).
 */
function count(a: Acc, r: Scratch, q: number): number {
  if (r.kind === EXCLUDED_CANCELLED) { a.cancelled++; return 0; }
  if (r.kind === NOT_DUE) { a.notDue++; return 0; }
  const onTime = r.onTime;
  const known = r.inFull !== UNKNOWN;
  const inFull = r.inFull === YES;
  const otif = onTime && inFull;
  a.counted++;
  if (onTime) a.onTime++;
  if (known) {
    a.inFullKnown++;
    if (inFull) a.inFull++;
    if (otif) a.otif++;
    a.vLines++;
    a.vOrdered += q;
    if (onTime) a.vOnTime += q;
    if (inFull) a.vInFull += q;
    if (otif) a.vOtif += q;
  }
  if (r.failure === OVERDUE_OPEN) a.overdueOpen++;
  else if (r.failure === CANCELLED_LATE) a.cancelledLate++;
  else addLate(a, r.lateness, 1);
  let f = 1;
  if (!onTime) f |= 2;
  if (!known) f |= 8;
  else {
    if (!inFull) f |= 4;
    if (!otif) f |= 16;
  }
  return f;
}

function addLate(a: Acc, v: number, n: number): void {
  const i = v - LATE_LOW;
  if (i >= 0 && i < LATE_SPAN) a.late[i]! += n;
  else a.lateFar.set(v, (a.lateFar.get(v) ?? 0) + n);
}

/** A running OTIF computation: add lines one by one (any number), then read the groups once. */
export type OtifAccumulator = { add(line: OtifLine): void; result(): OtifGroup[] };

const SEP = '\u0001';

/**
 * Starts an OTIF computation. Memory grows with the groups and the orders seen, not the lines.
 * Groups come out sorted by key. An order's lines that fall in different groups (months, modes)
 * make one order in each.
 */
export function otifAccumulator(options: OtifOptions): OtifAccumulator {
  const calOf = typeof options.calendar === 'function' ? options.calendar : null;
  const c = ordinalTable(calOf ? CALENDAR_DAYS : ((options.calendar as DayCalendar | undefined) ?? CALENDAR_DAYS));
  const asOfOrd = ord(c, options.asOf, 'asOf');
  // With a calendar per line: each calendar's table and its ordinal of the evaluation date, once.
  const asOfByTable = new Map<Int32Array, number>([[c, asOfOrd]]);
  const tableOf = (line: OtifLine): Int32Array => {
    const t = ordinalTable(calOf!(line));
    if (!asOfByTable.has(t)) asOfByTable.set(t, ord(t, options.asOf, 'asOf'));
    return t;
  };
  const by = [...options.by];
  const monthAt = by.indexOf('month');
  const fixed = typeof options.tolerances === 'function' ? null : options.tolerances;
  if (fixed) checkTolerances(fixed);
  const checked = new WeakSet<OtifTolerances>();
  const all: Acc[] = [];
  // One map per grouping level (no key strings to build per line); the month level is keyed by
  // year × 12 + month read from the promised date's digits.
  const root = new Map<string | number, unknown>();
  const single = by.length === 0 ? newAcc([]) : null;
  if (single) all.push(single);
  const r = newScratch();
  const grouped = options.linesGroupedByOrder === true;

  const accOf = (line: OtifLine): Acc => {
    if (single) return single;
    let m: Map<string | number, unknown> = root;
    for (let i = 0; i < by.length; i++) {
      const d = line.promisedDate;
      const k: string | number = i === monthAt ? (d.charCodeAt(0) * 1000 + d.charCodeAt(1) * 100 + d.charCodeAt(2) * 10 + d.charCodeAt(3)) * 12 + (d.charCodeAt(5) * 10 + d.charCodeAt(6)) : (line.keys[by[i]!] ?? '');
      let next = m.get(k);
      if (next === undefined) {
        if (i === by.length - 1) {
          const key = by.map((f, j) => (j === monthAt ? line.promisedDate.slice(0, 7) : (line.keys[f] ?? '')));
          const acc = newAcc(key);
          all.push(acc);
          next = acc;
        } else next = new Map();
        m.set(k, next);
      }
      if (i === by.length - 1) return next as Acc;
      m = next as Map<string | number, unknown>;
    }
    throw new Error('unreachable');
  };

  return {
    add(line) {
      let t = fixed;
      if (!t) {
        t = (options.tolerances as (l: OtifLine) => OtifTolerances)(line);
        if (!checked.has(t)) { checkTolerances(t); checked.add(t); }
      }
      if (calOf) {
        const lt = tableOf(line);
        evaluate(line, t, asOfByTable.get(lt)!, lt, r);
      } else evaluate(line, t, asOfOrd, c, r);
      const a = accOf(line);
      const f = count(a, r, line.orderedQty ?? 0);
      if (f === 0) return;
      const id = line.orderId;
      if (id === undefined || id === null || id === '') tally(a.orderTally, f);
      else if (grouped) {
        if (a.curOrder === id) a.curFlags |= f;
        else {
          if (a.curOrder !== null) tally(a.orderTally, a.curFlags);
          a.curOrder = id;
          a.curFlags = f;
        }
      } else a.orders.set(id, (a.orders.get(id) ?? 0) | f);
    },
    result() {
      const groups = new Map<string, Acc>(all.map((a) => [a.key.join(SEP), a]));
      if (monthAt >= 0 && options.months) fillMonths(groups, by.length, monthAt, options.months, newAcc);
      return [...groups.values()].sort((x, y) => compareKeys(x.key, y.key)).map(finish);
    },
  };
}

function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Months from…to (YYYY-MM) inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  if (!MONTH.test(from) || !MONTH.test(to)) throw new RangeError(`months must be YYYY-MM (got "${from}" … "${to}")`);
  const out: string[] = [];
  let y = Number(from.slice(0, 4)), m = Number(from.slice(5, 7));
  const last = Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7));
  while (y * 12 + m <= last) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) { m = 1; y++; }
  }
  return out;
}

function fillMonths<T extends { key: string[] }>(groups: Map<string, T>, width: number, monthAt: number, range: { from: string; to: string }, make: (key: string[]) => T): void {
  const months = monthsBetween(range.from, range.to);
  // The other keys of each group, with the months they have; only the missing months are built.
  const others = new Map<string, { rest: string[]; has: Set<string> }>();
  for (const a of groups.values()) {
    if (a.key.length !== width) continue;
    const restKey = width === 2 ? a.key[1 - monthAt]! : a.key.filter((_, i) => i !== monthAt).join(SEP);
    let o = others.get(restKey);
    if (!o) { o = { rest: a.key.filter((_, i) => i !== monthAt), has: new Set() }; others.set(restKey, o); }
    o.has.add(a.key[monthAt]!);
  }
  if (others.size === 0) others.set('', { rest: [], has: new Set() });
  for (const { rest, has } of others.values()) {
    for (const month of months) {
      if (has.has(month)) continue;
      const key = [...rest.slice(0, monthAt), month, ...rest.slice(monthAt)];
      if (key.length === width) groups.set(key.join(SEP), make(key));
    }
  }
}

/** OTIF groups of an array of lines (see `otifAccumulator`). */
export function otifGroups(lines: Iterable<OtifLine>, options: OtifOptions): OtifGroup[] {
  const acc = otifAccumulator(options);
  for (const l of lines) acc.add(l);
  return acc.result();
}

// ---------------------------------------------------------------------------------------------
// Pre-aggregated cells (decision 027)

/**
 * A line as the cells see it: its dealer (`account`) and order number, with an id so an
 * unsettled line can be kept on its own. Orders are per month of promise (decision 027), so an
 * order of a cell is its order number.
 */
export type OtifCellLine = OtifLine & { id: string; account: string; orderNo: string };

/** Counters of a group that add up across cells (`OtifGroup` before the shares). */
export type OtifCounts = {
  counted: number; onTime: number; inFullKnown: number; inFull: number; otif: number;
  vLines: number; vOrdered: number; vOnTime: number; vInFull: number; vOtif: number;
  cancelled: number; notDue: number; overdueOpen: number; cancelledLate: number;
};
/** Orders of a group tallied: counted, and how many of them all on time, with every quantity known, all in full, all OTIF. */
export type OtifOrderTally = { counted: number; onTime: number; inFullKnown: number; inFull: number; otif: number };

/**
 * What one (account, month) holds whatever the evaluation date: its settled lines (complete or
 * cancelled) counted, their lateness values with counts (ascending), and the orders whose lines
 * are all settled. `notDue` and `overdueOpen` are 0 here: only unsettled lines are either.
 */
export type OtifCell = { account: string; month: string; counts: OtifCounts; orders: OtifOrderTally; lateness: [number, number][] };
/**
 * A line whose outcome depends on the evaluation date only (open, or delivered without a delivery,
 * and not yet complete): not due before `overdueFrom`, an overdue failure from that day on (the
 * first day after its window end on its dealer's calendar).
 */
export type OtifOpenLine = { id: string; account: string; month: string; orderNo: string; overdueFrom: string; qtyKnown: boolean; orderedQty: number };
/**
 * An order of a cell with unsettled lines: the flags of its settled lines (1 counted, 2 not all on
 * time, 4 not all in full, 8 some quantity unknown, 16 not all OTIF) and the first day an unsettled
 * line with a known (`dueKnown`) or unknown (`dueUnknown`) quantity is overdue. See `openOrderFlags`.
 */
export type OtifOpenOrder = { account: string; month: string; orderNo: string; flags: number; dueKnown: string | null; dueUnknown: string | null };

/** The terms a line is judged on: tolerances and the calendar. */
export type OtifTerms = { tolerances: OtifTolerances; calendar: DayCalendar };

/**
 * Splits lines into what does not depend on the evaluation date (cells) and what does (open lines
 * and the orders they are in). Counting the cells, then the open lines and orders as of a date,
 * gives what `otifGroups` gives for any grouping of account, month and fields of the account.
 */
export function otifCells(lines: Iterable<OtifCellLine>, termsOf: (line: OtifCellLine) => OtifTerms): { cells: OtifCell[]; open: OtifOpenLine[]; openOrders: OtifOpenOrder[] } {
  type CellAcc = { acc: Acc; account: string; month: string; due: Map<string, { known: number; unknown: number }> };
  const cells = new Map<string, CellAcc>();
  const open: OtifOpenLine[] = [];
  const r = newScratch();
  const checked = new WeakSet<OtifTolerances>();
  for (const line of lines) {
    const { tolerances: t, calendar } = termsOf(line);
    if (!checked.has(t)) { checkTolerances(t); checked.add(t); }
    const table = ordinalTable(calendar);
    const month = line.promisedDate.slice(0, 7);
    const k = line.account + SEP + month;
    let cell = cells.get(k);
    if (!cell) { cell = { acc: newAcc([line.account, month]), account: line.account, month, due: new Map() }; cells.set(k, cell); }
    // The evaluation date enters only for a line not complete: judged "before any date", such a line is not due.
    evaluate(line, t, Number.NEGATIVE_INFINITY, table, r);
    if (r.kind === NOT_DUE) {
      const p = dayOf(line.promisedDate, 'promisedDate');
      const end = table[p - MIN_DAY]! + t.lateDays;
      let x = p + 1;
      while (table[x - MIN_DAY]! <= end) x++;
      const overdueFrom = isoOfDay(x);
      const qtyKnown = (line.orderedQty ?? 0) > 0;
      open.push({ id: line.id, account: line.account, month, orderNo: line.orderNo, overdueFrom, qtyKnown, orderedQty: qtyKnown ? line.orderedQty! : 0 });
      const d = cell.due.get(line.orderNo) ?? { known: Number.POSITIVE_INFINITY, unknown: Number.POSITIVE_INFINITY };
      if (qtyKnown) d.known = Math.min(d.known, x);
      else d.unknown = Math.min(d.unknown, x);
      cell.due.set(line.orderNo, d);
      continue;
    }
    const f = count(cell.acc, r, line.orderedQty ?? 0);
    if (f !== 0) cell.acc.orders.set(line.orderNo, (cell.acc.orders.get(line.orderNo) ?? 0) | f);
  }
  const out: OtifCell[] = [];
  const openOrders: OtifOpenOrder[] = [];
  const day = (n: number) => (n === Number.POSITIVE_INFINITY ? null : isoOfDay(n));
  for (const c of cells.values()) {
    const a = c.acc;
    for (const [orderNo, flags] of a.orders) if (!c.due.has(orderNo)) tally(a.orderTally, flags);
    for (const [orderNo, d] of c.due) openOrders.push({ account: c.account, month: c.month, orderNo, flags: a.orders.get(orderNo) ?? 0, dueKnown: day(d.known), dueUnknown: day(d.unknown) });
    const lateness: [number, number][] = [...a.lateFar.entries()];
    for (let i = 0; i < LATE_SPAN; i++) if (a.late[i]! > 0) lateness.push([i + LATE_LOW, a.late[i]!]);
    lateness.sort((x, y) => x[0] - y[0]);
    out.push({
      account: c.account, month: c.month, orders: { ...a.orderTally }, lateness,
      counts: { counted: a.counted, onTime: a.onTime, inFullKnown: a.inFullKnown, inFull: a.inFull, otif: a.otif, vLines: a.vLines, vOrdered: a.vOrdered, vOnTime: a.vOnTime, vInFull: a.vInFull, vOtif: a.vOtif, cancelled: a.cancelled, notDue: 0, overdueOpen: 0, cancelledLate: a.cancelledLate },
    });
  }
  return { cells: out, open, openOrders };
}

/**
 * The flags of an order with unsettled lines as of a date: its settled lines' flags, and an
 * overdue unsettled line counts as late and (quantity known) not in full, or (unknown) unknown.
 * The SQL of the fast path computes the same with CASE expressions.
 */
export function openOrderFlags(o: OtifOpenOrder, asOf: string): number {
  let f = o.flags;
  if (o.dueKnown !== null && o.dueKnown <= asOf) f |= 1 | 2 | 4 | 16;
  if (o.dueUnknown !== null && o.dueUnknown <= asOf) f |= 1 | 2 | 8;
  return f;
}

/** The order tally of one order's flags (all zero when none of its lines is counted). */
export function orderTallyOf(flags: number): OtifOrderTally {
  const o = { counted: 0, onTime: 0, inFullKnown: 0, inFull: 0, otif: 0 };
  tally(o, flags);
  return o;
}

/** Lateness values with counts as stored text: "v:n,v:n" ascending by value; "" for none. */
export const latenessText = (pairs: readonly (readonly [number, number])[]): string => pairs.map(([v, n]) => `${v}:${n}`).join(',');

/**
 * Appends lateness text (`latenessText`, also several joined by commas) to `out` as flat pairs
 * value, count, …; true when the values stay strictly ascending from what `out` held. Read
 * character by character: a whole-range answer reads about a million pairs at once.
 */
export function appendLatenessText(text: string, out: number[]): boolean {
  let ascending = true;
  let last = out.length ? out[out.length - 2]! : -Infinity;
  const n = text.length;
  let i = 0;
  const bad = () => new Error(`Unreadable lateness text at ${i}: ${text.slice(Math.max(0, i - 10), i + 10)}`);
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === 44) { i++; continue; } // ,
    const neg = c === 45; // -
    if (neg) i++;
    let v = 0, digits = 0;
    while (i < n && (c = text.charCodeAt(i)) !== 58) { // :
      if (c < 48 || c > 57) throw bad();
      v = v * 10 + (c - 48); i++; digits++;
    }
    if (i >= n || digits === 0) throw bad();
    i++;
    let count = 0;
    digits = 0;
    while (i < n && (c = text.charCodeAt(i)) !== 44) {
      if (c < 48 || c > 57) throw bad();
      count = count * 10 + (c - 48); i++; digits++;
    }
    if (digits === 0) throw bad();
    if (neg) v = -v;
    if (!(v > last)) ascending = false;
    last = v;
    out.push(v, count);
  }
  return ascending;
}

/**
 * A group's counters from pre-aggregated cells: any subset of the counters, orders and lateness
 * values (as `latenessText` writes them, several joined by commas allowed); partials with the same
 * key add up.
 */
export type OtifPartial = { key: string[]; counts?: Partial<OtifCounts>; orders?: Partial<OtifOrderTally>; lateness?: string | null };

/**
 * OTIF groups from partials (decision 027): the same groups, shares, quantiles and empty months
 * as `otifGroups` over the lines the partials were counted from. `key` follows `by`, with the
 * month as YYYY-MM.
 */
export function otifGroupsOfPartials(partials: Iterable<OtifPartial>, options: Pick<OtifOptions, 'by' | 'months'>): OtifGroup[] {
  // Lean groups (no per-line state): tens of thousands come out at once (decision 027).
  const groups = new Map<string, PartialAcc>();
  if (options.by.length === 0) groups.set('', newPartialAcc([]));
  for (const p of partials) {
    const k = p.key.join(SEP);
    let a = groups.get(k);
    if (!a) { a = newPartialAcc([...p.key]); groups.set(k, a); }
    const c = p.counts;
    if (c) {
      a.counted += c.counted ?? 0; a.onTime += c.onTime ?? 0; a.inFullKnown += c.inFullKnown ?? 0; a.inFull += c.inFull ?? 0; a.otif += c.otif ?? 0;
      a.vLines += c.vLines ?? 0; a.vOrdered += c.vOrdered ?? 0; a.vOnTime += c.vOnTime ?? 0; a.vInFull += c.vInFull ?? 0; a.vOtif += c.vOtif ?? 0;
      a.cancelled += c.cancelled ?? 0; a.notDue += c.notDue ?? 0; a.overdueOpen += c.overdueOpen ?? 0; a.cancelledLate += c.cancelledLate ?? 0;
    }
    const o = p.orders;
    if (o) {
      const t = a.tally;
      t.counted += o.counted ?? 0; t.onTime += o.onTime ?? 0; t.inFullKnown += o.inFullKnown ?? 0; t.inFull += o.inFull ?? 0; t.otif += o.otif ?? 0;
    }
    if (p.lateness) {
      a.late ??= [];
      if (!appendLatenessText(p.lateness, a.late)) a.merged = false;
    }
  }
  const monthAt = options.by.indexOf('month');
  if (monthAt >= 0 && options.months) fillMonths(groups, options.by.length, monthAt, options.months, newPartialAcc);
  return [...groups.values()].sort((x, y) => compareKeys(x.key, y.key))
    .map(partialOut);
}
const partialOut = (a: PartialAcc): OtifGroup => groupOut(a.key, a, a.tally, distributionOfFlat(a.late === null ? NO_LATE : a.merged ? a.late : mergeFlat(a.late)));
const NO_LATE: number[] = [];

/** `late`: flat pairs value, count; `merged`: its values strictly ascending. */
type PartialAcc = OtifCounts & { key: string[]; tally: OrderTally; late: number[] | null; merged: boolean };
const newPartialAcc = (key: string[]): PartialAcc => ({
  key, counted: 0, onTime: 0, inFullKnown: 0, inFull: 0, otif: 0, vOrdered: 0, vOnTime: 0, vInFull: 0, vOtif: 0, vLines: 0,
  cancelled: 0, notDue: 0, overdueOpen: 0, cancelledLate: 0, tally: { counted: 0, onTime: 0, inFullKnown: 0, inFull: 0, otif: 0 }, late: null, merged: true,
});
/** Flat pairs value, count, sorted by value and each value once. */
function mergeFlat(flat: readonly number[]): number[] {
  const byValue = new Map<number, number>();
  for (let i = 0; i < flat.length; i += 2) byValue.set(flat[i]!, (byValue.get(flat[i]!) ?? 0) + flat[i + 1]!);
  const out: number[] = [];
  for (const v of [...byValue.keys()].sort((x, y) => x - y)) out.push(v, byValue.get(v)!);
  return out;
}
