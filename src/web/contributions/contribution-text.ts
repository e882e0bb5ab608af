import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Params } from '../../platform/contributions.contract.js';
import { useFormat } from '../format.js';
import { localNames } from '../names.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * Translates a contribution's key with its parameters, formatted for the reader first: an instant
 * becomes a date and time (and `<name>Time` the time alone, `<name>Date` the date alone), `<name>Minor` with a `currency`
 * becomes money under `<name>` (and `<name>Compact`, e.g. ¥1.2M), and a number is also written the reader's way (`<name>Text`) and
 * with its sign (`<name>Signed`). A `<name>En` is the English of `<name>` (an account's or a
 * contact's English name), shown in its place in English (names.ts).
 */
export function useContributionText() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const lang = i18n.language;
  return useCallback((key: string, given: Params = {}) => {
    const out: Record<string, string | number> = {};
    const params = localNames(given, lang);
    const currency = typeof params.currency === 'string' ? params.currency : 'CNY';
    for (const [k, v] of Object.entries(params)) {
      if (v === null) { out[k] = '—'; continue; }
      if (typeof v === 'string' && INSTANT.test(v)) { out[k] = f.dateTime(v); out[`${k}Time`] = f.time(v); out[`${k}Date`] = f.date(v); continue; }
      if (typeof v === 'number' && k.endsWith('Minor')) { out[k.slice(0, -5)] = f.money(v, currency); out[`${k.slice(0, -5)}Compact`] = f.money(v, currency, true); continue; }
      if (typeof v === 'number') { out[k] = v; out[`${k}Text`] = f.number(v); out[`${k}Signed`] = f.signed(v); continue; }
      out[k] = v;
    }
    // `count` drives i18next's plural forms and must stay a number.
    return t(key, { ...out, defaultValue: key });
  }, [t, f, lang]);
}
