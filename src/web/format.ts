import { useTranslation } from 'react-i18next';
import { useSession } from './session.js';

const minorDigits: Record<string, number> = { JPY: 0, KRW: 0 };

const browserTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The formatters of one language and time zone, built once: Intl objects are costly to make. */
function buildFormat(locale: string, timeZone: string) {
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone });
  const monthDay = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const month = new Intl.DateTimeFormat(locale, { month: 'short', year: '2-digit', timeZone: 'UTC' });
  const rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const num = new Intl.NumberFormat(locale);
  const signedNum = new Intl.NumberFormat(locale, { signDisplay: 'exceptZero' });
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  return {
    locale,
    /** The user's time zone (their profile's, else the browser's): "today" and date inputs are in it. */
    timeZone,
    number: (n: number) => num.format(n),
    /** With its sign: +3.1, −12. */
    signed: (n: number) => signedNum.format(n),
    /** Money from integer minor units, e.g. 123456 CNY → ¥1,234.56. */
    money: (minor: number, currency = 'CNY', compact = false) => {
      const digits = minorDigits[currency] ?? 2;
      const key = `${currency}|${compact}`;
      let fmt = moneyFormats.get(key);
      if (!fmt) moneyFormats.set(key, fmt = new Intl.NumberFormat(locale, { style: 'currency', currency, notation: compact ? 'compact' : 'standard', maximumFractionDigits: compact ? 1 : digits }));
      return fmt.format(minor / 10 ** digits);
    },
    date: (iso: string) => date.format(new Date(iso)),
    dateTime: (iso: string) => dateTime.format(new Date(iso)),
    /** The time of day alone, e.g. 09:30, in the user's time zone. */
    time: (iso: string) => time.format(new Date(iso)),
    /** A calendar date (YYYY-MM-DD) without a time zone shift. */
    monthDay: (ymd: string) => monthDay.format(new Date(`${ymd}T00:00:00Z`)),
    month: (ym: string) => month.format(new Date(`${ym}-01T00:00:00Z`)),
    /** "3 days ago", "in 2 hours" — the largest fitting unit. */
    relative: (iso: string) => {
      const diff = (new Date(iso).getTime() - Date.now()) / 1000;
      const abs = Math.abs(diff);
      if (abs < 60) return rel.format(Math.round(diff), 'second');
      if (abs < 3600) return rel.format(Math.round(diff / 60), 'minute');
      if (abs < 86400) return rel.format(Math.round(diff / 3600), 'hour');
      if (abs < 86400 * 45) return rel.format(Math.round(diff / 86400), 'day');
      if (abs < 86400 * 365) return rel.format(Math.round(diff / (86400 * 30)), 'month');
      return rel.format(Math.round(diff / (86400 * 365)), 'year');
    },
  };
}

const built = new Map<string, ReturnType<typeof buildFormat>>();

/** Formatters for the current language and the user's time zone (data arrives in UTC, money in minor units). */
export function useFormat() {
  const { i18n } = useTranslation();
  const { me } = useSession();
  const locale = i18n.language;
  const timeZone = me?.timeZone ?? browserTimeZone;
  const key = `${locale}|${timeZone}`;
  let f = built.get(key);
  if (!f) built.set(key, f = buildFormat(locale, timeZone));
  return f;
}
