/** Shared pieces of the hazard pages: header with sub-navigation and the notification bell, badges, colours, roles. */
import { ActionIcon, Badge, Button, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconBell, IconChecks } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import type { Role } from '../../../web/api/types.js';
import { useFormat } from '../../../web/format.js';
import { useSession } from '../../../web/session.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { useMarkRead, useNotifications, type Notification } from './hazards-api.js';
import { useNames } from '../../../web/names.js';

/** Roles holding hazard:read / advisory:read (src/server/policy.ts); dealers have none. */
export const hazardRoles: Role[] = ['admin', 'director', 'manager', 'logistics', 'executive'];
/** Roles holding hazard:write and advisory:write. */
export const hazardWriteRoles: Role[] = ['admin', 'director', 'manager', 'logistics'];

export function useCanWrite(): boolean {
  const { me } = useSession();
  return !!me && hazardWriteRoles.includes(me.role);
}

export const severityColor: Record<string, string> = { Extreme: '#c92a2a', Severe: '#e8590c', Moderate: '#e6a700', Minor: '#1c7ed6', Unknown: '#868e96' };
const severityBadge: Record<string, string> = { Extreme: 'red', Severe: 'orange', Moderate: 'yellow', Minor: 'blue', Unknown: 'gray' };
export const exposureColor = { inside: '#e03131', buffer: '#f08c00', safe: '#2f9e44' } as const;
export type Exposure = keyof typeof exposureColor;
export const swathColor: Record<34 | 50 | 64, string> = { 34: '#f59f00', 50: '#e8590c', 64: '#a61e4d' };

const known = (value: string | null | undefined, list: string[]) => (value && list.includes(value) ? value : 'Unknown');

export function SeverityBadge({ severity }: { severity: string | null }) {
  const { t } = useTranslation();
  const s = known(severity, ['Extreme', 'Severe', 'Moderate', 'Minor']);
  // Yellow needs dark text to keep its contrast.
  return <Badge color={severityBadge[s]} variant="filled" radius="sm" size="sm" autoContrast>{t(`hazards.severity.${s}`)}</Badge>;
}

export function UrgencyBadge({ urgency }: { urgency: string | null }) {
  const { t } = useTranslation();
  return <Badge color="grape" variant="light" radius="sm" size="sm">{t(`hazards.urgency.${known(urgency, ['Immediate', 'Expected', 'Future', 'Past'])}`)}</Badge>;
}

export function CertaintyBadge({ certainty }: { certainty: string | null }) {
  const { t } = useTranslation();
  return <Badge color="cyan" variant="light" radius="sm" size="sm">{t(`hazards.certainty.${known(certainty, ['Observed', 'Likely', 'Possible', 'Unlikely'])}`)}</Badge>;
}

export function AlertStateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return <Badge color={state === 'active' ? 'red' : 'gray'} variant={state === 'active' ? 'light' : 'outline'} radius="sm" size="sm">{t(`hazards.alertState.${state}`, { defaultValue: state })}</Badge>;
}

/** A coloured dot and a label, for map legends. */
export function LegendItem({ color, label, shape = 'dot' }: { color: string; label: string; shape?: 'dot' | 'area' | 'line' }) {
  const style = shape === 'dot'
    ? { width: 12, height: 12, borderRadius: 6, background: color, border: '2px solid #fff', boxShadow: '0 0 0 1px #868e96' }
    : shape === 'line' ? { width: 18, height: 0, borderTop: `3px dashed ${color}` }
      : { width: 16, height: 12, background: `${color}55`, border: `2px solid ${color}` };
  return <Group gap={6} wrap="nowrap"><span aria-hidden="true" style={{ display: 'inline-block', flex: 'none', ...style }} /><Text size="xs">{label}</Text></Group>;
}

const sections = [
  { to: '/hazards', key: 'map', exact: true },
  { to: '/hazards/warnings', key: 'warnings' },
  { to: '/advisories', key: 'advisories' },
  { to: '/hazards/insurance', key: 'insurance' },
  { to: '/hazards/replay', key: 'replay' },
] as const;

/** The sub-navigation between the hazard pages (a row of links that scrolls sideways on a phone). */
function HazardsNav() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <ScrollArea type="never" mb="md" offsetScrollbars={false}>
      <Group component="nav" aria-label={t('hazards.nav.sections')} gap={6} wrap="nowrap">
        {sections.map((s) => {
          const active = 'exact' in s ? pathname === s.to : pathname.startsWith(s.to);
          return (
            <Button key={s.to} component={Link} to={s.to} size="xs" radius="xl" variant={active ? 'filled' : 'default'} aria-current={active ? 'page' : undefined} style={{ flex: 'none' }}>
              {t(`hazards.nav.${s.key}`)}
            </Button>
          );
        })}
      </Group>
    </ScrollArea>
  );
}

/** Header of every hazard page: title, actions, the notification bell, then the sub-navigation. */
export function HazardsHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <>
      <PageHeader title={title} subtitle={subtitle} actions={<>{actions}<NotificationBell /></>} />
      <HazardsNav />
    </>
  );
}

/**
 * A notification in the user's language, from its structured form (kind, headline, site,
 * account, hazard state); the server's English title is the fallback for kinds it does not know.
 */
export function notificationText(n: Notification, t: (k: string, o?: Record<string, unknown>) => string, distance: (m: number) => string, account: (m: { accountName: string; accountNameEn?: string | null }) => string = (m) => m.accountName) {
  const kind = t(`hazards.notifications.kinds.${n.kind}`, { defaultValue: t('hazards.notifications.kinds.other') });
  const m = n.message;
  if (!m) return { kind, detail: n.title };
  const vars = { site: m.siteName, account: account(m), headline: m.headline ?? t('hazards.notifications.noHeadline') };
  const detail = m.kind === 'advisory_opened' ? t(`hazards.notifications.text.advisory_opened.${m.inside ? 'inside' : 'buffer'}`, { ...vars, distance: distance(m.distanceM) })
    : m.kind === 'advisory_updated' ? t('hazards.notifications.text.advisory_updated', vars)
      : m.kind === 'advisory_hazard_ended' ? t('hazards.notifications.text.advisory_hazard_ended', { ...vars, state: t(`hazards.advisories.hazardState.${m.hazardState}`) })
        : n.title;
  return { kind, detail };
}

export function NotificationBell() {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const list = useNotifications();
  const mark = useMarkRead();
  const dist = useDistance();
  const names = useNames();
  const unread = list.data?.unread ?? 0;
  const label = t('hazards.notifications.label', { count: unread });
  return (
    <Popover position="bottom-end" width={340} shadow="md" withinPortal>
      <Indicator label={unread > 99 ? '99+' : unread} size={18} disabled={unread === 0} color="red" offset={4}>
        <Popover.Target>
          <ActionIcon variant="default" size="lg" aria-label={label} title={label} data-testid="hazard-bell"><IconBell size={18} /></ActionIcon>
        </Popover.Target>
      </Indicator>
      <Popover.Dropdown p="xs">
        <Group justify="space-between" mb={6}>
          <Text fw={600} size="sm">{t('hazards.notifications.title')}</Text>
          <Button size="compact-xs" variant="subtle" leftSection={<IconChecks size={14} />} disabled={unread === 0} loading={mark.isPending} onClick={() => mark.mutate('all')}>{t('hazards.notifications.markAll')}</Button>
        </Group>
        {list.isPending ? <Text size="sm" c="dimmed">{t('common.loading')}</Text>
          : list.isError ? <Text size="sm" c="red">{t('hazards.notifications.error')}</Text>
            : !list.data.items.length ? <Text size="sm" c="dimmed">{t('hazards.notifications.empty')}</Text> : (
              <ScrollArea.Autosize mah={360}>
                <Stack gap={4}>
                  {list.data.items.map((n) => {
                    const x = notificationText(n, t, dist, names.primary);
                    return (
                      <UnstyledButton key={n.id} p={6} style={{ borderRadius: 6, background: n.readAt ? undefined : 'var(--mantine-color-brand-0)' }}
                        onClick={() => { if (!n.readAt) mark.mutate(n.id); if (n.entity === 'advisory') void navigate(`/advisories?advisory=${n.entityId}`); }}>
                        <Group gap={6} wrap="nowrap" align="flex-start">
                          {!n.readAt && <Badge size="xs" color="red" variant="filled" circle aria-label={t('hazards.notifications.unread')}> </Badge>}
                          <div style={{ minWidth: 0 }}>
                            <Text size="xs" fw={600}>{x.kind}</Text>
                            <Text size="sm" lineClamp={2}>{x.detail}</Text>
                            <Text size="xs" c="dimmed">{f.relative(n.createdAt)}</Text>
                          </div>
                        </Group>
                      </UnstyledButton>
                    );
                  })}
                </Stack>
              </ScrollArea.Autosize>
            )}
      </Popover.Dropdown>
    </Popover>
  );
}

// ---------- time in the user's zone

function offsetMs(ts: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(ts);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(ts / 1000) * 1000;
}

/** "2026-11-28T09:30" as a wall clock in `timeZone` → ISO UTC. */
export function zonedToIso(wall: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(wall);
  if (!m) return null;
  const guess = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  let ts = guess - offsetMs(guess, timeZone);
  const again = guess - offsetMs(ts, timeZone);
  if (again !== ts) ts = again;
  return new Date(ts).toISOString();
}

/** Now (or `iso`) as a wall clock in `timeZone`, for a datetime-local input. */
export function isoToZoned(iso: string | number, timeZone: string): string {
  const ts = typeof iso === 'number' ? iso : new Date(iso).getTime();
  return new Date(ts + offsetMs(ts, timeZone)).toISOString().slice(0, 16);
}

export function useTimeZone(): string {
  const { me } = useSession();
  return me?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Distance in metres as "850 m" / "12.3 km" in the user's locale. */
export function useDistance() {
  const { t } = useTranslation();
  const f = useFormat();
  return (m: number | null) => (m === null ? '—' : m < 1000 ? t('hazards.units.m', { value: f.number(Math.round(m)) }) : t('hazards.units.km', { value: f.number(Math.round(m / 100) / 10) }));
}
