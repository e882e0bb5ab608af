import { describe, expect, it } from 'vitest';
import { loadCompetitionSettings } from './competition.settings.js';

describe('competition settings', () => {
  it('alerts above 5 % unless told otherwise', () => {
    expect(loadCompetitionSettings({})).toEqual({ undercutAlertPercent: 5, undercutAlertBp: 500 });
  });
  it('takes a share in percent, decimals included', () => {
    expect(loadCompetitionSettings({ OPENKAM_UNDERCUT_ALERT_PERCENT: '2.5' })).toEqual({ undercutAlertPercent: 2.5, undercutAlertBp: 250 });
  });
  it('refuses a share outside 0–100 at start-up, naming the setting', () => {
    expect(() => loadCompetitionSettings({ OPENKAM_UNDERCUT_ALERT_PERCENT: '150' })).toThrow(/OPENKAM_UNDERCUT_ALERT_PERCENT/);
    expect(() => loadCompetitionSettings({ OPENKAM_UNDERCUT_ALERT_PERCENT: 'five' })).toThrow(/OPENKAM_UNDERCUT_ALERT_PERCENT/);
  });
});
