import { describe, expect, it } from 'vitest';
import { isCurrentTrack, orderTracks, splitAtNow } from './track-now.js';

const now = Date.parse('2026-12-02T00:00:00Z');
const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const track = (id: string, fromH: number, toH: number) => ({ id, firstFixAt: iso(now + fromH * H), lastFixAt: iso(now + toH * H) });

describe('the storm now', () => {
  it('counts a storm as current from its first fix until a day after its last', () => {
    expect(isCurrentTrack(track('a', -72, 36), now)).toBe(true);
    expect(isCurrentTrack(track('b', -120, -20), now)).toBe(true);
    expect(isCurrentTrack(track('c', -24 * 365 * 7, -24 * 365 * 7 + 200), now)).toBe(false);
    expect(isCurrentTrack(track('d', 48, 96), now)).toBe(false);
    expect(isCurrentTrack({ firstFixAt: null, lastFixAt: null }, now)).toBe(false);
  });

  it('opens on the current storm and keeps the old ones choosable, newest first', () => {
    const lekima2019 = track('lekima-2019', -24 * 365 * 7, -24 * 365 * 7 + 200);
    const older = track('older', -24 * 365 * 9, -24 * 365 * 9 + 100);
    const replay = track('replay', -72, 36);
    const { current, past } = orderTracks([older, lekima2019, replay], now);
    expect(current.map((x) => x.id)).toEqual(['replay']);
    expect(past.map((x) => x.id)).toEqual(['lekima-2019', 'older']);
  });

  it('splits a track at now, through the position between the two fixes around it', () => {
    const fixes = [
      { time: iso(now - 12 * H), lat: 20, lng: 130 },
      { time: iso(now - 6 * H), lat: 22, lng: 128 },
      { time: iso(now + 6 * H), lat: 26, lng: 124 },
      { time: iso(now + 18 * H), lat: 28.4, lng: 121.4 },
    ];
    const s = splitAtNow(fixes, now);
    expect(s.now).toEqual({ lat: 24, lng: 126 });
    expect(s.past).toEqual([{ lat: 20, lng: 130 }, { lat: 22, lng: 128 }, { lat: 24, lng: 126 }]);
    expect(s.future).toEqual([{ lat: 24, lng: 126 }, { lat: 26, lng: 124 }, { lat: 28.4, lng: 121.4 }]);
    expect(splitAtNow(fixes, now + 48 * H)).toMatchObject({ now: null, future: [] });
    expect(splitAtNow(fixes, now - 48 * H)).toMatchObject({ now: null, past: [] });
  });
});
