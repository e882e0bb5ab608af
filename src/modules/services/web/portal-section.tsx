/** The dealer home's help section: "Ask for help", "My requests" with their status, and the company's service balances (no cost). */
import { Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconGift, IconHeadset, IconLifebuoy } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { RequestFormModal } from './request-form.js';
import { LoadMore, RequestRow } from './request-list.js';
import { usePortalServices, useRequests } from './services-api.js';
import { activeFirst } from './services-format.js';
import { BalanceBar, useKindName } from './services-ui.js';

/** /portal/requests: every request of the dealer's company, with "Ask for help". */
export function PortalRequestsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('services.portal.allRequests')} subtitle={t('services.portal.allRequestsHint')} />
      <PortalSection page />
    </>
  );
}

export function PortalSection({ page = false }: { page?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const kindName = useKindName();
  const services = usePortalServices();
  const requests = useRequests({ status: 'all', sort: '-created', limit: page ? 50 : 10 });
  const [asking, setAsking] = useState(false);
  const rows = useMemo(() => activeFirst(requests.data?.pages.flatMap((p) => p.items) ?? []), [requests.data]);
  // A dealer may ask for a service it is entitled to (in season).
  const options = useMemo(() => (services.data?.balances ?? []).filter((b) => b.inSeason)
    .map((b) => ({ value: b.serviceKindId, label: t('services.form.serviceLeft', { name: kindName(b), n: Math.max(0, b.remaining) }) })), [services.data, kindName, t]);
  return (
    <Stack gap="md" mb="lg" data-testid="portal-help">
      <Card padding="md">
        <Group justify="space-between" gap="sm" wrap="wrap">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0, flex: '1 1 240px' }}>
            <IconLifebuoy size={28} color="var(--mantine-color-brand-7)" aria-hidden style={{ flexShrink: 0 }} />
            <div style={{ minWidth: 0 }}>
              <Title order={2} size="h4">{t('services.portal.helpTitle')}</Title>
              <Text size="sm" c="dimmed">{t('services.portal.intro')}</Text>
            </div>
          </Group>
          <Button leftSection={<IconHeadset size={18} />} onClick={() => setAsking(true)} data-testid="ask-for-help">{t('services.portal.ask')}</Button>
        </Group>
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Card padding="md" data-testid="portal-requests">
          <Title order={2} size="h4" mb="sm">{t('services.portal.myRequests')}</Title>
          {requests.isPending ? <Loading /> : requests.isError ? <ErrorState error={requests.error} onRetry={() => void requests.refetch()} /> : rows.length === 0 ? (
            <Empty title={t('services.portal.noRequests')} icon={<IconHeadset size={22} />}>{t('services.portal.noRequestsHint')}</Empty>
          ) : (
            <Stack gap="xs">
              {rows.map((r) => <RequestRow key={r.id} r={r} to={`/portal/requests/${r.id}`} portal />)}
              <LoadMore hasNext={requests.hasNextPage} loading={requests.isFetchingNextPage} onLoad={() => void requests.fetchNextPage()} />
            </Stack>
          )}
        </Card>
        <Card padding="md" data-testid="portal-balances">
          <Title order={2} size="h4" mb="sm">{t('services.portal.balances')}</Title>
          {services.isPending ? <Loading /> : services.isError ? <ErrorState error={services.error} onRetry={() => void services.refetch()} /> : services.data.balances.length === 0 ? (
            <Empty title={t('services.portal.noBalances')} icon={<IconGift size={22} />}>{t('services.portal.noBalancesHint')}</Empty>
          ) : (
            <Stack gap="md">{services.data.balances.map((b) => <BalanceBar key={`${b.serviceKindId}-${b.periodKey}`} b={b} />)}</Stack>
          )}
        </Card>
      </SimpleGrid>
      <RequestFormModal opened={asking} onClose={() => setAsking(false)} accountId={null} services={options} portal onCreated={(r) => navigate(`/portal/requests/${r.id}`)} />
    </Stack>
  );
}
