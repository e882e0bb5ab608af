/** Wall-clock time in an IANA time zone ↔ UTC, without a date library. */

function wallClockOf(ts: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ts));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
}

/** The zone's offset from UTC at an instant, in milliseconds (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(ts: number, timeZone: string): number {
  const whole = Math.floor(ts / 1000) * 1000;
  return wallClockOf(whole, timeZone) - whole;
}

/**
 * A local date and time as typed in a datetime-local input (`YYYY-MM-DDTHH:mm`) in `timeZone`,
 * as a UTC ISO-8601 instant (`…Z`). Null when the text is not a date and time.
 */
export function localToUtc(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // Two passes settle the offset around daylight-saving changes.
  let ts = wall - zoneOffsetMs(wall, timeZone);
  ts = wall - zoneOffsetMs(ts, timeZone);
  return new Date(ts).toISOString().replace(/\.000Z$/, 'Z');
}

/** A UTC instant as `YYYY-MM-DDTHH:mm` on the wall clock of `timeZone` (for a datetime-local input). */
export function utcToLocal(iso: string, timeZone: string): string {
  const ts = new Date(iso).getTime();
  return new Date(ts + zoneOffsetMs(ts, timeZone)).toISOString().slice(0, 16);
}
