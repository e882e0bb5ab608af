/** The Lanes tab of an account: the lanes to this dealer and each lane's plan (the approved seasonal rule in force or coming). */
import { Anchor, Card, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { useLanes } from './lanes-api.js';
import { ModeBadge, PlanLine } from './lanes-ui.js';

export function AccountLanesTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useLanes(accountId);
  if (q.isLoading) return <Loading />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data!.items.length) return <Empty title={t('lanes.noneHere')}>{t('lanes.noneHereHint')}</Empty>;
  return (
    <Stack gap="sm">
      {q.data!.items.map((l) => (
        <Card key={l.id} withBorder padding="sm">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Anchor component={Link} to={`/lanes/${encodeURIComponent(l.code)}`} fw={600}>{l.code} · {l.name}</Anchor>
            <ModeBadge mode={l.defaultMode} />
          </Group>
          <Text size="sm" c="dimmed">{l.originName} → {l.ports.length ? l.ports.map((p) => p.name).join(', ') : t('lanes.inland')} · {t('lanes.tonnesYear', { tonnes: f.number(l.annualTonnes) })}</Text>
          <PlanLine lane={l} />
          {l.proposedRules > 0 && <Text size="xs" c="orange.8">{t('lanes.awaiting', { count: l.proposedRules })}</Text>}
        </Card>
      ))}
    </Stack>
  );
}
