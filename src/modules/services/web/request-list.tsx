/** A list of requests as rows that fit a phone and a desk alike (the account tab, the portal). */
import { Anchor, Button, Card, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { isOpenStatus } from '../services.domain.js';
import type { ServiceRequest } from './services-api.js';
import { PriorityBadge, RequestStatusBadge, SlaClock } from './services-ui.js';

export function RequestRow({ r, to, portal = false }: { r: ServiceRequest; to: string; portal?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Card padding="sm" withBorder data-testid="request-row" data-status={r.status}>
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
          <div style={{ minWidth: 0 }}>
            <Anchor component={Link} to={to} fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>{r.subject}</Anchor>
            <Text size="xs" c="dimmed">
              <span className="ok-code">{r.number}</span> · {t(`services.department.${r.department}`)} · {t('services.list.opened', { when: f.date(r.createdAt) })}
            </Text>
          </div>
          <RequestStatusBadge status={r.status} portal={portal} />
        </Group>
        <Group gap={6} wrap="wrap">
          <PriorityBadge priority={r.priority} size="xs" />
          {!portal && (isOpenStatus(r.status) || r.slaState === 'missed') && <SlaClock request={r} size="xs" />}
          {r.assignee && <Text size="xs" c="dimmed">{t('services.list.assignee', { name: r.assignee.name })}</Text>}
        </Group>
      </Stack>
    </Card>
  );
}

export function LoadMore({ hasNext, loading, onLoad }: { hasNext: boolean; loading: boolean; onLoad: () => void }) {
  const { t } = useTranslation();
  if (!hasNext) return null;
  return <Group justify="center" mt="sm"><Button variant="default" loading={loading} onClick={onLoad} data-testid="load-more">{t('services.list.loadMore')}</Button></Group>;
}
