import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasReferenceData, referenceDataMissing, referencePath } from '../../shared/reference-data.js';
import { dueAt, isoInZone, isWorkingDay, workingCalendar } from './sla.domain.js';
import { extraHolidayFile, HolidayFileError, holidayTableOf, loadChinaHolidays, mergeHolidayYear, parseHolidayCnYear, saveHolidayYear, shippedChinaHolidays } from './work-calendar.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'openkam-holidays-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A made-up 2027 notice for the tests (the real one may differ): New Year's Day, a Friday, off. */
const year2027 = {
  year: 2027,
  papers: ['https://example.invalid/2027-notice'],
  days: [
    { name: '元旦', date: '2027-01-01', isOffDay: true },
    { name: '春节', date: '2027-02-06', isOffDay: false },
    { name: '春节', date: '2027-02-08', isOffDay: true },
  ],
};

describe('the shipped China table', () => {
  it('covers 2007–2026 with Spring Festival 2026 as the State Council gave it', () => {
    const data = shippedChinaHolidays();
    expect(Object.keys(data.years)).toEqual(Array.from({ length: 20 }, (_, i) => String(2007 + i)));
    expect(data.licence).toMatch(/MIT/);
    expect(data.source).toMatch(/NateScarlet\/holiday-cn/);
    const y = data.years['2026']!;
    expect(y.work).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(y.off.filter((d) => d.startsWith('2026-02'))).toEqual(['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']);
  });

  it.skipIf(!hasReferenceData)(`holds exactly the days of the holiday-cn year files ${hasReferenceData ? '' : referenceDataMissing}`, () => {
    const dir = referencePath('calendar', 'holiday-cn');
    const files = readdirSync(dir).filter((f) => /^\d{4}\.json$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const shipped = shippedChinaHolidays().years;
    expect(Object.keys(shipped).sort()).toEqual(files.map((f) => f.slice(0, 4)).sort());
    for (const f of files) {
      const raw = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { days: { date: string; isOffDay: boolean }[] };
      const y = shipped[f.slice(0, 4)]!;
      expect(y.off, f).toEqual(raw.days.filter((d) => d.isOffDay).map((d) => d.date).sort());
      expect(y.work, f).toEqual(raw.days.filter((d) => !d.isOffDay).map((d) => d.date).sort());
    }
  });

  it('keeps a notice\'s days of the year before (the 2023 notice gives Saturday 31 December 2022 off)', () => {
    const cal = workingCalendar({ timeZone: 'Asia/Shanghai', windows: '09:00-18:00', weekdays: [1, 2, 3, 4, 5, 6], holidays: holidayTableOf(shippedChinaHolidays().years) });
    expect(isWorkingDay(cal, '2022-12-31')).toBe(false);
    expect(isWorkingDay(cal, '2022-12-24')).toBe(true);
  });
});

describe('holiday-cn year files', () => {
  it('reads the days off and the make-up working days', () => {
    expect(parseHolidayCnYear(year2027)).toEqual({ year: 2027, off: ['2027-01-01', '2027-02-08'], work: ['2027-02-06'], papers: ['https://example.invalid/2027-notice'] });
  });

  it('says why a file cannot be used', () => {
    const day = (d: object) => ({ year: 2027, days: [{ name: '元旦', date: '2027-01-01', isOffDay: true, ...d }] });
    const cases: [unknown, string][] = [
      [[1, 2], 'expected a JSON object'],
      [{ year: '2027', days: [] }, '"year" must be a year'],
      [{ year: 2027 }, '"days" must be a list'],
      [{ year: 2027, days: [] }, '"days" is empty'],
      [day({ date: '2027-02-30' }), 'days[0].date "2027-02-30" is not a date'],
      [day({ date: '01/01/2027' }), 'is not a date'],
      [day({ date: '2029-01-01' }), 'days[0].date 2029-01-01 is outside the 2027 notice'],
      [day({ isOffDay: 'yes' }), 'days[0].isOffDay must be true'],
      [{ year: 2027, days: [{ date: '2027-01-01', isOffDay: true }, { date: '2027-01-01', isOffDay: false }] }, 'days[1].date 2027-01-01 is listed twice'],
    ];
    for (const [json, message] of cases) {
      expect(() => parseHolidayCnYear(json), message).toThrow(HolidayFileError);
      expect(() => parseHolidayCnYear(json), message).toThrow(message);
    }
  });

  it('mergeHolidayYear adds a newer year and replaces a year given again', () => {
    const shipped = holidayTableOf(shippedChinaHolidays().years);
    const cal = (holidays: typeof shipped) => workingCalendar({ timeZone: 'Asia/Shanghai', windows: '09:00-18:00', holidays });
    const merged = mergeHolidayYear(shipped, year2027);
    expect(isWorkingDay(cal(shipped), '2027-01-01')).toBe(true);
    expect(isWorkingDay(cal(merged), '2027-01-01')).toBe(false);
    expect(isWorkingDay(cal(merged), '2027-02-06')).toBe(true); // a Saturday worked
    expect(isWorkingDay(cal(merged), '2026-02-16')).toBe(false); // the shipped years stay
    // A revised 2026 without the Spring Festival make-up Saturday: 14 February is off again.
    const revised = mergeHolidayYear(merged, { year: 2026, days: [{ name: '春节', date: '2026-02-16', isOffDay: true }] });
    expect(isWorkingDay(cal(revised), '2026-02-14')).toBe(false);
    expect(isWorkingDay(cal(revised), '2026-02-17')).toBe(true);
    expect(isWorkingDay(cal(revised), '2027-01-01')).toBe(false);
  });
});

describe('years loaded into the data directory', () => {
  it('a year stored with saveHolidayYear moves a due time (New Year 2027 off)', () => {
    const dataDir = tempDir();
    const cal = () => workingCalendar({ timeZone: 'Asia/Shanghai', windows: '09:00-12:00,13:00-18:00', holidays: loadChinaHolidays(dataDir) });
    // Thursday 31 December 2026 17:00, 2 h: 60 min that day, 60 the next working day.
    const start = new Date('2026-12-31T17:00+08:00');
    expect(isoInZone(dueAt(cal(), start, 120), 'Asia/Shanghai')).toBe('2027-01-01T10:00:00+08:00');
    expect(saveHolidayYear(dataDir, year2027)).toMatchObject({ year: 2027, off: 2, work: 1, replaces: null, file: extraHolidayFile(dataDir) });
    expect(isoInZone(dueAt(cal(), start, 120), 'Asia/Shanghai')).toBe('2027-01-04T10:00:00+08:00');
    expect(loadChinaHolidays(dataDir)).toBe(loadChinaHolidays(dataDir)); // one table while nothing changes
  });

  it('a loaded year replaces the shipped one of the same number', () => {
    const dataDir = tempDir();
    expect(saveHolidayYear(dataDir, { year: 2026, days: [{ name: '春节', date: '2026-02-16', isOffDay: true }] }).replaces).toBe('shipped');
    const cal = workingCalendar({ timeZone: 'Asia/Shanghai', windows: '09:00-18:00', holidays: loadChinaHolidays(dataDir) });
    expect(isWorkingDay(cal, '2026-02-14')).toBe(false);
    expect(isWorkingDay(cal, '2026-02-17')).toBe(true);
    expect(isWorkingDay(cal, '2025-01-28')).toBe(false); // other shipped years stay
    expect(saveHolidayYear(dataDir, year2027).replaces).toBe(null);
    expect(Object.keys(JSON.parse(readFileSync(extraHolidayFile(dataDir), 'utf8')).years)).toEqual(['2026', '2027']);
  });

  it('a damaged file of loaded years is named in the error', () => {
    const dataDir = tempDir();
    writeFileSync(extraHolidayFile(dataDir), '{"years": {"2027": {"off": ["soon"], "work": []}}}');
    expect(() => loadChinaHolidays(dataDir)).toThrow(/holiday-cn\.extra\.json: year 2027: "soon" is not a date/);
  });
});
