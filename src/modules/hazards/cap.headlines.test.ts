import { describe, expect, it } from 'vitest';
import { headlineIn, headlinesOf } from './cap.domain.js';

const info = (language: string, headline: string | undefined, event: string) => ({ language, headline, event });

describe("a warning's headline in the reader's language", () => {
  const alert = { infos: [info('zh-CN', '温岭市台风橙色预警', '台风'), info('en-US', 'Typhoon orange warning for Wenling', 'Typhoon'), info('en-US', 'second English block', 'Typhoon')] };
  const stored = headlinesOf(alert as never);

  it('keeps one headline per language, the first of each', () => {
    expect(stored).toEqual([{ language: 'zh-CN', headline: '温岭市台风橙色预警' }, { language: 'en-US', headline: 'Typhoon orange warning for Wenling' }]);
  });

  it('chooses the English block for an English reader and the Chinese one for a Chinese reader', () => {
    expect(headlineIn(stored, 'en')).toBe('Typhoon orange warning for Wenling');
    expect(headlineIn(stored, 'en-GB')).toBe('Typhoon orange warning for Wenling');
    expect(headlineIn(stored, 'zh-CN')).toBe('温岭市台风橙色预警');
  });

  it('falls back: zh-CN to traditional Chinese, any language to English, else the first sent; nothing when none is stored', () => {
    const tw = headlinesOf({ infos: [info('en', 'Typhoon warning', 'Typhoon'), info('zh-TW', '颱風警報', '颱風')] } as never);
    expect(headlineIn(tw, 'zh-CN')).toBe('颱風警報');
    expect(headlineIn(tw, 'fr')).toBe('Typhoon warning');
    expect(headlineIn(headlinesOf({ infos: [info('ja', undefined, '台風')] } as never), 'en')).toBe('台風');
    expect(headlineIn([], 'en')).toBeNull();
  });
});
