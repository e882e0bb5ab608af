import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import table from './data/cities-cn.json' with { type: 'json' };
import { provinceLabel } from './provinces.js';

/**
 * One rule for the names of accounts (and contacts) and of places, on every page:
 * - in English, the English name when there is one, else the name as stored; the stored
 *   (Chinese) name may follow, smaller, where there is room;
 * - in Chinese, the name as stored.
 * Cities are stored as written in China (台州市, 温岭市); their English names come from
 * data/cities-cn.json (GeoNames, built by scripts/cities-cn.ts). An unknown city is shown as stored.
 */
export type Named = { name: string; nameEn?: string | null };
/** How other modules' answers name an account (src/platform/names.contract.ts). */
export type AccountRef = { accountName: string; accountNameEn?: string | null };

const cities: Record<string, string> = table.cities;

export const isEnglish = (lang: string) => lang === 'en' || lang.startsWith('en-');

/** The `{ name, nameEn }` of an `{ accountName, accountNameEn }`. */
export const namesOf = (x: Named | AccountRef): Named =>
  'accountName' in x ? { name: x.accountName, nameEn: x.accountNameEn ?? null } : x;

/** The name to show first: the English name in English when there is one, else the stored name. */
export function displayName(x: Named | AccountRef, lang: string): string {
  const n = namesOf(x);
  return isEnglish(lang) && n.nameEn?.trim() ? n.nameEn : n.name;
}

/** The other name, to show beside the first where there is room: the stored name in English when the English one was shown. */
export function otherName(x: Named | AccountRef, lang: string): string | null {
  const n = namesOf(x);
  return isEnglish(lang) && n.nameEn?.trim() && n.nameEn !== n.name ? n.name : null;
}

/** A stored city name in the reader's language: the English name in English when known, else as stored. */
export function cityLabel(stored: string | null | undefined, lang: string): string {
  const s = stored?.trim();
  if (!s) return '';
  if (!isEnglish(lang)) return s;
  return cities[s] ?? cities[`${s}市`] ?? s;
}

/** Province and city as one label ("Zhejiang · Taizhou"); a municipality is named once ("Shanghai", not "Shanghai · Shanghai"). */
export function placeLabel(province: string | null | undefined, city: string | null | undefined, lang: string, separator = ' · '): string {
  const p = provinceLabel(province ?? null, lang);
  const c = cityLabel(city, lang);
  return (p && c && (p === c || province === city) ? [c] : [p, c]).filter(Boolean).join(separator);
}

/**
 * Interpolation values in the reader's language: a `<name>En` value is the English of `<name>`
 * (contributions send `{ name, nameEn }`), and in English takes its place when given.
 */
export function localNames<T extends Record<string, string | number | null>>(params: T, lang: string): T {
  const out: Record<string, string | number | null> = { ...params };
  for (const [k, v] of Object.entries(params)) {
    const base = k.slice(0, -2);
    if (!k.endsWith('En') || typeof params[base] !== 'string') continue;
    delete out[k];
    if (isEnglish(lang) && typeof v === 'string' && v.trim()) out[base] = v;
  }
  return out as T;
}

/** The rule above in the current language. */
export function useNames() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return useMemo(() => ({
    primary: (x: Named | AccountRef) => displayName(x, lang),
    secondary: (x: Named | AccountRef) => otherName(x, lang),
    city: (stored: string | null | undefined) => cityLabel(stored, lang),
    province: (stored: string | null | undefined) => provinceLabel(stored ?? null, lang),
    place: (province: string | null | undefined, city: string | null | undefined, separator?: string) => placeLabel(province, city, lang, separator),
  }), [lang]);
}
