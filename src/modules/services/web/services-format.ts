/**
 * Pure helpers of the services pages: the SLA clock in working time, money typed in yuan, peak
 * seasons typed as MM-DD–MM-DD, the cost-to-serve series and the order of an account's requests.
 * No React, no I/O: unit-tested in services-format.test.ts.
 */
import type { RequestStatus, SlaState } from '../services.domain.js';

/** Whole hours and minutes of a number of minutes (its absolute value); `mm` is the minutes on two digits. */
export function durationParts(minutes: number): { h: number; m: number; mm: string } {
  const abs = Math.round(Math.abs(minutes));
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  return { h, m, mm: String(m).padStart(2, '0') };
}

/** The i18n key and values of a duration: "3 h 20 min", "45 min", "2 h". */
export function durationKey(minutes: number): { key: 'services.duration.hm' | 'services.duration.h' | 'services.duration.m'; values: { h: number; m: number; mm: string } } {
  const p = durationParts(minutes);
  return { key: p.h === 0 ? 'services.duration.m' : p.m === 0 ? 'services.duration.h' : 'services.duration.hm', values: p };
}

export type SlaClock =
  | { kind: 'left'; minutes: number }
  | { kind: 'overdue'; minutes: number }
  | { kind: 'done'; state: 'met' | 'missed' }
  | { kind: 'none' };

/**
 * What the SLA clock of a request says: working time left, or how long it is overdue (both as
 * positive minutes), or whether a finished request met its target.
 */
export function slaClock(r: { slaState: SlaState; workingMinutesLeft: number | null }): SlaClock {
  if (r.slaState === 'met' || r.slaState === 'missed') return { kind: 'done', state: r.slaState };
  if (r.workingMinutesLeft === null) return { kind: 'none' };
  if (r.workingMinutesLeft < 0 || r.slaState === 'breached') return { kind: 'overdue', minutes: Math.abs(r.workingMinutesLeft) };
  return { kind: 'left', minutes: r.workingMinutesLeft };
}

/** Mantine colour of a service-level state: ok green, warning orange, breached red; finished ones quieter. */
export const slaColor: Record<SlaState, string> = { ok: 'teal', warning: 'orange', breached: 'red', met: 'gray', missed: 'red' };

/** Minor units as a plain decimal for an input, e.g. 12050 → "120.50" (no currency sign, no grouping). */
export function minorToDecimal(minor: number, digits = 2): string {
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(minor));
  const s = String(abs).padStart(digits + 1, '0');
  return `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/**
 * A typed amount ("120.5", "1,200", "¥80") in minor units, computed on the digits (no floating
 * point); null when it is not an amount or has more decimals than the currency has.
 */
export function decimalToMinor(text: string, digits = 2): number | null {
  const s = text.trim().replace(/[¥￥,\s]/g, '');
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return null;
  const frac = m[2] ?? '';
  if (frac.length > digits) return null;
  const n = Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(n) ? n : null;
}

export type PeakWindow = { from: string; to: string };

const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const daysIn = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const validMonthDay = (md: string) => MONTH_DAY.test(md) && Number(md.slice(3)) <= daysIn[Number(md.slice(0, 2)) - 1]!;

/**
 * Peak seasons as typed: "06-01–08-31, 12-01–01-31" (en dash, hyphen, ~, "to" or 至 between the
 * bounds; commas, semicolons or new lines between windows). Empty text: no seasons (all year).
 * `error` names the first part that is not a window.
 */
export function parsePeakWindows(text: string): { windows: PeakWindow[] | null; error: string | null } {
  const parts = text.split(/[,;，；\n]+/).map((p) => p.trim()).filter(Boolean);
  if (!parts.length) return { windows: null, error: null };
  const windows: PeakWindow[] = [];
  for (const p of parts) {
    const m = /^(\d{1,2})[-/.](\d{1,2})\s*(?:–|—|~|～|至|to|-)\s*(\d{1,2})[-/.](\d{1,2})$/i.exec(p);
    if (!m) return { windows: null, error: p };
    const md = (a: string, b: string) => `${a.padStart(2, '0')}-${b.padStart(2, '0')}`;
    const w = { from: md(m[1]!, m[2]!), to: md(m[3]!, m[4]!) };
    if (!validMonthDay(w.from) || !validMonthDay(w.to)) return { windows: null, error: p };
    windows.push(w);
  }
  return { windows, error: null };
}

/** Peak seasons as text for the same input: "06-01–08-31, 12-01–01-31"; none: "". */
export const formatPeakWindows = (windows: PeakWindow[] | null): string => (windows ?? []).map((w) => `${w.from}–${w.to}`).join(', ');

/** Working hours as shown in the service-levels grid (at most two decimals): 90 → 1.5. */
export const minutesToHours = (minutes: number): number => Math.round((minutes / 60) * 100) / 100;
/** Hours typed in the grid back to whole minutes: 1.5 → 90. */
export const hoursToMinutes = (hours: number): number => Math.round(hours * 60);

/** A minute of the day as HH:MM: 540 → "09:00". */
export const clockOf = (minuteOfDay: number): string =>
  `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;

/** The months from `first` to `last` (YYYY-MM), both included. */
export function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  let y = Number(first.slice(0, 4));
  let m = Number(first.slice(5, 7));
  const end = Number(last.slice(0, 4)) * 12 + Number(last.slice(5, 7));
  while (y * 12 + m <= end && out.length < 240) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  return out;
}

/**
 * Cost to serve as chart series: every month from the first to the last with a cost (a month
 * without one counts 0), and one series per service kind, the costliest kind first.
 */
export function costSeries(rows: { month: string; serviceKindId: string; costMinor: number }[]): { months: string[]; series: { serviceKindId: string; data: number[]; total: number }[] } {
  if (!rows.length) return { months: [], series: [] };
  const sorted = [...rows].map((r) => r.month.slice(0, 7)).sort();
  const months = monthRange(sorted[0]!, sorted[sorted.length - 1]!);
  const index = new Map(months.map((m, i) => [m, i]));
  const byKind = new Map<string, number[]>();
  for (const r of rows) {
    const data = byKind.get(r.serviceKindId) ?? months.map(() => 0);
    data[index.get(r.month.slice(0, 7))!]! += r.costMinor;
    byKind.set(r.serviceKindId, data);
  }
  const series = [...byKind].map(([serviceKindId, data]) => ({ serviceKindId, data, total: data.reduce((s, x) => s + x, 0) }))
    .sort((a, b) => b.total - a.total || a.serviceKindId.localeCompare(b.serviceKindId));
  return { months, series };
}

const activeRank: Record<RequestStatus, number> = { open: 0, in_progress: 0, waiting_customer: 0, resolved: 1, closed: 1 };

/** An account's requests with the active ones (open, in progress, waiting) first, each group keeping its order. */
export const activeFirst = <T extends { status: RequestStatus }>(items: T[]): T[] =>
  items.map((r, i) => ({ r, i })).sort((a, b) => activeRank[a.r.status] - activeRank[b.r.status] || a.i - b.i).map((x) => x.r);

/** Share of an allowance used, 0..1 (an allowance of 0 with use counts as full). */
export const usedShare = (used: number, allowance: number): number => (allowance <= 0 ? (used > 0 ? 1 : 0) : Math.min(1, Math.max(0, used / allowance)));

/** Years as short text: runs of three or more as a range ("2007–2026"), the rest one by one ("2024, 2026"). */
export function yearsText(years: number[], separator = ', '): string {
  const ys = [...new Set(years)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < ys.length;) {
    let j = i;
    while (j + 1 < ys.length && ys[j + 1] === ys[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${ys[i]}–${ys[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(ys[k]));
    i = j + 1;
  }
  return parts.join(separator);
}
