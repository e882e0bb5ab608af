/**
 * Shared pieces of the hazard pages: header with sub-navigation and the notification bell, badges
 * (insurance, three-valued, the same on every page), the exposure factor explained, money that may
 * be unknown, paging, colours, roles.
 */
import { ActionIcon, Badge, Button, Group, Indicator, Pagination, Popover, ScrollArea, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconBell, IconChecks, IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import type { Role } from '../../../web/api/types.js';
import { useFormat } from '../../../web/format.js';
import { useSession } from '../../../web/session.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { useMarkRead, useNotifications, type InsuranceGap, type Notification, type SiteRisk } from './hazards-api.js';
import { useNames } from '../../../web/names.js';
import { hazardWriteRoles } from './hazards-roles.js';
export { hazardRoles, hazardWriteRoles } from './hazards-roles.js';


export function useCanWrite(): boolean {
  const { me } = useSession();
  return !!me && hazardWriteRoles.includes(me.role);
}

export const severityColor: Record<string, string> = { Extreme: '#c92a2a', Severe: '#e8590c', Moderate: '#e6a700', Minor: '#1c7ed6', Unknown: '#868e96' };
// Shades dark enough for white text (WCAG AA); yellow keeps dark text through autoContrast.
const severityBadge: Record<string, string> = { Extreme: 'red.8', Severe: 'orange.9', Moderate: 'yellow', Minor: 'blue.8', Unknown: 'gray.7' };
export const exposureColor = { inside: '#e03131', buffer: '#f08c00', safe: '#2f9e44' } as const;
export type Exposure = keyof typeof exposureColor;
export const swathColor: Record<34 | 50 | 64, string> = { 34: '#f59f00', 50: '#e8590c', 64: '#a61e4d' };

const known = (value: string | null | undefined, list: string[]) => (value && list.includes(value) ? value : 'Unknown');

export function SeverityBadge({ severity }: { severity: string | null }) {
  const { t } = useTranslation();
  const s = known(severity, ['Extreme', 'Severe', 'Moderate', 'Minor']);
  // Yellow needs dark text to keep its contrast.
  return <Badge color={severityBadge[s]} c={s === 'Moderate' ? 'dark.9' : 'white'} variant="filled" radius="sm" size="sm">{t(`hazards.severity.${s}`)}</Badge>;
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

// ---------- figures that may be unknown

type MoneyValue = { amountMinor: number; currency: string } | null;

/**
 * Money that may not be recorded: the amount, or "Not recorded". A stock value nobody entered is
 * unknown, never ¥0.
 */
export function useMoneyOrUnknown() {
  const { t } = useTranslation();
  const f = useFormat();
  return (m: MoneyValue, compact = false) => (m ? f.money(m.amountMinor, m.currency, compact) : t('hazards.common.notRecorded'));
}

/** A money cell: the amount, or "Not recorded" in grey. */
export function MoneyCell({ value, testId }: { value: MoneyValue; testId?: string }) {
  const text = useMoneyOrUnknown();
  return value ? <span data-testid={testId}>{text(value)}</span> : <Text span size="xs" c="dimmed" data-testid={testId} data-unknown="true">{text(value)}</Text>;
}

const insuranceColor: Record<SiteRisk['insurance']['state'], string> = { insured: 'teal', 'not-insured': 'red', unknown: 'gray' };

/**
 * A site's insurance, three values, the same on every page: Insured · Not insured (with "refused"
 * and the reason when it was refused) · Unknown (nobody recorded it).
 */
export function InsuranceBadge({ insurance, detail = false }: { insurance: SiteRisk['insurance']; detail?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Badge size="sm" variant="light" color={insuranceColor[insurance.state]} data-testid="insurance-state" data-state={insurance.state}>{t(`hazards.risk.insuranceState.${insurance.state}`)}</Badge>
      {detail && insurance.status === 'refused' && <Text size="xs" c="dimmed">{t('hazards.risk.refusedBecause', { reason: insurance.refusedReason ?? t('hazards.common.notRecorded') })}</Text>}
    </>
  );
}

/**
 * The exposure factor of a gap, with what it is made of in a tooltip (hover, focus or tap): the
 * coast weight (1 at 20 km or more from the sea, rising to 2 on the coastline) times the flood
 * weight (1.5 when flood-prone).
 */
export function ExposureFactor({ gap }: { gap: Pick<InsuranceGap, 'exposureFactor' | 'exposure' | 'site'> }) {
  const { t } = useTranslation();
  const f = useFormat();
  const dist = useDistance();
  const x = (v: number) => `×${f.number(Math.round(v * 100) / 100)}`;
  const coast = gap.site.coastDistanceM === null
    ? t('hazards.insurance.exposureCoastUnknown', { coast: x(gap.exposure.coast) })
    : t('hazards.insurance.exposureCoast', { coast: x(gap.exposure.coast), distance: dist(gap.site.coastDistanceM), within: dist(gap.exposure.coastalWithinM) });
  const flood = t(gap.site.floodProne ? 'hazards.insurance.exposureFlood' : 'hazards.insurance.exposureNoFlood', { flood: x(gap.exposure.flood) });
  const label = t('hazards.insurance.exposureRow', { factor: x(gap.exposureFactor), coast, flood });
  return (
    <Tooltip label={label} multiline w={280} withArrow events={{ hover: true, focus: true, touch: true }}>
      <Text span size="sm" tabIndex={0} aria-label={label} style={{ textDecoration: 'underline dotted', cursor: 'help', whiteSpace: 'nowrap' }} data-testid="exposure-factor">{x(gap.exposureFactor)}</Text>
    </Tooltip>
  );
}

/** What the exposure factor is, in a sentence, for the top of a list that shows it. */
export function ExposureLegend() {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap" align="flex-start" data-testid="exposure-legend">
      <IconInfoCircle size={16} style={{ flex: 'none', marginTop: 2 }} aria-hidden />
      <Text size="xs" c="dimmed">{t('hazards.insurance.exposureHelp')}</Text>
    </Group>
  );
}

// ---------- paging

/**
 * One page of a list, the page number kept in the address (`?<key>=3`) so it survives a reload
 * and the back button; out-of-range pages fall back to the last one.
 */
export function usePage(total: number, size: number, key = 'page') {
  const [params, setParams] = useSearchParams();
  const pages = Math.max(1, Math.ceil(total / size));
  const asked = Number(params.get(key) ?? '1');
  const page = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, pages) : 1;
  const setPage = (p: number) => {
    const next = new URLSearchParams(params);
    if (p <= 1) next.delete(key); else next.set(key, String(p));
    setParams(next, { replace: true });
  };
  return { page, pages, size, from: (page - 1) * size, setPage };
}

/** The rows of `items` on the current page. */
export function usePaged<T>(items: readonly T[], size: number, key = 'page') {
  const p = usePage(items.length, size, key);
  const rows = useMemo(() => items.slice(p.from, p.from + size), [items, p.from, size]);
  return { ...p, rows, total: items.length };
}

/**
 * Page numbers under a list, with "21–40 of 84"; nothing when everything fits on one page. Going
 * to another page scrolls back to the top of the list (`anchor`).
 */
export function Pager({ page, pages, size, total, setPage, anchor, testId = 'pager' }: { page: number; pages: number; size: number; total: number; setPage: (p: number) => void; anchor?: string; testId?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) { first.current = false; return; }
    if (anchor) document.getElementById(anchor)?.scrollIntoView({ block: 'start' });
  }, [page, anchor]);
  if (pages <= 1) return null;
  const from = (page - 1) * size + 1, to = Math.min(total, page * size);
  return (
    <Group justify="space-between" mt="sm" gap="xs" data-testid={testId}>
      <Text size="xs" c="dimmed">{t('hazards.common.range', { from: f.number(from), to: f.number(to), total: f.number(total) })}</Text>
      <Pagination size="sm" total={pages} value={page} onChange={setPage} siblings={1} boundaries={1}
        getItemProps={(p) => ({ 'aria-label': t('hazards.common.page', { page: p }) })}
        getControlProps={(c) => ({ 'aria-label': t(`hazards.common.${c}Page`) })} />
    </Group>
  );
}
