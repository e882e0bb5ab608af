import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json' with { type: 'json' };
import zhCN from './zh-CN.json' with { type: 'json' };
import type { Locale } from '../api/types.js';

export const locales: readonly Locale[] = ['en', 'zh-CN'];
const LOCALE_KEY = 'openkam.locale';

/** The language before sign-in: the last one chosen in this browser, else the browser's own. */
export function initialLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Switches the interface language and remembers it in this browser. */
export async function applyLocale(locale: Locale): Promise<void> {
  localStorage.setItem(LOCALE_KEY, locale);
  document.documentElement.lang = locale;
  if (i18n.language !== locale) await i18n.changeLanguage(locale);
}

// Feature modules keep their strings beside their pages: src/modules/<feature>/web/i18n.<locale>.json,
// each under its own top-level key (the feature's name).
const moduleStrings = import.meta.glob<Record<string, unknown>>('../../modules/*/web/i18n.*.json', { eager: true, import: 'default' });
const withModules = (base: Record<string, unknown>, locale: Locale): Record<string, unknown> =>
  Object.entries(moduleStrings).filter(([file]) => file.endsWith(`/i18n.${locale}.json`)).reduce((acc, [, strings]) => ({ ...acc, ...strings }), { ...base });

void i18n.use(initReactI18next).init({
  resources: { en: { translation: withModules(en, 'en') }, 'zh-CN': { translation: withModules(zhCN, 'zh-CN') } },
  lng: initialLocale(),
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18n.language;

export { i18n };
