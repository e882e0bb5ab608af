import { describe, expect, it } from 'vitest';
import {
  activeFirst, clockOf, yearsText, costSeries, decimalToMinor, durationKey, formatPeakWindows, hoursToMinutes, minorToDecimal, minutesToHours, parsePeakWindows, slaClock, usedShare,
} from './services-format.js';

describe('the SLA clock', () => {
  it('says how much working time is left, in hours and minutes', () => {
    expect(slaClock({ slaState: 'ok', workingMinutesLeft: 200 })).toEqual({ kind: 'left', minutes: 200 });
    expect(durationKey(200)).toEqual({ key: 'services.duration.hm', values: { h: 3, m: 20, mm: '20' } });
  });

  it('says how long a request is overdue, with the minutes on two digits', () => {
    const c = slaClock({ slaState: 'breached', workingMinutesLeft: -65 });
    expect(c).toEqual({ kind: 'overdue', minutes: 65 });
    expect(durationKey(65).values).toEqual({ h: 1, m: 5, mm: '05' });
  });

  it('drops the hours under an hour and the minutes on the hour', () => {
    expect(durationKey(45).key).toBe('services.duration.m');
    expect(durationKey(120).key).toBe('services.duration.h');
    expect(durationKey(0).key).toBe('services.duration.m');
  });

  it('calls a request breached at its due time overdue, even with no minutes past', () => {
    expect(slaClock({ slaState: 'breached', workingMinutesLeft: 0 })).toEqual({ kind: 'overdue', minutes: 0 });
  });

  it('tells a finished request met or missed, without a clock', () => {
    expect(slaClock({ slaState: 'met', workingMinutesLeft: null })).toEqual({ kind: 'done', state: 'met' });
    expect(slaClock({ slaState: 'missed', workingMinutesLeft: null })).toEqual({ kind: 'done', state: 'missed' });
  });
});

describe('money typed in yuan', () => {
  it('shows minor units as a plain decimal', () => {
    expect(minorToDecimal(12050)).toBe('120.50');
    expect(minorToDecimal(5)).toBe('0.05');
    expect(minorToDecimal(0)).toBe('0.00');
    expect(minorToDecimal(300, 0)).toBe('300');
  });

  it('reads what people type into minor units without floating-point error', () => {
    expect(decimalToMinor('120.5')).toBe(12050);
    expect(decimalToMinor('0.29')).toBe(29);
    expect(decimalToMinor('¥1,200')).toBe(120000);
    expect(decimalToMinor('80.')).toBe(8000);
  });

  it('refuses text that is not an amount, or has more decimals than the currency', () => {
    expect(decimalToMinor('')).toBeNull();
    expect(decimalToMinor('12.345')).toBeNull();
    expect(decimalToMinor('-3')).toBeNull();
    expect(decimalToMinor('abc')).toBeNull();
  });
});

describe('peak seasons', () => {
  it('reads windows written with dashes, tildes or 至, and writes them back the same way', () => {
    const r = parsePeakWindows('06-01–08-31, 12-01 ~ 01-31；3-1至3-15');
    expect(r.error).toBeNull();
    expect(r.windows).toEqual([{ from: '06-01', to: '08-31' }, { from: '12-01', to: '01-31' }, { from: '03-01', to: '03-15' }]);
    expect(formatPeakWindows(r.windows)).toBe('06-01–08-31, 12-01–01-31, 03-01–03-15');
  });

  it('accepts a plain hyphen between the bounds', () => {
    expect(parsePeakWindows('06-01-08-31').windows).toEqual([{ from: '06-01', to: '08-31' }]);
  });

  it('means all year when empty', () => {
    expect(parsePeakWindows('  ')).toEqual({ windows: null, error: null });
    expect(formatPeakWindows(null)).toBe('');
  });

  it('names the part that is not a window, such as 31 June', () => {
    expect(parsePeakWindows('06-01–06-31').error).toBe('06-01–06-31');
    expect(parsePeakWindows('06-01–08-31, summer').error).toBe('summer');
  });
});

describe('the service-levels grid', () => {
  it('shows working minutes as hours and stores hours as whole minutes', () => {
    expect(minutesToHours(90)).toBe(1.5);
    expect(minutesToHours(100)).toBe(1.67);
    expect(hoursToMinutes(1.5)).toBe(90);
    expect(hoursToMinutes(minutesToHours(480))).toBe(480);
  });

  it('writes a working-time window as clock times', () => {
    expect(clockOf(540)).toBe('09:00');
    expect(clockOf(1085)).toBe('18:05');
  });
});

describe('cost to serve', () => {
  it('fills the months without a cost and puts the costliest service first', () => {
    const s = costSeries([
      { month: '2026-10', serviceKindId: 'a', costMinor: 100 },
      { month: '2026-12', serviceKindId: 'a', costMinor: 50 },
      { month: '2026-12', serviceKindId: 'b', costMinor: 500 },
    ]);
    expect(s.months).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(s.series).toEqual([
      { serviceKindId: 'b', data: [0, 0, 500], total: 500 },
      { serviceKindId: 'a', data: [100, 0, 50], total: 150 },
    ]);
  });

  it('runs across a year end', () => {
    expect(costSeries([{ month: '2026-11', serviceKindId: 'a', costMinor: 1 }, { month: '2027-02', serviceKindId: 'a', costMinor: 1 }]).months)
      .toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
  });

  it('has nothing to draw without costs', () => {
    expect(costSeries([])).toEqual({ months: [], series: [] });
  });
});

describe("an account's requests", () => {
  it('lists the active ones first and keeps the order within each group', () => {
    const rows = [
      { id: '1', status: 'closed' as const }, { id: '2', status: 'open' as const }, { id: '3', status: 'resolved' as const },
      { id: '4', status: 'waiting_customer' as const }, { id: '5', status: 'in_progress' as const },
    ];
    expect(activeFirst(rows).map((r) => r.id)).toEqual(['2', '4', '5', '1', '3']);
  });
});

describe('the used / remaining bar', () => {
  it('is full when all is used or more, and empty with nothing granted and nothing used', () => {
    expect(usedShare(3, 4)).toBe(0.75);
    expect(usedShare(6, 4)).toBe(1);
    expect(usedShare(0, 0)).toBe(0);
    expect(usedShare(1, 0)).toBe(1);
  });
});

describe('the holiday calendar years', () => {
  it('reads as a range when the years run on, and one by one when they do not', () => {
    expect(yearsText([2026, 2007, 2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025])).toBe('2007–2026');
    expect(yearsText([2024, 2026])).toBe('2024, 2026');
    expect(yearsText([2020, 2021, 2023, 2024, 2025])).toBe('2020, 2021, 2023–2025');
    expect(yearsText([])).toBe('');
  });
});
