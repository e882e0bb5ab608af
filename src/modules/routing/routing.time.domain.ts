/** Clock-time helpers for planning: times are minutes since local midnight. */

/** Parses "HH:MM" (or a number of minutes) into minutes since midnight. */
export function parseClock(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`invalid time: ${value}`);
    return value;
  }
  const m = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!m) throw new Error(`invalid time "${value}": expected HH:MM`);
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min > 0)) throw new Error(`invalid time "${value}"`);
  return h * 60 + min;
}

/** Formats minutes since midnight as "HH:MM" (rounded to the minute). */
export function formatClock(minutes: number): string {
  if (!Number.isFinite(minutes)) return minutes > 0 ? '∞' : '-∞';
  const total = Math.round(minutes);
  const sign = total < 0 ? '-' : '';
  const abs = Math.abs(total);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** "08:00–12:00" */
export function formatWindow(w: readonly [number, number]): string {
  return `${formatClock(w[0])}–${formatClock(w[1])}`;
}
