import { Drawer, Group, Stack, Text, Timeline } from '@mantine/core';
import { IconArrowRight, IconCalendarPlus, IconClockEdit } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ToneBadge } from './notify.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { type CallPlan, type PlanChange, usePlanHistory } from './use-visits.js';
import { useVisitFormat } from './visits-format.js';
import { useNames } from '../../../web/names.js';

export const changeStatusColor: Record<PlanChange['status'], string> = { applied: 'teal', pending: 'orange', rejected: 'red', superseded: 'gray' };

/** "Tue 09:00, 60 min, every 2 weeks" of a slot as stored in a change's before/after. */
export function SlotText({ slot }: { slot: Record<string, unknown> | null }) {
  const { t } = useTranslation();
  if (!slot) return <>—</>;
  const day = typeof slot.weekday === 'string' ? t(`visits.weekdays.${slot.weekday}`) : '';
  const interval = Number(slot.intervalWeeks ?? 1);
  return (
    <>
      {day} {String(slot.startTime ?? '')}
      {slot.durationMinutes ? ` · ${t('visits.minutes', { count: Number(slot.durationMinutes) })}` : ''}
      {interval > 1 ? ` · ${t('visits.everyWeeks', { count: interval })}` : ''}
    </>
  );
}

/** What changed in a slot: only the fields a person reads (day, time, length, rhythm, route order). */
export function ChangeSummary({ change }: { change: PlanChange }) {
  const { t } = useTranslation();
  if (!change.before) return <Text size="sm"><SlotText slot={change.after} /></Text>;
  const b = change.before;
  const a = change.after;
  const routeOnly = b.weekday === a.weekday && b.startTime === a.startTime && b.routePosition !== a.routePosition;
  return (
    <Group gap={6} wrap="wrap">
      <Text size="sm"><SlotText slot={b} /></Text>
      <IconArrowRight size={14} aria-label={t('visits.history.to')} />
      <Text size="sm" fw={600}><SlotText slot={a} /></Text>
      {routeOnly && <Text size="xs" c="dimmed">{t('visits.history.routePosition', { position: String(a.routePosition ?? '—') })}</Text>}
    </Group>
  );
}

/** A slot's full history: created, every change with its reason, who asked and who decided. */
export function SlotHistoryDrawer({ plan, onClose }: { plan: CallPlan | null; onClose: () => void }) {
  const { t } = useTranslation();
  const n = useNames();
  const f = useVisitFormat();
  const history = usePlanHistory(plan?.id ?? null);
  const items = [...(history.data?.items ?? [])].sort((x, y) => y.requestedAt.localeCompare(x.requestedAt));
  return (
    <Drawer className="ok-visits" closeButtonProps={{ 'aria-label': t('visits.close') }} opened={!!plan} onClose={onClose} position="right" size="md" title={plan ? t('visits.history.title', { account: n.primary(plan) }) : ''}>
      {history.isPending ? <Loading /> : history.isError ? <ErrorState error={history.error} onRetry={() => void history.refetch()} /> : items.length === 0 ? <Empty title={t('visits.history.empty')} /> : (
        <Timeline bulletSize={26} lineWidth={2} data-testid="slot-history">
          {items.map((c) => (
            <Timeline.Item key={c.id} bullet={c.kind === 'create' ? <IconCalendarPlus size={14} /> : <IconClockEdit size={14} />}
              title={<Group gap={6}><Text fw={600} size="sm">{t(`visits.reasons.${c.reason}`)}</Text><ToneBadge size="xs" variant="light" color={changeStatusColor[c.status]}>{t(`visits.changeStatus.${c.status}`)}</ToneBadge></Group>}>
              <Stack gap={2}>
                <ChangeSummary change={c} />
                {c.contactId && <Text size="sm">{t('visits.history.askedBy', { name: c.contactName ? n.primary({ name: c.contactName, nameEn: c.contactNameEn }) : t('visits.history.unknownContact') })}</Text>}
                {c.note && <Text size="sm" c="dimmed">“{c.note}”</Text>}
                <Text size="xs" c="dimmed">{t('visits.history.requested', { name: c.requestedByName, when: f.dateTime(c.requestedAt) })}</Text>
                {c.decidedAt && c.kind === 'change' && c.reason !== 'customer_request'
                  ? <Text size="xs" c="dimmed">{t('visits.history.decided', { when: f.dateTime(c.decidedAt) })}{c.decisionNote ? ` — “${c.decisionNote}”` : ''}</Text> : null}
              </Stack>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Drawer>
  );
}
