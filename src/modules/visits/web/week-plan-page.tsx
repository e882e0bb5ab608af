import { ActionIcon, Box, Button, Card, Group, SegmentedControl, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconArrowsMove, IconHistory, IconLock, IconMap2 } from '@tabler/icons-react';
import { type DragEvent, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ToneBadge } from './notify.js';
import { Link } from 'react-router';
import { useSession } from '../../../web/session.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { CalendarFeedsCard } from './calendar-feeds-card.js';
import { ManagerPicker, useSelectedManager } from './manager-picker.js';
import { MoveSlotDialog, type MoveTarget } from './move-slot-dialog.js';
import { SlotHistoryDrawer } from './slot-history-drawer.js';
import { PlanDialog } from './plan-dialog.js';
import { type CallPlan, useManagers, usePlans, useRoutes, WEEKDAYS, type Weekday } from './use-visits.js';
import { clockOf, minutesOf, useVisitFormat } from './visits-format.js';
import { useNames } from '../../../web/names.js';

/** Height of 15 minutes in the calendar, in pixels. */
const PX_PER_QUARTER = 16;
const SNAP = 15;

const endOf = (p: CallPlan) => clockOf(Math.min(minutesOf(p.startTime) + p.durationMinutes, 24 * 60 - 1));

function SlotActions({ plan, onMove, onHistory }: { plan: CallPlan; onMove: (p: CallPlan) => void; onHistory: (p: CallPlan) => void }) {
  const { t } = useTranslation();
  const n = useNames();
  return (
    <Group gap={2} wrap="nowrap">
      <Tooltip label={t('visits.week.move')}>
        <ActionIcon size="sm" variant="subtle" aria-label={t('visits.week.moveSlot', { account: n.primary(plan) })} onClick={() => onMove(plan)}><IconArrowsMove size={14} /></ActionIcon>
      </Tooltip>
      <Tooltip label={t('visits.week.history')}>
        <ActionIcon size="sm" variant="subtle" aria-label={t('visits.week.historyOf', { account: n.primary(plan) })} onClick={() => onHistory(plan)}><IconHistory size={14} /></ActionIcon>
      </Tooltip>
    </Group>
  );
}

function SlotBadges({ plan, compact = false }: { plan: CallPlan; compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {plan.pendingChanges > 0 && (
        <ToneBadge size="xs" color="orange" variant="light" style={{ flexShrink: 0 }} title={t('visits.week.pending', { count: plan.pendingChanges })}>
          {compact ? t('visits.week.pendingShort') : t('visits.week.pending', { count: plan.pendingChanges })}
        </ToneBadge>
      )}
      {plan.intervalWeeks > 1 && <ToneBadge size="xs" color="gray" variant="light" style={{ flexShrink: 0 }}>{t('visits.everyWeeks', { count: plan.intervalWeeks })}</ToneBadge>}
      {plan.timeFixed && <Tooltip label={t('visits.week.timeFixed')}><IconLock size={12} aria-label={t('visits.week.timeFixed')} /></Tooltip>}
    </>
  );
}

/** The week as columns Monday to Sunday; slots are dragged to another day or time. */
function WeekCalendar({ plans, onMove, onHistory }: { plans: CallPlan[]; onMove: (p: CallPlan, target?: MoveTarget) => void; onHistory: (p: CallPlan) => void }) {
  const { t } = useTranslation();
  const n = useNames();
  const f = useVisitFormat();
  const today = WEEKDAYS[(new Date(`${f.today()}T00:00:00Z`).getUTCDay() + 6) % 7];
  const [dragging, setDragging] = useState<{ id: string; grabMinutes: number } | null>(null);
  const [hover, setHover] = useState<{ day: Weekday; minutes: number } | null>(null);
  const columns = useRef(new Map<Weekday, HTMLDivElement>());
  const startHour = Math.min(7, ...plans.map((p) => Math.floor(minutesOf(p.startTime) / 60)));
  const endHour = Math.max(19, ...plans.map((p) => Math.ceil((minutesOf(p.startTime) + p.durationMinutes) / 60)));
  const hours = Array.from({ length: Math.min(24, endHour) - startHour }, (_, i) => startHour + i);
  const height = hours.length * 4 * PX_PER_QUARTER;
  const top = (minutes: number) => ((minutes - startHour * 60) / 15) * PX_PER_QUARTER;

  /** The start time a drop at this pointer position means, snapped to 15 minutes. */
  const minutesAt = (day: Weekday, clientY: number): number => {
    const el = columns.current.get(day);
    const y = el ? clientY - el.getBoundingClientRect().top : 0;
    const raw = startHour * 60 + (y / PX_PER_QUARTER) * 15 - (dragging?.grabMinutes ?? 0);
    return Math.max(0, Math.min(24 * 60 - SNAP, Math.round(raw / SNAP) * SNAP));
  };
  const onDrop = (day: Weekday, e: DragEvent) => {
    e.preventDefault();
    const id = e.dataTransfer.getData('text/plain') || dragging?.id;
    const plan = plans.find((p) => p.id === id);
    setHover(null);
    setDragging(null);
    if (!plan) return;
    const startTime = clockOf(minutesAt(day, e.clientY));
    if (day === plan.weekday && startTime === plan.startTime) return;
    onMove(plan, { weekday: day, startTime });
  };

  return (
    <Card padding={0} style={{ overflowX: 'auto' }}>
      <Box style={{ display: 'grid', gridTemplateColumns: '56px repeat(7, minmax(120px, 1fr))', minWidth: 900 }} role="region" aria-label={t('visits.week.calendar')}>
          <div className="ok-week-head" />
          {WEEKDAYS.map((d) => <div key={d} className={`ok-week-head${d === today ? ' is-today' : ''}`} aria-hidden="true"><Text fw={d === today ? 700 : 600} size="sm" c={d === today ? 'brand.8' : undefined}>{t(`visits.weekdays.${d}`)}</Text></div>)}
          <div style={{ position: 'relative', height }} aria-hidden="true">
            {hours.map((h) => <Text key={h} size="xs" c="dimmed" className="ok-week-hour" style={{ top: top(h * 60) }}>{clockOf(h * 60)}</Text>)}
          </div>
          {WEEKDAYS.map((d) => {
            const dayPlans = plans.filter((p) => p.weekday === d).sort((a, b) => a.startTime.localeCompare(b.startTime));
            // Overlapping slots share the column side by side.
            const lanes: number[] = [];
            const laneOf = new Map<string, number>();
            for (const p of dayPlans) {
              const s = minutesOf(p.startTime);
              let lane = lanes.findIndex((end) => end <= s);
              if (lane < 0) { lane = lanes.length; lanes.push(0); }
              lanes[lane] = s + p.durationMinutes;
              laneOf.set(p.id, lane);
            }
            return (
              <div
                key={d} role="group" data-testid={`day-column-${d}`} aria-label={t(`visits.weekdays.${d}`)}
                ref={(el) => { if (el) columns.current.set(d, el); else columns.current.delete(d); }}
                className={`ok-week-day${d === today ? ' is-today' : ''}`} style={{ height, backgroundSize: `100% ${4 * PX_PER_QUARTER}px` }}
                onDragOver={(e) => { if (!dragging) return; e.preventDefault(); e.dataTransfer.dropEffect = 'move'; const m = minutesAt(d, e.clientY); if (hover?.day !== d || hover.minutes !== m) setHover({ day: d, minutes: m }); }}
                onDragLeave={(e) => { if (e.currentTarget === e.target) setHover(null); }}
                onDrop={(e) => onDrop(d, e)}
              >
                {hover?.day === d && dragging && (
                  <div className="ok-week-drop" style={{ top: top(hover.minutes), height: Math.max(PX_PER_QUARTER * 2, ((plans.find((p) => p.id === dragging.id)?.durationMinutes ?? 60) / 15) * PX_PER_QUARTER) }}>
                    <Text size="xs" fw={600}>{clockOf(hover.minutes)}</Text>
                  </div>
                )}
                {dayPlans.map((p) => {
                  const lane = laneOf.get(p.id) ?? 0;
                  return (
                    <div
                      key={p.id} role="group" data-testid="slot-card" data-plan-id={p.id} draggable className="ok-slot"
                      aria-label={`${n.primary(p)} · ${t(`visits.weekdays.${p.weekday}`)} ${p.startTime}–${endOf(p)}`}
                      style={{
                        top: top(minutesOf(p.startTime)) + 1, height: Math.max(2 * PX_PER_QUARTER, (p.durationMinutes / 15) * PX_PER_QUARTER) - 2,
                        left: `calc(${(100 / lanes.length) * lane}% + 2px)`, width: `calc(${100 / lanes.length}% - 4px)`, opacity: dragging?.id === p.id ? 0.5 : 1,
                      }}
                      onDragStart={(e) => {
                        e.dataTransfer.setData('text/plain', p.id);
                        e.dataTransfer.effectAllowed = 'move';
                        const rect = e.currentTarget.getBoundingClientRect();
                        setDragging({ id: p.id, grabMinutes: Math.floor(((e.clientY - rect.top) / PX_PER_QUARTER) * 15 / SNAP) * SNAP });
                      }}
                      onDragEnd={() => { setDragging(null); setHover(null); }}
                    >
                      <Group justify="space-between" gap={2} wrap="nowrap" align="flex-start">
                        <Text size="xs" fw={700} className="ok-timeline-time">{p.startTime}–{endOf(p)}</Text>
                        <SlotActions plan={p} onMove={(x) => onMove(x)} onHistory={onHistory} />
                      </Group>
                      <Text size="xs" fw={600} truncate lh={1.3} title={[n.primary(p), n.secondary(p)].filter(Boolean).join(' · ')}>{n.primary(p)}</Text>
                      <Group gap={4} wrap="nowrap">
                        {p.siteName && <Text size="xs" c="dimmed" truncate lh={1.3} style={{ minWidth: 0 }}>{p.siteName}</Text>}
                        <SlotBadges plan={p} compact />
                      </Group>
                    </div>
                  );
                })}
              </div>
            );
          })}
      </Box>
    </Card>
  );
}

/** On a phone: one day at a time, as a list. */
function DayList({ plans, onMove, onHistory }: { plans: CallPlan[]; onMove: (p: CallPlan) => void; onHistory: (p: CallPlan) => void }) {
  const { t } = useTranslation();
  const n = useNames();
  const f = useVisitFormat();
  const todayIndex = (new Date(`${f.today()}T00:00:00Z`).getUTCDay() + 6) % 7;
  const [day, setDay] = useState<Weekday>(WEEKDAYS[todayIndex]!);
  const dayPlans = plans.filter((p) => p.weekday === day).sort((a, b) => a.startTime.localeCompare(b.startTime));
  return (
    <Stack gap="sm">
      <SegmentedControl fullWidth size="xs" value={day} onChange={(v) => setDay(v as Weekday)} aria-label={t('visits.week.day')}
        data={WEEKDAYS.map((d) => ({ value: d, label: t(`visits.weekdaysShort.${d}`) }))} />
      <Title order={2} size="h4">{t(`visits.weekdays.${day}`)}</Title>
      {dayPlans.length === 0 ? <Empty title={t('visits.week.noSlotsDay')} /> : dayPlans.map((p) => {
        return (
          <Card key={p.id} padding="sm" data-testid="slot-card" data-plan-id={p.id}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <div style={{ minWidth: 0 }}>
                <Text fw={700} className="ok-timeline-time">{p.startTime}–{endOf(p)}</Text>
                <Text fw={600}>{n.primary(p)}</Text>
                {p.siteName && <Text size="sm" c="dimmed">{p.siteName}{p.siteAddress ? ` · ${p.siteAddress}` : ''}</Text>}
                <Group gap={4} mt={4}><SlotBadges plan={p} /></Group>
              </div>
              <SlotActions plan={p} onMove={onMove} onHistory={onHistory} />
            </Group>
          </Card>
        );
      })}
    </Stack>
  );
}

export function WeekPlanPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const phone = useMediaQuery('(max-width: 48em)', undefined, { getInitialValueInEffect: false });
  const selection = useSelectedManager();
  const plans = usePlans({ managerId: selection.managerId, status: 'active' }, !!selection.managerId);
  const routes = useRoutes(selection.managerId);
  const items = useMemo(() => plans.data?.items ?? [], [plans.data]);
  const { managers } = useManagers();
  const canPlan = managers.find((m) => m.id === selection.managerId)?.canPlan ?? false;
  const [creating, setCreating] = useState(false);
  const [moving, setMoving] = useState<{ plan: CallPlan; target: MoveTarget | null } | null>(null);
  const [historyOf, setHistoryOf] = useState<CallPlan | null>(null);
  const zones = [...new Set(items.map((p) => p.timeZone))];
  const foreignZone = zones.find((z) => z !== me?.timeZone);

  let body;
  if (selection.loading || (plans.isPending && !!selection.managerId)) body = <Loading />;
  else if (selection.error) body = <ErrorState error={selection.error} />;
  else if (!selection.managerId) body = <Empty title={t('visits.noManagers')} />;
  else if (plans.isError) body = <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />;
  else if (items.length === 0) body = <Empty title={t('visits.week.empty')}>{t('visits.week.emptyHint')}</Empty>;
  else if (phone) body =  <DayList plans={items} onMove={(p) => setMoving({ plan: p, target: null })} onHistory={setHistoryOf} />;
  else body = <WeekCalendar plans={items} onMove={(p, target) => setMoving({ plan: p, target: target ?? null })} onHistory={setHistoryOf} />;

  return (
    <>
      <PageHeader
        title={t('visits.week.title')}
        subtitle={selection.manager ? t('visits.week.subtitle', { name: selection.manager.name, count: items.length }) : undefined}
        actions={
          <Group align="flex-end" gap="sm">
            <ManagerPicker state={selection} />
            {canPlan && <Button onClick={() => setCreating(true)}>{t('visits.plans.new')}</Button>}
            <Button component={Link} variant="default" to={`/visits/plans${selection.managerId && selection.managerId !== me?.id ? `?manager=${selection.managerId}` : ''}`}>{t('visits.plans.manage')}</Button>
          </Group>
        }
      />
      <Stack gap="lg">
        {!phone && items.length > 0 && <Text size="sm" c="dimmed">{t('visits.week.dragHint')}</Text>}
        {foreignZone && <Text size="sm" c="dimmed">{t('visits.week.timeZoneNote', { zone: zones.join(', ') })}</Text>}
        {body}
        {(routes.data?.items.length ?? 0) > 0 && (
          <Card>
            <Title order={2} size="h4" mb="xs">{t('visits.week.routes')}</Title>
            <Group gap="sm">
              {routes.data!.items.map((r) => (
                <Button key={r.id} component={Link} to={`/visits/route?route=${r.id}${selection.managerId && selection.managerId !== me?.id ? `&manager=${selection.managerId}` : ''}`}
                  variant="light" size="xs" leftSection={<IconMap2 size={14} />}>
                  {r.name} · {t(`visits.weekdays.${r.weekday}`)} · {t('visits.week.stops', { count: r.stops.length })}
                </Button>
              ))}
            </Group>
          </Card>
        )}
        <CalendarFeedsCard />
      </Stack>
      <MoveSlotDialog plan={moving?.plan ?? null} target={moving?.target ?? null} routes={routes.data?.items ?? []} onClose={() => setMoving(null)} />
      <SlotHistoryDrawer plan={historyOf} onClose={() => setHistoryOf(null)} />
      {creating && <PlanDialog plan={null} managerId={selection.managerId} onClose={() => setCreating(false)} />}
    </>
  );
}
