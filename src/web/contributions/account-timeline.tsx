import { Anchor, Button, Chip, Group, Text, Timeline } from '@mantine/core';
import { IconAlertTriangle, IconCalendarEvent, IconChartArrows, IconFileImport, IconHistory, IconMapPin, IconPhone, IconPuzzle, IconRoute2, IconUsersGroup, IconWalk } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { type ComponentType, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TimelineEvent } from '../../platform/contributions.contract.js';
import { api } from '../api/client.js';
import { accountPaths } from '../pages/account-first-load.js';
import { useFormat } from '../format.js';
import { Empty, ErrorState, Loading } from '../ui/states.js';
import { useContributionText } from './contribution-text.js';
import { kindIcon as moduleKindIcon } from '../features.js';
import { statusColor } from './fact-card.js';

type TimelinePage = { items: TimelineEvent[]; nextCursor: string | null; unavailable: string[]; kinds: { module: string; kinds: string[] }[] };

const kindIcon: Record<string, ComponentType<{ size?: number }>> = {
  activity: IconPhone, visit: IconWalk, 'slot-change': IconRoute2, advisory: IconAlertTriangle, tier: IconChartArrows, import: IconFileImport, history: IconHistory,
};
const activityIcon: Record<string, ComponentType<{ size?: number }>> = { call: IconPhone, meeting: IconUsersGroup, visit: IconMapPin, event: IconCalendarEvent };

function iconOf(e: TimelineEvent) {
  if (e.kind === 'activity') return activityIcon[e.titleKey.split('.').pop() ?? ''] ?? IconPhone;
  return kindIcon[e.kind] ?? moduleKindIcon(e.kind) ?? IconPuzzle;
}

/**
 * One timeline of the account: every module's events, newest first, filtered by kind, paged by
 * cursor. A module whose events cannot be read just now is named, the rest still shows.
 */
export function AccountTimeline({ accountId, onTab }: { accountId: string; onTab: (tab: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const text = useContributionText();
  const [kinds, setKinds] = useState<string[]>([]);
  const q = useInfiniteQuery({
    queryKey: ['account-timeline', accountId, kinds],
    queryFn: ({ pageParam, signal }) => api<TimelinePage>(accountPaths.timeline(accountId, { kind: kinds.join(','), cursor: pageParam }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const pages = q.data.pages;
  const events = pages.flatMap((p) => p.items);
  const available = pages[0]!.kinds.flatMap((k) => k.kinds);
  const unavailable = [...new Set(pages.flatMap((p) => p.unavailable))];
  return (
    <>
      <Chip.Group multiple value={kinds} onChange={setKinds}>
        <Group gap={6} mb="md" role="group" aria-label={t('timeline.filter')}>
          {available.map((k) => <Chip key={k} value={k} size="xs" variant="light">{t(`timeline.kinds.${k}`, { defaultValue: k })}</Chip>)}
          {kinds.length > 0 && <Button size="compact-xs" variant="subtle" onClick={() => setKinds([])}>{t('timeline.all')}</Button>}
        </Group>
      </Chip.Group>
      {unavailable.length > 0 && <Text size="sm" c="orange.8" mb="sm">{t('timeline.unavailable', { modules: unavailable.join(', ') })}</Text>}
      {events.length === 0 ? <Empty title={t(kinds.length ? 'timeline.emptyFiltered' : 'timeline.empty')} /> : (
        <Timeline bulletSize={28} lineWidth={2} data-testid="account-timeline">
          {events.map((e) => {
            const Icon = iconOf(e);
            const title = text(e.titleKey, e.params);
            return (
              <Timeline.Item key={e.id} bullet={<Icon size={15} />} color={e.status ? statusColor[e.status] : undefined} data-testid="timeline-item" data-kind={e.kind}
                title={<Text fw={600} size="sm">{title}</Text>}>
                <Text size="xs" c="dimmed" className="ok-timeline-time">
                  {f.dateTime(e.at)} · {t(`timeline.kinds.${e.kind}`, { defaultValue: e.kind })}{e.actor ? ` · ${e.actor.name}` : ''}
                  {e.link?.tab && <> · <Anchor size="xs" component="button" type="button" onClick={() => onTab(e.link!.tab!)}>{t('timeline.open')}</Anchor></>}
                  {e.link?.to && <> · <Anchor size="xs" component={Link} to={e.link.to}>{t('timeline.open')}</Anchor></>}
                </Text>
                {e.body && <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>{e.body}</Text>}
              </Timeline.Item>
            );
          })}
        </Timeline>
      )}
      {q.hasNextPage && <Group justify="center" mt="sm"><Button variant="light" size="xs" loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>{t('common.showMore')}</Button></Group>}
    </>
  );
}
