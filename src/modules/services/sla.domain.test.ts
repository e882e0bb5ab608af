import { describe, expect, it } from 'vitest';
import { toLocal } from '../../shared/time.js';
import { dueAt, isoInZone, isWorkingDay, parseWindows, workingCalendar, workingMinutesBetween, type Interval, type WorkingCalendar } from './sla.domain.js';
import { holidayTableOf, shippedChinaHolidays } from './work-calendar.js';

// The shipped China table alone (no years loaded into a data directory).
const china = holidayTableOf(shippedChinaHolidays().years);
const SH = 'Asia/Shanghai';
const cn = workingCalendar({ timeZone: SH, windows: '09:00-12:00,13:00-18:00', holidays: china });
const weekdaysOnly = workingCalendar({ timeZone: SH, windows: '09:00-12:00,13:00-18:00' });
const at = (iso: string) => new Date(iso);
const due = (cal: WorkingCalendar, start: string, minutes: number, paused?: Interval[]) => isoInZone(dueAt(cal, at(start), minutes, paused), cal.timeZone);
const pause = (from: string, to: string): Interval => ({ from: at(from), to: at(to) });

describe('the China calendar (Spring Festival 2026: off Sun 15 – Mon 23 February, Saturdays 14 and 28 February worked)', () => {
  it('knows make-up Saturdays, holiday weekdays and ordinary weekends', () => {
    expect(isWorkingDay(cn, '2026-02-13')).toBe(true); // Friday
    expect(isWorkingDay(cn, '2026-02-14')).toBe(true); // Saturday, make-up
    expect(isWorkingDay(cn, '2026-02-16')).toBe(false); // Monday, Spring Festival
    expect(isWorkingDay(cn, '2026-02-23')).toBe(false); // Monday, Spring Festival
    expect(isWorkingDay(cn, '2026-02-24')).toBe(true); // Tuesday, back at work
    expect(isWorkingDay(cn, '2026-02-21')).toBe(false); // Saturday, inside the holiday
    expect(isWorkingDay(cn, '2026-02-28')).toBe(true); // Saturday, make-up
    expect(isWorkingDay(cn, '2026-03-07')).toBe(false); // an ordinary Saturday
    expect(isWorkingDay(weekdaysOnly, '2026-02-14')).toBe(false);
    expect(isWorkingDay(weekdaysOnly, '2026-02-16')).toBe(true);
  });

  it('a request on Friday 13 February 17:50 with 8 working hours is due on the make-up Saturday at 17:50', () => {
    // 10 min on Friday (17:50–18:00), then 470 of Saturday's 480: 09:00–12:00 (180) and 13:00–17:50 (290).
    expect(due(cn, '2026-02-13T17:50+08:00', 8 * 60)).toBe('2026-02-14T17:50:00+08:00');
    // Weekdays only, the Saturday is off and the holiday Monday counts.
    expect(due(weekdaysOnly, '2026-02-13T17:50+08:00', 8 * 60)).toBe('2026-02-16T17:50:00+08:00');
  });

  it('16 working hours from Friday 17:00 run through the make-up Saturday and the holiday to Tuesday 24 February 17:00', () => {
    // Friday 60 min + Saturday 480 = 540; the remaining 420 on Tuesday: 09:00–12:00 (180) and 13:00–17:00 (240).
    expect(due(cn, '2026-02-13T17:00+08:00', 16 * 60)).toBe('2026-02-24T17:00:00+08:00');
  });

  it('counts the make-up Sunday of the National Day holiday (Sunday 20 September 2026)', () => {
    // Friday 18 Sep 16:00–18:00 (120) + Sunday 20 Sep (480) = 600; 360 left on Monday: 09:00–12:00, 13:00–16:00.
    expect(due(cn, '2026-09-18T16:00+08:00', 16 * 60)).toBe('2026-09-21T16:00:00+08:00');
    expect(due(weekdaysOnly, '2026-09-18T16:00+08:00', 16 * 60)).toBe('2026-09-22T16:00:00+08:00');
  });
});

describe('the clock within and between working days', () => {
  it('skips the lunch break: 11:30 with 1 h is due at 13:30', () => {
    expect(due(cn, '2026-03-03T11:30+08:00', 60)).toBe('2026-03-03T13:30:00+08:00');
  });

  it('carries over the night: 17:30 with 1 h is due at 09:30 the next working day', () => {
    expect(due(cn, '2026-03-03T17:30+08:00', 60)).toBe('2026-03-04T09:30:00+08:00');
    expect(due(cn, '2026-03-06T17:30+08:00', 60)).toBe('2026-03-09T09:30:00+08:00'); // Friday → Monday
  });

  it('a request arriving during lunch starts counting at 13:00', () => {
    expect(due(cn, '2026-03-03T12:15+08:00', 30)).toBe('2026-03-03T13:30:00+08:00');
  });

  it('a request arriving in a holiday starts counting on the first working day after it', () => {
    // Saturday 3 October, inside National Day (1–7 October); Thursday 8 October works.
    expect(due(cn, '2026-10-03T10:00+08:00', 120)).toBe('2026-10-08T11:00:00+08:00');
    // Labour Day, Friday 1 May (off 1–5 May): a full day's target ends at Wednesday's 18:00, not Thursday 09:00.
    expect(due(cn, '2026-05-01T14:00+08:00', 8 * 60)).toBe('2026-05-06T18:00:00+08:00');
  });

  it('with 0 minutes answers the next working instant', () => {
    expect(due(cn, '2026-03-03T10:07+08:00', 0)).toBe('2026-03-03T10:07:00+08:00');
    expect(due(cn, '2026-03-03T12:15+08:00', 0)).toBe('2026-03-03T13:00:00+08:00');
    expect(due(cn, '2026-03-03T18:00+08:00', 0)).toBe('2026-03-04T09:00:00+08:00');
    expect(due(cn, '2026-02-16T10:00+08:00', 0)).toBe('2026-02-24T09:00:00+08:00');
  });

  it('keeps seconds of the start', () => {
    expect(isoInZone(dueAt(cn, at('2026-03-03T10:00:30+08:00'), 90), SH)).toBe('2026-03-03T11:30:30+08:00');
  });

  it('refuses a negative or non-finite target and an invalid start', () => {
    expect(() => dueAt(cn, at('2026-03-03T10:00+08:00'), -1)).toThrow(/minutes must be/);
    expect(() => dueAt(cn, at('2026-03-03T10:00+08:00'), Number.POSITIVE_INFINITY)).toThrow(/minutes must be/);
    expect(() => dueAt(cn, new Date('nonsense'), 60)).toThrow(/start is not a valid date/);
  });

  it('gives up on a calendar without working days instead of running forever', () => {
    const never = workingCalendar({ timeZone: SH, windows: '09:00-18:00', weekdays: [] });
    expect(() => dueAt(never, at('2026-03-03T10:00+08:00'), 60)).toThrow(/no working time within/);
  });
});

describe('pauses (waiting on the customer)', () => {
  it('a request paused for two days is due two working days later', () => {
    // Monday 2 March 10:00, 8 h. Without the pause: Tuesday 10:00.
    expect(due(cn, '2026-03-02T10:00+08:00', 8 * 60)).toBe('2026-03-03T10:00:00+08:00');
    // Paused Mon 11:00 → Wed 11:00: Mon 10–11 (60), Wed 11–12 and 13–18 (360) = 420; 60 more on Thursday.
    const waiting = [pause('2026-03-02T11:00+08:00', '2026-03-04T11:00+08:00')];
    expect(due(cn, '2026-03-02T10:00+08:00', 8 * 60, waiting)).toBe('2026-03-05T10:00:00+08:00');
    expect(workingMinutesBetween(cn, at('2026-03-02T10:00+08:00'), at('2026-03-05T10:00+08:00'), waiting)).toBe(480);
  });

  it('unions overlapping and repeated pauses', () => {
    const pieces = [
      pause('2026-03-03T09:00+08:00', '2026-03-04T11:00+08:00'),
      pause('2026-03-02T11:00+08:00', '2026-03-03T11:00+08:00'),
      pause('2026-03-02T11:00+08:00', '2026-03-03T11:00+08:00'),
      pause('2026-03-04T10:00+08:00', '2026-03-04T10:30+08:00'), // inside another
    ];
    expect(due(cn, '2026-03-02T10:00+08:00', 8 * 60, pieces)).toBe('2026-03-05T10:00:00+08:00');
  });

  it('a pause running when the request arrives delays the start to its end; one outside working time changes nothing', () => {
    expect(due(cn, '2026-03-03T10:00+08:00', 60, [pause('2026-03-03T08:00+08:00', '2026-03-03T14:00+08:00')])).toBe('2026-03-03T15:00:00+08:00');
    expect(due(cn, '2026-03-03T17:30+08:00', 60, [pause('2026-03-03T18:00+08:00', '2026-03-04T09:00+08:00')])).toBe('2026-03-04T09:30:00+08:00');
    // Empty and reversed intervals are no pause.
    expect(due(cn, '2026-03-03T10:00+08:00', 60, [pause('2026-03-03T10:30+08:00', '2026-03-03T10:30+08:00'), pause('2026-03-03T11:00+08:00', '2026-03-03T10:45+08:00')])).toBe('2026-03-03T11:00:00+08:00');
  });

  it('a target reached exactly when a pause begins is due then', () => {
    expect(due(cn, '2026-03-03T10:00+08:00', 30, [pause('2026-03-03T10:30+08:00', '2026-03-03T16:00+08:00')])).toBe('2026-03-03T10:30:00+08:00');
  });
});

describe('time zones with daylight saving time', () => {
  const berlin = workingCalendar({ timeZone: 'Europe/Berlin', windows: '09:00-17:00' });
  const berlinAlways = workingCalendar({ timeZone: 'Europe/Berlin', windows: '00:00-24:00', weekdays: [1, 2, 3, 4, 5, 6, 7] });
  const berlinNight = workingCalendar({ timeZone: 'Europe/Berlin', windows: '01:00-04:00', weekdays: [1, 2, 3, 4, 5, 6, 7] });

  it('keeps wall-clock windows across the spring change (Sunday 29 March 2026, 02:00 → 03:00)', () => {
    // Friday 27 March 16:00 CET + 2 h: 60 min on Friday, 60 on Monday from 09:00 CEST.
    expect(due(berlin, '2026-03-27T16:00+01:00', 120)).toBe('2026-03-30T10:00:00+02:00');
    expect(dueAt(berlin, at('2026-03-27T16:00+01:00'), 120).toISOString()).toBe('2026-03-30T08:00:00.000Z');
  });

  it('counts the hours that actually elapse on the short and the long day', () => {
    expect(workingMinutesBetween(berlinAlways, at('2026-03-29T00:00+01:00'), at('2026-03-30T00:00+02:00'))).toBe(23 * 60);
    expect(due(berlinAlways, '2026-03-29T00:00+01:00', 24 * 60)).toBe('2026-03-30T01:00:00+02:00');
    expect(workingMinutesBetween(berlinAlways, at('2026-10-25T00:00+02:00'), at('2026-10-26T00:00+01:00'))).toBe(25 * 60);
    // A night window 01:00–04:00: 02:00–03:00 never happens in March and happens twice in October.
    expect(workingMinutesBetween(berlinNight, at('2026-03-29T00:00+01:00'), at('2026-03-30T00:00+02:00'))).toBe(120);
    expect(workingMinutesBetween(berlinNight, at('2026-10-25T00:00+02:00'), at('2026-10-26T00:00+01:00'))).toBe(240);
    expect(due(berlinNight, '2026-03-29T01:30+01:00', 60)).toBe('2026-03-29T03:30:00+02:00');
  });

  it('writes the offset of the instant itself', () => {
    expect(isoInZone(at('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29T01:30:00+01:00');
    expect(isoInZone(at('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29T03:30:00+02:00');
    expect(isoInZone(at('2026-03-08T12:00:00Z'), 'America/New_York')).toBe('2026-03-08T08:00:00-04:00');
    expect(isoInZone(at('2026-03-08T12:00:00Z'), 'Asia/Kathmandu')).toBe('2026-03-08T17:45:00+05:45');
  });
});

describe('parseWindows', () => {
  it('reads windows, sorts them and joins adjacent ones', () => {
    expect(parseWindows('09:00-12:00,13:00-18:00')).toEqual([[540, 720], [780, 1080]]);
    expect(parseWindows(' 13:00-18:00 , 9:00-12:00 ')).toEqual([[540, 720], [780, 1080]]);
    expect(parseWindows('08:00-12:00,12:00-16:00')).toEqual([[480, 960]]);
    expect(parseWindows('00:00-24:00')).toEqual([[0, 1440]]);
  });

  it('names what is wrong', () => {
    expect(() => parseWindows('09:00-12:00,11:00-18:00')).toThrow('09:00-12:00 and 11:00-18:00 overlap');
    expect(() => parseWindows('12:00-09:00')).toThrow('"12:00-09:00" ends before it starts');
    expect(() => parseWindows('09:00-09:00')).toThrow('ends before it starts');
    expect(() => parseWindows('09:00-25:00')).toThrow('"25:00" in "09:00-25:00" is not a time of day');
    expect(() => parseWindows('09:60-12:00')).toThrow('not a time of day');
    expect(() => parseWindows('24:00-24:00')).toThrow('not a time of day');
    expect(() => parseWindows('9-12')).toThrow('"9-12" is not HH:MM-HH:MM');
    expect(() => parseWindows('')).toThrow('none given');
  });

  it('a calendar with windows out of order or a bad zone is refused', () => {
    expect(() => dueAt({ timeZone: SH, windows: [[780, 1080], [540, 720]], weekdays: [1, 2, 3, 4, 5], holidays: null }, at('2026-03-03T10:00+08:00'), 60)).toThrow(/sorted/);
    expect(() => workingCalendar({ timeZone: 'Mars/Olympus', windows: '09:00-17:00' })).toThrow(/Mars\/Olympus/);
    expect(() => workingCalendar({ timeZone: SH, windows: '09:00-17:00', weekdays: [0] })).toThrow(/weekday 0/);
  });
});

/** Seeded generator, so a failure can be rerun. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Minute by minute, from the wall clock alone: the slow, obvious answer. */
function oracleDue(cal: WorkingCalendar, start: number, minutes: number, paused: Interval[]): number {
  let left = minutes;
  for (let t = start; ; t += 60_000) {
    const l = toLocal(new Date(t), cal.timeZone);
    const iso = `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
    const m = l.hour * 60 + l.minute;
    const working = isWorkingDay(cal, iso) && cal.windows.some(([a, b]) => m >= a && m < b) && !paused.some((p) => t >= p.from.getTime() && t < p.to.getTime());
    if (working) {
      if (left === 0) return t;
      left--;
      if (left === 0) return t + 60_000;
    }
  }
}

describe('properties on random requests', () => {
  it('workingMinutesBetween(start, dueAt(start, m)) is m, and a minute earlier it is less', () => {
    const rnd = random(20260213);
    const cals = [cn, workingCalendar({ timeZone: 'Europe/Berlin', windows: '08:00-12:00,12:30-16:30', holidays: china }), workingCalendar({ timeZone: 'America/New_York', windows: '00:00-02:30,09:00-17:00', weekdays: [1, 2, 3, 4, 5, 6] })];
    const from = Date.UTC(2025, 0, 1);
    for (let i = 0; i < 3000; i++) {
      const cal = cals[i % cals.length]!;
      const start = new Date(from + Math.floor(rnd() * 730 * 1440) * 60_000);
      const m = Math.floor(rnd() * 3000);
      const paused = rnd() < 0.3 ? [0, 1].map(() => {
        const a = start.getTime() + Math.floor(rnd() * 5 * 1440) * 60_000;
        return { from: new Date(a), to: new Date(a + Math.floor(rnd() * 2 * 1440) * 60_000) };
      }) : [];
      const d = dueAt(cal, start, m, paused);
      const label = `${cal.timeZone} ${start.toISOString()} +${m} min, pauses ${JSON.stringify(paused)}`;
      expect(workingMinutesBetween(cal, start, d, paused), label).toBe(m);
      if (m > 0) expect(workingMinutesBetween(cal, start, new Date(d.getTime() - 60_000), paused), label).toBe(m - 1);
    }
  });

  it('agrees with counting minute by minute, around holidays and DST changes', () => {
    const rnd = random(7);
    const cals = [cn, workingCalendar({ timeZone: 'Europe/Berlin', windows: '01:00-04:00,09:00-17:00', weekdays: [1, 2, 3, 4, 5, 7] }), workingCalendar({ timeZone: 'America/New_York', windows: '00:00-24:00', weekdays: [6, 7] })];
    // Starts in the weeks around Spring Festival and the 2026 DST changes of Europe and the US.
    const around = ['2026-02-10T00:00Z', '2026-03-05T00:00Z', '2026-03-26T00:00Z', '2026-10-22T00:00Z', '2026-10-29T00:00Z', '2026-09-28T00:00Z'].map((s) => Date.parse(s));
    for (let i = 0; i < 72; i++) {
      const cal = cals[Math.floor(i / around.length) % cals.length]!; // every calendar with every week
      const start = around[i % around.length]! + Math.floor(rnd() * 6 * 1440) * 60_000;
      const m = Math.floor(rnd() * 900);
      const paused = rnd() < 0.5 ? [{ from: new Date(start + Math.floor(rnd() * 2 * 1440) * 60_000), to: new Date(start + Math.floor(rnd() * 3 * 1440) * 60_000) }] : [];
      expect(dueAt(cal, new Date(start), m, paused).getTime(), `${cal.timeZone} ${new Date(start).toISOString()} +${m}`).toBe(oracleDue(cal, start, m, paused));
    }
  });

  it('workingMinutesBetween is 0 when to is not after from', () => {
    expect(workingMinutesBetween(cn, at('2026-03-03T12:00+08:00'), at('2026-03-03T10:00+08:00'))).toBe(0);
    expect(workingMinutesBetween(cn, at('2026-03-03T10:00+08:00'), at('2026-03-03T10:00+08:00'))).toBe(0);
  });
});
