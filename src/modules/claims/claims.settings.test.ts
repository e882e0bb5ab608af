import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../server/config.js';
import { DEFAULT_CLAIM_LEVELS } from './claims.domain.js';
import { loadClaimSettings } from './claims.settings.js';

describe('claims settings', () => {
  it('counts on the service desk\'s working time, with the default levels unless told otherwise', () => {
    const s = loadClaimSettings({ OPENKAM_SERVICE_TIME_ZONE: 'Europe/Berlin', OPENKAM_SERVICE_HOURS: '08:00-16:00', OPENKAM_SERVICE_CALENDAR: 'none' });
    expect(s.calendar).toMatchObject({ timeZone: 'Europe/Berlin', windows: [[480, 960]], holidays: null });
    expect(s.levels).toEqual(DEFAULT_CLAIM_LEVELS);
    expect(loadClaimSettings({ OPENKAM_CLAIM_LEVELS: 'late=2h/8h' }).levels.late).toEqual({ responseMinutes: 120, decisionMinutes: 480 });
  });

  it('refuses a level it cannot read, naming the setting and the part', () => {
    expect(() => loadClaimSettings({ OPENKAM_CLAIM_LEVELS: 'damage=soon' })).toThrow(ConfigError);
    expect(() => loadClaimSettings({ OPENKAM_CLAIM_LEVELS: 'damage=soon' })).toThrow('OPENKAM_CLAIM_LEVELS: "damage=soon" is not kind=response/decision');
  });
});
