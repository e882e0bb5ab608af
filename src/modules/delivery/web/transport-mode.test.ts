import { describe, expect, it } from 'vitest';
import en from './i18n.en.json' with { type: 'json' };
import zh from './i18n.zh-CN.json' with { type: 'json' };
import { distinctModeNames, modeKeyOf, modeKeys } from './transport-mode.js';

describe('transport modes as the source systems write them', () => {
  it('reads the spellings of one mode as that mode, whatever the case, spacing or language', () => {
    expect(['ship', 'Sea', 'OCEAN', ' Ocean freight ', '海运', '水运'].map(modeKeyOf)).toEqual(Array(6).fill('ship'));
    expect(['rail', 'Railway', '铁路'].map(modeKeyOf)).toEqual(['rail', 'rail', 'rail']);
    expect(['road', 'Truck', 'lorry', '公路'].map(modeKeyOf)).toEqual(['road', 'road', 'road', 'road']);
    expect(['Air', 'air freight', '空运'].map(modeKeyOf)).toEqual(['air', 'air', 'air']);
    // SCMS writes "Air Charter"; other systems air-charter or AIR_CHARTER.
    expect(['Air Charter', 'air-charter', 'AIR_CHARTER', '包机'].map(modeKeyOf)).toEqual(Array(4).fill('air_charter'));
  });

  it('reads N/A, a dash and a blank as "no mode given", and leaves a word it does not know alone', () => {
    expect(['N/A', 'n/a', '-', '', '  ', null, undefined].map(modeKeyOf)).toEqual(Array(7).fill(null));
    expect(modeKeyOf('Pipeline')).toBeUndefined();
    expect(modeKeyOf('Ship by sea')).toBeUndefined();
  });

  it('names every known mode in English and Chinese', () => {
    for (const k of modeKeys) {
      expect(en.delivery.modes[k], k).toMatch(/\S/);
      expect(zh.delivery.modes[k], k).toMatch(/\S/);
    }
    expect(zh.delivery.modes.ship).toBe('水运');
    expect(en.delivery.modes.air_charter).toBe('Air charter');
  });

  it('keeps two spellings of one mode apart in a list, by the text each was written with', () => {
    const name = (raw: string | null | undefined) => { const k = modeKeyOf(raw); return k === undefined ? raw!.trim() : k === null ? 'Mode not given' : en.delivery.modes[k]; };
    expect(distinctModeNames(['ship', 'Ocean', 'rail', 'N/A', '', 'Pipeline'], name)).toEqual(['Ship', 'Ship (Ocean)', 'Rail', 'Mode not given (N/A)', 'Mode not given (—)', 'Pipeline']);
    expect(distinctModeNames(['Ocean', 'Truck'], name)).toEqual(['Ship', 'Road']);
  });
});
