import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasReferenceData, referencePath } from '../../shared/reference-data.js';
import { computeActiveSet } from './alert-store.domain.js';
import type { CapAlert } from './cap.domain.js';
import { parseCapAlert } from './cap.parse.js';
import { capXml, infoXml, type CapXmlParts } from './fixtures/cap-builder.js';

function alert(parts: CapXmlParts): CapAlert {
  const r = parseCapAlert(capXml(parts));
  if (!r.ok) throw new Error(JSON.stringify(r.reasons));
  return r.alert;
}

function fixture(name: string): CapAlert {
  const r = parseCapAlert(readFileSync(referencePath('hazard', 'cap', 'fixtures', name)));
  if (!r.ok) throw new Error(JSON.stringify(r.reasons));
  return r.alert;
}

const at = (iso: string) => Date.parse(iso);
const ids = (xs: { alert: CapAlert }[]) => xs.map((x) => x.alert.identifier);

describe('active alert set', () => {
  const a = alert({ identifier: 'A', sent: '2019-08-09T08:00:00+08:00', info: infoXml({ expires: '2019-08-10T08:00:00+08:00' }) });
  const u1 = alert({ identifier: 'U1', msgType: 'Update', sent: '2019-08-09T14:00:00+08:00', references: 'test@example.org,A,2019-08-09T08:00:00+08:00', info: infoXml({ expires: '2019-08-10T14:00:00+08:00' }) });
  const u2 = alert({ identifier: 'U2', msgType: 'Update', sent: '2019-08-09T20:00:00+08:00', references: 'test@example.org,U1,2019-08-09T14:00:00+08:00', info: infoXml({ expires: '2019-08-10T20:00:00+08:00' }) });
  const cancel = alert({ identifier: 'C', msgType: 'Cancel', sent: '2019-08-10T02:00:00+08:00', references: 'test@example.org,U2,2019-08-09T20:00:00+08:00', info: null });

  it('follows an Update chain to its latest message', () => {
    const set = computeActiveSet([a, u1, u2, cancel], at('2019-08-09T21:00:00+08:00'));
    expect(ids(set.active)).toEqual(['U2']);
    expect(set.inactive.filter((f) => f.fate === 'superseded').map((f) => [f.alert.identifier, f.fate === 'superseded' && f.by.identifier])).toEqual([
      ['A', 'U1'],
      ['U1', 'U2'],
    ]);
    // The Cancel is not yet known at 21:00.
    expect(set.inactive.find((f) => f.alert.identifier === 'C')?.fate).toBe('not-yet-sent');
  });

  it('removes what a Cancel references, and the Cancel itself carries no warning', () => {
    const set = computeActiveSet([cancel, u2, u1, a], at('2019-08-10T03:00:00+08:00'));
    expect(set.active).toEqual([]);
    expect(set.inactive.find((f) => f.alert.identifier === 'U2')?.fate).toBe('cancelled');
  });

  it('shows the state before an Update was sent', () => {
    expect(ids(computeActiveSet([a, u1, u2], at('2019-08-09T09:00:00+08:00')).active)).toEqual(['A']);
  });

  it('drops an alert once every info has expired', () => {
    expect(ids(computeActiveSet([a], at('2019-08-10T07:59:59+08:00')).active)).toEqual(['A']);
    const later = computeActiveSet([a], at('2019-08-10T08:00:00+08:00'));
    expect(later.active).toEqual([]);
    expect(later.inactive[0]).toMatchObject({ fate: 'expired', expiresMs: at('2019-08-10T08:00:00+08:00') });
  });

  it('gives an alert without expires the default time-to-live, or the one asked for', () => {
    const open = alert({ identifier: 'O', sent: '2019-08-09T08:00:00+08:00' });
    expect(ids(computeActiveSet([open], at('2019-08-10T07:00:00+08:00')).active)).toEqual(['O']);
    expect(computeActiveSet([open], at('2019-08-10T09:00:00+08:00')).active).toEqual([]);
    expect(computeActiveSet([open], at('2019-08-09T11:00:00+08:00'), { defaultTtlMs: 2 * 3600_000 }).active).toEqual([]);
  });

  it('ignores Test and Exercise messages unless asked', () => {
    const test = alert({ identifier: 'T', status: 'Test' });
    const t = at('2019-08-09T13:00:00+08:00');
    expect(computeActiveSet([test], t).active).toEqual([]);
    expect(ids(computeActiveSet([test], t, { statuses: ['Actual', 'Test'] }).active)).toEqual(['T']);
  });

  it('reads a duplicate delivery once', () => {
    const set = computeActiveSet([a, a], at('2019-08-09T09:00:00+08:00'));
    expect(ids(set.active)).toEqual(['A']);
    expect(set.inactive.map((f) => f.fate)).toEqual(['ignored']);
  });
});

describe.skipIf(!hasReferenceData)('active alert set with real messages', () => {
  it('Hurricane Laura supersedes all 8 messages it references', () => {
    const laura = fixture('noaa-hurricane-laura-update-8refs.cap');
    const earlier = laura.references.map((r) => alert({ identifier: r.identifier, sender: r.sender, sent: r.sent.text, info: infoXml({ expires: '2020-08-27T00:00:00-05:00' }) }));
    const set = computeActiveSet([...earlier, laura], at('2020-08-26T05:00:00-05:00'));
    expect(ids(set.active)).toEqual(['NWS-IDP-PROD-4412298-3677414']);
    expect(set.inactive.filter((f) => f.fate === 'superseded')).toHaveLength(8);
    // Laura expires at 12:15 CDT.
    expect(computeActiveSet([...earlier, laura], at('2020-08-26T12:15:00-05:00')).active).toEqual([]);
  });

  it('the IPAWS Cancel removes the alert it references', () => {
    const cancel = fixture('ipaws-cancel-signed.xml');
    const ref = cancel.references[0]!;
    const original = alert({ identifier: ref.identifier, sender: ref.sender, sent: ref.sent.text, info: infoXml({ expires: '2019-04-20T12:00:00-06:00' }) });
    expect(ids(computeActiveSet([original, cancel], at('2019-04-19T11:00:00-06:00')).active)).toEqual([ref.identifier]);
    const after = computeActiveSet([original, cancel], at('2019-04-19T12:00:00-06:00'));
    expect(after.active).toEqual([]);
    expect(after.inactive.find((f) => f.alert === original)?.fate).toBe('cancelled');
  });
});
