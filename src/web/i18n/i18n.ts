import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { sessionHint } from '../api/client.js';
import type { Locale } from '../api/types.js';

export const locales: readonly Locale[] = ['en', 'zh-CN'];
const LOCALE_KEY = 'openkam.locale';

/** The language before sign-in: the last one chosen in this browser, else the browser's own. */
export function initialLocale(): Locale {
  const saved = localStorage.getItem(LOCALE_KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

// Each language's strings are a chunk of their own, fetched when the language is first shown: a
// reader of one language does not download the other's (about a tenth of the first load).
const bundles: Record<Locale, () => Promise<{ default: Record<string, unknown> }>> = {
  en: () => import('./strings-en.js'),
  'zh-CN': () => import('./strings-zh-CN.js'),
};

async function loadStrings(locale: Locale): Promise<void> {
  if (i18n.hasResourceBundle(locale, 'translation')) return;
  i18n.addResourceBundle(locale, 'translation', (await bundles[locale]()).default);
}

/** Switches the interface language and remembers it in this browser. */
export async function applyLocale(locale: Locale): Promise<void> {
  localStorage.setItem(LOCALE_KEY, locale);
  document.documentElement.lang = locale;
  await loadStrings(locale);
  if (i18n.language !== locale) await i18n.changeLanguage(locale);
}

/**
 * The first language: the one chosen in this browser; on a browser that has none yet but holds a
 * session (a new device after sign-in elsewhere), the user's own, asked of the server, so that
 * only one language's strings are fetched; else the browser's.
 */
async function firstLocale(): Promise<Locale> {
  const saved = localStorage.getItem(LOCALE_KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  if (sessionHint.get()) {
    try {
      const res = await fetch('/api/v1/auth/me', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      const locale = res.ok ? ((await res.json()) as { locale?: unknown }).locale : undefined;
      if (locale === 'en' || locale === 'zh-CN') return locale;
    } catch {
      // Offline or the server away: the browser's language, and the session says the rest.
    }
  }
  return initialLocale();
}

/** Resolves once the first language's strings are in: the app renders after it, so no key shows as text. */
export const i18nReady: Promise<void> = (async () => {
  const lng = await firstLocale();
  await i18n.use(initReactI18next).init({ resources: {}, lng, fallbackLng: false, interpolation: { escapeValue: false }, returnNull: false });
  await loadStrings(lng);
  document.documentElement.lang = lng;
})();

export { i18n };
