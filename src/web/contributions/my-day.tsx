import { Anchor, Badge, Button, Card, Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconCalendarDue, IconChecklist, IconClockHour4, IconMapPin, IconPuzzle, IconRoute2 } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AgendaItem } from '../../platform/contributions.contract.js';
import { api } from '../api/client.js';
import { useFormat } from '../format.js';
import { useNames } from '../names.js';
import { Empty, ErrorState, Loading } from '../ui/states.js';
import { useContributionText } from './contribution-text.js';
import { statusColor } from './fact-card.js';

type Agenda = { date: string; items: AgendaItem[]; unavailable: string[] };

const kindIcon: Record<string, ComponentType<{ size?: number }>> = {
  visit: IconMapPin, advisory: IconAlertTriangle, task: IconChecklist, approval: IconChecklist, 'slot-change': IconRoute2, 'key-date': IconCalendarDue,
};
const sections = ['now', 'today', 'waiting', 'soon'] as const;

function AgendaRow({ item }: { item: AgendaItem }) {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const text = useContributionText();
  const Icon = kindIcon[item.kind] ?? IconPuzzle;
  const flagged = item.flags.some((fl) => fl.status === 'act');
  return (
    <Group wrap="nowrap" align="flex-start" gap="sm" py={8} data-testid="agenda-item" data-kind={item.kind} data-flagged={item.flags.length > 0 || undefined}>
      <ThemeIcon variant="light" color={flagged ? 'red' : item.urgency === 'now' ? 'orange' : 'brand'} size={34} radius="md" aria-hidden="true">
        {item.order !== undefined ? <Text fw={700} size="sm">{item.order}</Text> : <Icon size={18} />}
      </ThemeIcon>
      <div style={{ minWidth: 0, flex: 1 }}>
        <Group gap={6} wrap="wrap">
          {item.at && item.kind === 'visit' && <Text size="sm" fw={700} className="ok-stat"><IconClockHour4 size={13} style={{ verticalAlign: -2 }} /> {f.time(item.at)}</Text>}
          <Anchor component={Link} to={item.link.to ?? '/'} fw={600} size="sm">{text(item.titleKey, item.params)}</Anchor>
        </Group>
        {item.account && (
          <Anchor component={Link} to={`/accounts/${item.account.id}`} size="xs" c="dimmed" display="block" truncate>
            <span className="ok-code">{item.account.code}</span> · {n.primary(item.account)}
          </Anchor>
        )}
        {item.flags.length > 0 && (
          <Group gap={4} mt={4}>
            {item.flags.map((fl, i) => (
              <Badge key={i} color={statusColor[fl.status]} variant="light" size="sm" tt="none" leftSection={<IconAlertTriangle size={12} />} data-testid="agenda-flag">
                {text(fl.labelKey, fl.params)}
              </Badge>
            ))}
          </Group>
        )}
      </div>
      {item.link.to && <Button component={Link} to={item.link.to} size="compact-xs" variant="subtle" style={{ flexShrink: 0 }}>{t(`agenda.do.${item.kind}`, { defaultValue: t('agenda.open') })}</Button>}
    </Group>
  );
}

/** My day: every module's items for today, most urgent first, each with a link to where it is done. */
export function MyDay() {
  const { t } = useTranslation();
  const f = useFormat();
  const day = useQuery({ queryKey: ['my-day'], queryFn: () => api<Agenda>('/home/day') });
  return (
    <Card data-testid="my-day">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">{t('agenda.title')}</Title>
        {day.data && <Text size="sm" c="dimmed">{f.date(day.data.date)}</Text>}
      </Group>
      {day.isPending && <Loading />}
      {day.isError && <ErrorState error={day.error} onRetry={() => void day.refetch()} />}
      {day.data && day.data.items.length === 0 && <Empty title={t('agenda.empty')}>{t('agenda.emptyBody')}</Empty>}
      {day.data && day.data.unavailable.length > 0 && <Text size="sm" c="orange.8">{t('timeline.unavailable', { modules: day.data.unavailable.join(', ') })}</Text>}
      {day.data && (
        <Stack gap="md">
          {sections.map((s) => {
            const items = day.data.items.filter((i) => i.urgency === s);
            if (!items.length) return null;
            return (
              <section key={s} aria-labelledby={`agenda-${s}`}>
                <Group gap={6}>
                  <Text id={`agenda-${s}`} size="xs" tt="uppercase" fw={700} c={s === 'now' ? 'red.8' : 'dimmed'}>{t(`agenda.sections.${s}`)}</Text>
                  <Badge size="xs" variant="light" color={s === 'now' ? 'red' : 'gray'}>{items.length}</Badge>
                </Group>
                <Stack gap={0}>{items.map((i) => <AgendaRow key={i.id} item={i} />)}</Stack>
              </section>
            );
          })}
        </Stack>
      )}
    </Card>
  );
}
