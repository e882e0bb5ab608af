/** Every stable reason code the API can return for a rejected upload has a translation in both languages. */
import { describe, expect, it } from 'vitest';
import { HazardState } from '../advisories.contract.js';
import { CAP_FAULT_CODES } from '../cap.domain.js';
import { ISSUE_CODES } from '../hazards.contract.js';
import en from './i18n.en.json' with { type: 'json' };
import zhCN from './i18n.zh-CN.json' with { type: 'json' };

const locales = { en, 'zh-CN': zhCN } as const;

describe('reason codes of rejected uploads', () => {
  it('covers every CAP fault of the core, plus the track-format code', () => {
    expect([...ISSUE_CODES]).toEqual([...CAP_FAULT_CODES, 'track-format']);
  });

  for (const [locale, strings] of Object.entries(locales)) {
    it(`has a ${locale} text for every code, and no text for a code that does not exist`, () => {
      const texts = strings.hazards.capCodes as Record<string, string>;
      expect(ISSUE_CODES.filter((c) => !texts[c]?.trim())).toEqual([]);
      expect(Object.keys(texts).filter((k) => !(ISSUE_CODES as readonly string[]).includes(k))).toEqual([]);
    });

    it(`has a ${locale} text for every notification kind and hazard state the bell shows`, () => {
      const n = strings.hazards.notifications;
      for (const k of ['advisory_opened', 'advisory_updated', 'advisory_hazard_ended', 'other'] as const) expect(n.kinds[k]).toBeTruthy();
      expect(n.text.advisory_opened.inside).toContain('{{site}}');
      expect(n.text.advisory_opened.buffer).toContain('{{distance}}');
      expect(n.text.advisory_updated).toContain('{{headline}}');
      expect(n.text.advisory_hazard_ended).toContain('{{state}}');
      const states = strings.hazards.advisories.hazardState as Record<string, string>;
      expect(HazardState.options.filter((s) => !states[s])).toEqual([]);
    });
  }
});
