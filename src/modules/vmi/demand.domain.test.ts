import { describe, expect, it } from 'vitest';
import { qnorm } from '../forecasting/stats.domain.js';
import { dailyForecast, demandCurve, meanOver } from './demand.domain.js';

// Two weeks from Monday 2027-03-01: 70 then 140 expected, with cumulative quantiles.
const weekly = {
  start: '2027-03-01',
  periodDays: 7,
  levels: [0.5, 0.95],
  point: [70, 140],
  quantiles: [
    [70, 140],
    [90, 170],
  ],
  cumulative: [
    [70, 210],
    [90, 246],
  ],
};

describe('demand over days', () => {
  it('spreads a week evenly over its days and drops the part of the week already gone', () => {
    const c = demandCurve({ kind: 'forecast', forecast: weekly }, '2027-03-04', 30);
    // Thursday: 4 of the first week's 7 days are left (40), then the second week (140).
    expect(meanOver(c, 0, 4)).toBeCloseTo(40, 9);
    expect(meanOver(c, 0, 11)).toBeCloseTo(180, 9);
  });

  it("keeps the forecast's own cumulative quantiles at week ends", () => {
    const f = dailyForecast(demandCurve({ kind: 'forecast', forecast: weekly }, '2027-03-01', 20), 14);
    expect(f.cumulative[1]![6]).toBeCloseTo(90, 9);
    expect(f.cumulative[1]![13]).toBeCloseTo(246, 9);
    expect(f.point.slice(0, 7).reduce((a, b) => a + b, 0)).toBeCloseTo(70, 9);
  });

  it("repeats the forecast's last week beyond its horizon and says how far it reaches", () => {
    const c = demandCurve({ kind: 'forecast', forecast: weekly }, '2027-03-01', 30);
    expect(meanOver(c, 14, 21)).toBeCloseTo(140, 9);
    expect(c.coveredDays).toBe(14);
  });

  it('reads a static daily rate with its spread as independent normal days', () => {
    const f = dailyForecast(demandCurve({ kind: 'rate', perDay: 10, sdPerDay: 3 }, '2027-03-01', 12), 10);
    const k95 = f.levels.indexOf(0.95);
    expect(f.cumulative[k95]![9]).toBeCloseTo(100 + qnorm(0.95) * 3 * Math.sqrt(10), 9);
  });

  it('refuses a forecast that starts after the order date', () => {
    expect(() => demandCurve({ kind: 'forecast', forecast: weekly }, '2027-02-28', 10)).toThrow(/starts on 2027-03-01/);
  });
});
