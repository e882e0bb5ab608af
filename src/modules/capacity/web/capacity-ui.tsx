/** Small pieces of the priority-delivery page: week labels, the status badge, the bar of a week. */
import { Badge, Progress } from '@mantine/core';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { weekEnd, weekStart } from '../capacity.domain.js';
import type { CapacityOrder, Reservation } from './capacity-api.js';

/** Weeks and their status follow the company's calendar (the server's OPENKAM_SERVICE_TIME_ZONE default). */
const COMPANY_TIME_ZONE = 'Asia/Shanghai';
export const companyToday = (): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: COMPANY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** "W49" and "30 Nov – 6 Dec" (or "11月30日 – 12月6日") for a week key; `label` puts them together. */
export function useWeekLabel() {
  const { t, i18n } = useTranslation();
  const fmt = useMemo(() => ({
    day: new Intl.DateTimeFormat(i18n.language, { month: 'short', day: 'numeric', timeZone: 'UTC' }),
    weekday: new Intl.DateTimeFormat(i18n.language, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }),
  }), [i18n.language]);
  const day = useCallback((ymd: string) => fmt.day.format(new Date(`${ymd}T00:00:00Z`)), [fmt]);
  const short = useCallback((week: string) => t('capacity.week.short', { n: Number(week.slice(-2)) }), [t]);
  const range = useCallback((week: string) => `${day(weekStart(week)!)} – ${day(weekEnd(week))}`, [day]);
  const label = useCallback((week: string) => `${short(week)} · ${range(week)}`, [short, range]);
  const date = useCallback((ymd: string) => fmt.weekday.format(new Date(`${ymd}T00:00:00Z`)), [fmt]);
  return Object.assign(label, { short, range, date });
}

/** A badge keeps its whole text ("Over-subscribed"): its column widens rather than clip it. */
const noClip = { root: { maxWidth: 'none', overflow: 'visible' }, label: { overflow: 'visible' } } as const;

export const statusColor: Record<Reservation['status'], string> = { open: 'blue', full: 'teal', over: 'red', unused: 'orange', past: 'gray' };

export function ReservationBadge({ status }: { status: Reservation['status'] }) {
  const { t } = useTranslation();
  return <Badge color={statusColor[status]} variant={status === 'over' ? 'filled' : 'light'} size="sm" tt="none" styles={noClip} data-testid="reservation-status" data-status={status}>{t(`capacity.status.${status}`)}</Badge>;
}

export const orderColor: Record<CapacityOrder['status'], string> = { placed: 'blue', delivered: 'teal', cancelled: 'gray' };

export function OrderBadge({ status }: { status: CapacityOrder['status'] }) {
  const { t } = useTranslation();
  return <Badge color={orderColor[status]} variant="light" size="sm" tt="none" styles={noClip}>{t(`capacity.orderStatus.${status}`)}</Badge>;
}

/** Ordered against reserved: the ordered share, and what is over the reservation in red. */
export function UsageBar({ r, w }: { r: Pick<Reservation, 'truckloads' | 'ordered' | 'status'>; w?: number | string }) {
  const { t } = useTranslation();
  const scale = Math.max(r.truckloads, r.ordered, 1);
  const within = Math.min(r.ordered, r.truckloads);
  const over = Math.max(0, r.ordered - r.truckloads);
  const color = r.status === 'unused' ? 'orange' : r.status === 'past' ? 'gray' : 'teal';
  return (
    <Progress.Root size="lg" w={w}>
      <Progress.Section value={(within / scale) * 100} color={color} aria-label={t('capacity.grid.barLabel', { ordered: r.ordered, reserved: r.truckloads })} />
      {over > 0 && <Progress.Section value={(over / scale) * 100} color="red" striped aria-label={t('capacity.grid.barOver', { count: over })} />}
    </Progress.Root>
  );
}
