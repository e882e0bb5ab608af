/** Small pieces every services page shows: status, priority and SLA badges, the SLA clock, a service's balance bar. */
import { Badge, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { IconClockExclamation, IconClockHour4, IconClockPause, IconSnowflake } from '@tabler/icons-react';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';
import { isEnglish } from '../../../web/names.js';
import type { Priority, RequestStatus, SlaState } from '../services.domain.js';
import type { ServiceBalance, ServiceKind, ServiceRequest } from './services-api.js';
import { durationKey, slaClock, slaColor, usedShare } from './services-format.js';
import { AMBER_TEXT } from '../../../web/theme.js';

/** Text on Mantine's light orange and yellow: their own darkest shade is still too light for WCAG AA at badge sizes. */
export { AMBER_TEXT } from '../../../web/theme.js';
const amber = (color: string, variant: string) => ((color === 'orange' || color === 'yellow') && variant === 'light' ? { color: AMBER_TEXT } : undefined);

const statusColor: Record<RequestStatus, string> = { open: 'blue', in_progress: 'indigo', waiting_customer: 'yellow', resolved: 'teal', closed: 'gray' };
const priorityColor: Record<Priority, string> = { low: 'gray', normal: 'blue', high: 'orange', urgent: 'red' };

/** A request's status; in the portal from the dealer's side ("Waiting for your reply"). */
export function RequestStatusBadge({ status, size = 'sm', portal = false }: { status: RequestStatus; size?: 'xs' | 'sm' | 'md'; portal?: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge color={statusColor[status]} variant="light" size={size} radius="sm" tt="none" style={{ flexShrink: 0, maxWidth: 'none', ...amber(statusColor[status], 'light') }} data-testid="request-status" data-status={status}>
      {t(portal ? `services.statusPortal.${status}` : `services.status.${status}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority, size = 'sm' }: { priority: Priority; size?: 'xs' | 'sm' | 'md' }) {
  const { t } = useTranslation();
  // Light orange text does not read on its own background (axe, even at shade 9): the high badge takes the amber text.
  const variant = priority === 'urgent' ? 'filled' : 'light';
  return <Badge color={priorityColor[priority]} variant={variant} size={size} radius="sm" tt="none" style={{ flexShrink: 0, maxWidth: 'none', ...amber(priorityColor[priority], variant) }}>{t(`services.priority.${priority}`)}</Badge>;
}

/** A duration of working time in the reader's language: "3 h 20 min", "3 小时 20 分". */
export function useDuration() {
  const { t } = useTranslation();
  return useCallback((minutes: number) => { const d = durationKey(minutes); return t(d.key, d.values); }, [t]);
}

/**
 * The SLA clock of a request: working time left to the resolution target, or how long it is
 * overdue, coloured by its state (ok, warning orange, breached red); a finished request says
 * whether it met its target.
 */
export function SlaClock({ request, size = 'sm' }: { request: Pick<ServiceRequest, 'slaState' | 'workingMinutesLeft' | 'resolutionDueAt' | 'status'>; size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  const f = useFormat();
  const duration = useDuration();
  const c = slaClock(request);
  const color = slaColor[request.slaState];
  // Waiting on the customer, the clock stands still: say so.
  const paused = request.status === 'waiting_customer' && c.kind === 'left';
  const label = paused ? t('services.sla.paused', { time: duration(c.minutes) })
    : c.kind === 'left' ? t('services.sla.left', { time: duration(c.minutes) })
    : c.kind === 'overdue' ? t('services.sla.overdue', { time: duration(c.minutes) })
    : c.kind === 'done' ? t(`services.sla.${c.state}`)
    : '—';
  const Icon = paused ? IconClockPause : request.slaState === 'breached' || request.slaState === 'warning' ? IconClockExclamation : IconClockHour4;
  return (
    <Tooltip label={t('services.sla.dueAt', { when: f.dateTime(request.resolutionDueAt) })} withArrow>
      <Badge color={paused ? 'gray' : color} variant={request.slaState === 'breached' && !paused ? 'filled' : 'light'} size={size} radius="sm" tt="none" leftSection={<Icon size={12} aria-hidden />}
        style={{ maxWidth: 'none', flexShrink: 0, ...(paused ? {} : amber(color, 'light')) }} data-testid="sla-clock" data-sla={request.slaState}>
        {label}
      </Badge>
    </Tooltip>
  );
}

export function SlaStateBadge({ state }: { state: SlaState }) {
  const { t } = useTranslation();
  return <Badge color={slaColor[state]} variant="light" size="sm" radius="sm" tt="none">{t(`services.slaState.${state}`)}</Badge>;
}

/** A service kind's (or balance's) name in the reader's language. */
export function useKindName() {
  const { i18n } = useTranslation();
  const en = isEnglish(i18n.language);
  return useCallback((k: Pick<ServiceKind, 'name' | 'nameEn'> | undefined | null): string => (k ? (en && k.nameEn.trim() ? k.nameEn : k.name) : '—'), [en]);
}

/** How a number of units reads: "3 delivery slots", "3 次培训". */
export function useUnits() {
  const { t } = useTranslation();
  return useCallback((count: number, unit: ServiceKind['unit']) => t(`services.units.${unit}`, { count }), [t]);
}

/**
 * One service's balance in the current period: a used / remaining bar over the allowance (this
 * period's base plus what was carried over from the last), the period, and "out of season" when
 * the entitlement grants nothing today.
 */
export function BalanceBar({ b }: { b: ServiceBalance }) {
  const { t } = useTranslation();
  const f = useFormat();
  const kindName = useKindName();
  const units = useUnits();
  const share = usedShare(b.used, b.allowance);
  const over = b.used > b.allowance;
  // Used up is to know (orange); used beyond the allowance is to act on (red).
  const color = !b.inSeason ? 'gray' : over ? 'red' : b.remaining <= 0 || share >= 0.8 ? 'orange' : 'teal';
  return (
    <Stack gap={4} data-testid="service-balance" data-kind={b.code}>
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>{kindName(b)}</Text>
        {b.inSeason ? (
          <Text size="sm" className="ok-stat">
            {t('services.balance.usedOf', { used: f.number(b.used), allowance: f.number(b.allowance) })}
            <Text span size="sm" c={b.remaining > 0 ? 'dimmed' : 'red.9'} fw={b.remaining > 0 ? 400 : 600}> · {t('services.balance.remaining', { count: b.remaining, n: f.number(Math.max(0, b.remaining)) })}</Text>
          </Text>
        ) : (
          <Badge color="gray" variant="light" size="sm" tt="none" leftSection={<IconSnowflake size={12} aria-hidden />} data-testid="out-of-season">{t('services.balance.outOfSeason')}</Badge>
        )}
      </Group>
      <Progress.Root size="lg" radius="sm">
        {/* The section is the progressbar (the root is a plain box): the name belongs on it. */}
        <Progress.Section value={share * 100} color={color} aria-label={t('services.balance.barLabel', { name: kindName(b), used: b.used, allowance: b.allowance })} />
      </Progress.Root>
      <Text size="xs" c="dimmed">
        {t(`services.period.${b.period}`, { from: f.monthDay(b.periodFrom), to: f.monthDay(b.periodTo) })}
        {' · '}{b.inSeason ? t('services.balance.base', { base: units(b.base, b.unit) }) : t('services.balance.outOfSeasonHint')}
        {b.carried > 0 && <> · {t('services.balance.carried', { n: f.number(b.carried) })}</>}
        {b.consumedOn === 'delivery' && <> · {t('services.balance.onDelivery')}</>}
      </Text>
    </Stack>
  );
}
