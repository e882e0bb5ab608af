import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../server/config.js';
import { loadHazardSettings } from './hazards.settings.js';

describe('hazard settings', () => {
  it('reads the feed allow-list, empty by default', () => {
    expect(loadHazardSettings({}).feedAllowList.allowsAddress('127.0.0.1', 80)).toBe(false);
    const s = loadHazardSettings({ OPENKAM_FEED_ALLOW_HOSTS: 'cap.intranet.example, 10.20.0.0/16' });
    expect(s.feedAllowList.allowsHost('cap.intranet.example', 443)).toBe(true);
    expect(s.feedAllowList.allowsAddress('10.20.1.2', 80)).toBe(true);
  });

  it('stops at a bad allow-list entry, naming the variable and the entry', () => {
    const load = () => loadHazardSettings({ OPENKAM_FEED_ALLOW_HOSTS: 'cap.intranet.example, 10.0.0.0/33' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/OPENKAM_FEED_ALLOW_HOSTS=.*"10\.0\.0\.0\/33"/);
  });
});
