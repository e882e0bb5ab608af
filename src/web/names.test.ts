import { describe, expect, it } from 'vitest';
import { demoCities } from '../modules/demo/demo.cities.js';
import table from './data/cities-cn.json' with { type: 'json' };
import { cityLabel, displayName, localNames, otherName, placeLabel } from './names.js';

const hongda = { name: '台州宏达建材有限公司', nameEn: 'Taizhou Hongda Building Materials Co., Ltd.' };

describe('the display-name rule', () => {
  it('shows the English name in English and the stored Chinese name beside it', () => {
    expect(displayName(hongda, 'en')).toBe('Taizhou Hongda Building Materials Co., Ltd.');
    expect(otherName(hongda, 'en')).toBe('台州宏达建材有限公司');
  });

  it('shows the stored name alone in Chinese', () => {
    expect(displayName(hongda, 'zh-CN')).toBe('台州宏达建材有限公司');
    expect(otherName(hongda, 'zh-CN')).toBeNull();
  });

  it('falls back to the stored name in English when there is no English name, with nothing beside it', () => {
    for (const nameEn of [null, undefined, '', '  ']) {
      expect(displayName({ name: '永固水泥', nameEn }, 'en')).toBe('永固水泥');
      expect(otherName({ name: '永固水泥', nameEn }, 'en')).toBeNull();
    }
    expect(otherName({ name: 'Acme', nameEn: 'Acme' }, 'en')).toBeNull();
  });

  it('reads the account names other modules send (accountName, accountNameEn) by the same rule', () => {
    const ref = { accountName: hongda.name, accountNameEn: hongda.nameEn, name: '王伟' };
    expect(displayName(ref, 'en')).toBe(hongda.nameEn);
    expect(displayName(ref, 'zh-CN')).toBe(hongda.name);
    expect(otherName(ref, 'en')).toBe(hongda.name);
  });

  it('puts a <name>En parameter in the place of <name> in English only', () => {
    const params = { name: '王伟', nameEn: 'Wang Wei', date: '2026-12-24', count: 3 };
    expect(localNames(params, 'en')).toEqual({ name: 'Wang Wei', date: '2026-12-24', count: 3 });
    expect(localNames(params, 'zh-CN')).toEqual({ name: '王伟', date: '2026-12-24', count: 3 });
    expect(localNames({ name: '王伟', nameEn: null }, 'en')).toEqual({ name: '王伟' });
    // A parameter that merely ends in "En" without a partner is left alone.
    expect(localNames({ isOpen: 'yes', inAreaEn: 2 }, 'en')).toEqual({ isOpen: 'yes', inAreaEn: 2 });
  });
});

describe('city names', () => {
  it('tells apart the two cities that romanise as Taizhou, and knows county-level cities such as Wenling', () => {
    expect(cityLabel('台州市', 'en')).toBe('Taizhou');
    expect(cityLabel('泰州市', 'en')).toBe('Taizhou');
    expect(cityLabel('温岭市', 'en')).toBe('Wenling');
    expect(cityLabel('温岭', 'en')).toBe('Wenling');
    expect(cityLabel('浦东新区', 'en')).toBe('Pudong');
    expect(cityLabel('哈尔滨市', 'en')).toBe('Harbin');
  });

  it('shows the stored name in Chinese, and in English when the city is unknown', () => {
    expect(cityLabel('台州市', 'zh-CN')).toBe('台州市');
    expect(cityLabel('某某镇', 'en')).toBe('某某镇');
    expect(cityLabel('Hamburg', 'en')).toBe('Hamburg');
    expect(cityLabel(null, 'en')).toBe('');
  });

  it('has an English name for every city of the demo world', () => {
    const unknown = demoCities.filter((c) => !(c.zh in table.cities)).map((c) => c.zh);
    expect(unknown).toEqual([]);
    for (const c of demoCities) expect(cityLabel(c.zh, 'en').replace('’', "'"), c.zh).toBe(c.en.replace('’', "'"));
  });

  it('writes province and city once each, and a municipality once', () => {
    expect(placeLabel('浙江省', '温岭市', 'en')).toBe('Zhejiang · Wenling');
    expect(placeLabel('浙江省', '温岭市', 'zh-CN')).toBe('浙江省 · 温岭市');
    expect(placeLabel('上海市', '上海市', 'en')).toBe('Shanghai');
    expect(placeLabel('上海市', '浦东新区', 'en')).toBe('Shanghai · Pudong');
    expect(placeLabel(null, '台州市', 'en')).toBe('Taizhou');
    expect(placeLabel(null, null, 'en')).toBe('');
  });
});
