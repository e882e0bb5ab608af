import { describe, expect, it } from 'vitest';
import { holidayTableOf, shippedChinaHolidays } from '../services/work-calendar.js';
import { appendLatenessText, latenessText, type OtifCellLine, otifCells, otifGroups, otifGroupsOfPartials, openOrderFlags, orderTallyOf, workingDays } from './otif.domain.js';

const cn = workingDays(holidayTableOf(shippedChinaHolidays().years));
const terms = { tolerances: { earlyDays: 0, lateDays: 1, inFullPercent: 0 }, calendar: cn };
const line = (id: string, orderNo: string, promisedDate: string, rest: Partial<OtifCellLine>): OtifCellLine => ({
  id, account: 'A', orderNo, orderId: `A/${orderNo}/${promisedDate.slice(0, 7)}`, keys: { account: 'A' }, promisedDate, deliveries: [], orderedQty: 10, status: 'delivered', ...rest,
});

describe('OTIF cells (decision 027)', () => {
  // Promised Wednesday 30 September 2026 with 1 working day late allowed on China's calendar:
  // 1–7 October are off, so the window ends Thursday 8 October and the line is overdue from the 9th.
  const lines = [
    line('1', 'O1', '2026-09-30', { status: 'open' }),
    line('2', 'O1', '2026-09-29', { deliveries: [{ date: '2026-09-29', quantity: 10 }] }),
    line('3', 'O2', '2026-09-10', { deliveries: [{ date: '2026-09-14', quantity: 10 }] }),
    line('4', 'O3', '2026-10-12', { status: 'cancelled', cancelledDate: '2026-10-20' }),
  ];

  it('keeps an open line apart with the first day it is overdue on its dealer\'s calendar', () => {
    const { open, openOrders, cells } = otifCells(lines, () => terms);
    expect(open).toEqual([{ id: '1', account: 'A', month: '2026-09', orderNo: 'O1', overdueFrom: '2026-10-09', qtyKnown: true, orderedQty: 10 }]);
    // O1's settled line was on time and in full (flags 1); O2 alone is tallied in the cell: late (promised Thu 10th, delivered Mon 14th: 2 working days).
    expect(openOrders).toEqual([{ account: 'A', month: '2026-09', orderNo: 'O1', flags: 1, dueKnown: '2026-10-09', dueUnknown: null }]);
    const sep = cells.find((c) => c.month === '2026-09')!;
    expect(sep.counts).toMatchObject({ counted: 2, onTime: 1, inFull: 1 });
    expect(sep.orders).toEqual({ counted: 1, onTime: 0, inFullKnown: 1, inFull: 0, otif: 0 });
    expect(sep.lateness).toEqual([[0, 1], [2, 1]]);
    expect(cells.find((c) => c.month === '2026-10')!.counts).toMatchObject({ counted: 1, cancelledLate: 1 });
    expect(orderTallyOf(openOrderFlags(openOrders[0]!, '2026-10-08'))).toMatchObject({ counted: 1, onTime: 1 });
    expect(orderTallyOf(openOrderFlags(openOrders[0]!, '2026-10-09'))).toMatchObject({ counted: 1, onTime: 0, inFull: 0 });
  });

  it('merged as of a date, gives what the lines give, before and after the open line is due', () => {
    const { cells, open, openOrders } = otifCells(lines, () => terms);
    for (const asOf of ['2026-10-08', '2026-10-09']) {
      const partials = [
        ...cells.map((c) => ({ key: [c.month], counts: c.counts, orders: c.orders, lateness: latenessText(c.lateness) })),
        ...open.map((o) => (o.overdueFrom <= asOf
          ? { key: [o.month], counts: { counted: 1, overdueOpen: 1, inFullKnown: 1, vLines: 1, vOrdered: o.orderedQty } }
          : { key: [o.month], counts: { notDue: 1 } })),
        ...openOrders.map((o) => ({ key: [o.month], orders: orderTallyOf(openOrderFlags(o, asOf)) })),
      ];
      const fromCells = otifGroupsOfPartials(partials, { by: ['month'], months: { from: '2026-08', to: '2026-10' } });
      const fromLines = otifGroups(lines, { by: ['month'], asOf, months: { from: '2026-08', to: '2026-10' }, tolerances: terms.tolerances, calendar: cn });
      expect(fromCells).toEqual(fromLines);
      expect(fromCells.map((g) => g.key[0])).toEqual(['2026-08', '2026-09', '2026-10']);
    }
  });

  it('reads stored lateness text as value, count pairs, joined cells included, and refuses text it cannot read', () => {
    const out: number[] = [];
    expect(appendLatenessText(latenessText([[-3, 2], [0, 5], [12, 1]]), out)).toBe(true);
    expect(out).toEqual([-3, 2, 0, 5, 12, 1]);
    // A second cell of the same group (several joined by commas) repeats values: no longer ascending.
    expect(appendLatenessText(',0:1,4:2', out)).toBe(false);
    expect(out).toEqual([-3, 2, 0, 5, 12, 1, 0, 1, 4, 2]);
    expect(() => appendLatenessText('1:x', [])).toThrow(/Unreadable lateness text/);
    expect(() => appendLatenessText('7', [])).toThrow(/Unreadable lateness text/);
  });

  it('merges the lateness of several cells of one group into one distribution', () => {
    const [g] = otifGroupsOfPartials([
      { key: ['T1'], counts: { counted: 3 }, lateness: latenessText([[0, 2], [5, 1]]) },
      { key: ['T1'], counts: { counted: 3 }, lateness: latenessText([[-1, 1], [0, 1], [9, 1]]) },
    ], { by: ['territory'] });
    expect(g!.lateness).toMatchObject({ measured: 6, p50: 0, p90: 9, max: 9 });
    expect(g!.lateness.histogram.reduce((a, b) => a + b, 0)).toBe(6);
  });
});
