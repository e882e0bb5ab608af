import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';
import { useSession } from '../../../web/session.js';
import { localDateOf } from '../../../shared/time.js';

/** Minutes since midnight of "HH:MM". */
export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
/** "HH:MM" of minutes since midnight (within the day). */
export const clockOf = (m: number): string => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Formatting for the visit program: instants in the user's time zone, slot times as wall-clock text. */
export function useVisitFormat() {
  const f = useFormat();
  const { i18n, t } = useTranslation();
  const { me } = useSession();
  const timeZone = me?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const locale = i18n.language;
  return useMemo(() => {
    const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
    const weekdayDate = new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', timeZone });
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
    const distance = (m: number) => (m < 1000 ? t('visits.metres', { value: f.number(Math.round(m)) }) : t('visits.kilometres', { value: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(m / 1000) }));
    return {
      ...f,
      timeZone,
      /** "09:30" of an instant, in the user's time zone. */
      time: (iso: string) => time.format(new Date(iso)),
      /** "Fri, Nov 27" of an instant, in the user's time zone. */
      weekdayDate: (iso: string) => weekdayDate.format(new Date(iso)),
      /** Today's date (YYYY-MM-DD) in the user's time zone. */
      today: () => localDateOf(new Date(), timeZone),
      percent: (r: number | null) => (r === null ? '—' : percent.format(r)),
      distance,
    };
  }, [f, locale, timeZone, t]);
}
