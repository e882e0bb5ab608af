/** Competitor offers and what was decided, newest first. */
import { Anchor, Badge, Card, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { useNames } from '../../../web/names.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import { useOffers } from './competition-api.js';

export function OffersPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const q = useOffers();
  return (
    <Stack gap="md">
      <PageHeader title={t('competition.page.offersTitle')} />
      <Card padding="md">
        {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} /> : q.data.length === 0 ? <Text size="sm" c="dimmed">{t('competition.page.noOffers')}</Text> : (
          <Stack gap="sm">
            {q.data.map((o) => (
              <Group key={o.id} justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
                <div style={{ minWidth: 0 }}>
                  <Anchor component={Link} to={`/competition/offers/${o.id}`} size="sm" fw={600}>{n.primary(o)} · {o.competitor}</Anchor>
                  <Text size="xs" c="dimmed">{o.productSku} · {f.money(o.offerUnitMinor, o.currency)} · {f.date(o.createdAt)}</Text>
                </div>
                <Badge variant="light" color={o.outcome === 'lost' ? 'red' : o.outcome === 'kept' ? 'teal' : o.decision ? 'blue' : 'gray'}>
                  {o.outcome ? t(`competition.outcome.${o.outcome}`) : o.decision ? t(`competition.decision.${o.decision}`) : t('competition.offer.undecided')}
                </Badge>
              </Group>
            ))}
          </Stack>
        )}
      </Card>
    </Stack>
  );
}
