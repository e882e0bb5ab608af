import { describe, expect, it } from 'vitest';
import { localToUtc, utcToLocal } from './time.js';

describe('time zone conversion for forms', () => {
  it('turns a Shanghai wall-clock time into UTC and back', () => {
    expect(localToUtc('2025-03-10T09:30', 'Asia/Shanghai')).toBe('2025-03-10T01:30:00Z');
    expect(utcToLocal('2025-03-10T01:30:00Z', 'Asia/Shanghai')).toBe('2025-03-10T09:30');
  });

  it('crosses midnight and handles daylight saving', () => {
    expect(localToUtc('2025-03-10T06:00', 'Asia/Shanghai')).toBe('2025-03-09T22:00:00Z');
    expect(localToUtc('2025-07-01T12:00', 'Europe/Berlin')).toBe('2025-07-01T10:00:00Z');
    expect(localToUtc('2025-01-15T12:00', 'Europe/Berlin')).toBe('2025-01-15T11:00:00Z');
    expect(utcToLocal('2025-07-01T10:00:00Z', 'Europe/Berlin')).toBe('2025-07-01T12:00');
  });

  it('refuses text that is not a date and time', () => {
    expect(localToUtc('', 'Asia/Shanghai')).toBeNull();
    expect(localToUtc('2025-03-10', 'Asia/Shanghai')).toBeNull();
  });
});
