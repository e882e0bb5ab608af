/**
 * The account page's Services tab (staff): what the account is entitled to and has used this
 * period, what serving it cost over the last 12 months, and its requests, active ones first; with
 * "New request" and "Log delivered service".
 */
import { Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconClipboardPlus, IconGift, IconHeadset, IconTruckDelivery } from '@tabler/icons-react';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { RequestFormModal, type ServiceOption } from './request-form.js';
import { LoadMore, RequestRow } from './request-list.js';
import { useAccountServices, useRequests, useServiceKinds, type AccountServices, type ServiceKind } from './services-api.js';
import { activeFirst } from './services-format.js';
import { BalanceBar, useKindName } from './services-ui.js';
import { UsageFormModal } from './usage-form.js';

const CostChart = lazy(() => import('./cost-chart.js'));

function Stat({ label, value, color, testId }: { label: string; value: string; color?: string; testId?: string }) {
  return (
    <Card padding="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" fw={600}>{label}</Text>
      <Text fz={22} fw={700} className="ok-stat" c={color}>{value}</Text>
    </Card>
  );
}

/** The services a form may pick: the account's balances first (with what is left), then the rest of the active catalogue. */
export function useServiceOptions(data: AccountServices | undefined, kinds: ServiceKind[] | undefined): ServiceOption[] {
  const { t } = useTranslation();
  const kindName = useKindName();
  return useMemo(() => {
    const balances = data?.balances ?? [];
    const seen = new Set(balances.map((b) => b.serviceKindId));
    return [
      ...balances.map((b) => ({ value: b.serviceKindId, label: b.inSeason ? t('services.form.serviceLeft', { name: kindName(b), n: Math.max(0, b.remaining) }) : `${kindName(b)} (${t('services.balance.outOfSeason')})` })),
      ...(kinds ?? []).filter((k) => k.active && !seen.has(k.id)).map((k) => ({ value: k.id, label: kindName(k) })),
    ];
  }, [data, kinds, kindName, t]);
}

function AccountRequests({ accountId, onNew }: { accountId: string; onNew: () => void }) {
  const { t } = useTranslation();
  const q = useRequests({ accountId, status: 'all', sort: '-created', limit: 20 });
  const rows = useMemo(() => activeFirst(q.data?.pages.flatMap((p) => p.items) ?? []), [q.data]);
  return (
    <Card padding="md" data-testid="account-requests">
      <Group justify="space-between" mb="sm" gap="xs">
        <Title order={2} size="h4">{t('services.account.requests')}</Title>
        <Button size="xs" variant="light" leftSection={<IconClipboardPlus size={16} />} onClick={onNew} data-testid="new-request">{t('services.account.newRequest')}</Button>
      </Group>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : rows.length === 0 ? (
        <Empty title={t('services.account.noRequests')} icon={<IconHeadset size={22} />}>{t('services.account.noRequestsHint')}</Empty>
      ) : (
        <Stack gap="xs">
          {rows.map((r) => <RequestRow key={r.id} r={r} to={`/service/requests/${r.id}`} />)}
          <LoadMore hasNext={q.hasNextPage} loading={q.isFetchingNextPage} onLoad={() => void q.fetchNextPage()} />
        </Stack>
      )}
    </Card>
  );
}

export function AccountServicesTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const services = useAccountServices(accountId);
  const kinds = useServiceKinds();
  const options = useServiceOptions(services.data, kinds.data);
  const [dialog, setDialog] = useState<'request' | 'usage' | null>(null);
  if (services.isPending) return <Loading />;
  if (services.isError) return <ErrorState error={services.error} onRetry={() => void services.refetch()} />;
  const d = services.data;
  const costKinds = kinds.data ?? d.balances.map((b) => ({ id: b.serviceKindId, name: b.name, nameEn: b.nameEn }));
  return (
    <Stack gap="md" data-testid="services-tab">
      {/* Two figures a row on a phone, three on a desk: each card as wide as its figure needs. */}
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(150px, 1fr))', gap: 'var(--mantine-spacing-sm)' }}>
        <Stat label={t('services.account.openRequests')} value={f.number(d.openRequests)} testId="stat-open" />
        <Stat label={t('services.account.breached')} value={f.number(d.breachedRequests)} color={d.breachedRequests > 0 ? 'red.9' : undefined} testId="stat-breached" />
        <Stat label={t('services.cost.total12')} value={d.costTotalMinor === null ? '—' : f.money(d.costTotalMinor, d.currency)} testId="stat-cost" />
      </div>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Card padding="md" data-testid="account-balances">
          <Group justify="space-between" mb="sm" gap="xs">
            <Title order={2} size="h4">{t('services.account.entitlements')}</Title>
            <Button size="xs" variant="light" leftSection={<IconTruckDelivery size={16} />} onClick={() => setDialog('usage')} disabled={!options.length} data-testid="log-usage">
              {t('services.account.logUsage')}
            </Button>
          </Group>
          {d.balances.length === 0 ? (
            <Empty title={t('services.account.noEntitlements')} icon={<IconGift size={22} />}>{t('services.account.noEntitlementsHint')}</Empty>
          ) : (
            <Stack gap="md">{d.balances.map((b) => <BalanceBar key={`${b.serviceKindId}-${b.periodKey}`} b={b} />)}</Stack>
          )}
        </Card>

        <Card padding="md" data-testid="account-cost">
          <Group justify="space-between" mb="xs" gap="xs" align="baseline">
            <Title order={2} size="h4">{t('services.cost.title')}</Title>
            {d.costTotalMinor !== null && <Text size="sm" c="dimmed">{t('services.cost.totalLine', { total: f.money(d.costTotalMinor, d.currency) })}</Text>}
          </Group>
          {!d.cost?.length ? <Empty title={t('services.cost.none')}>{t('services.cost.noneHint')}</Empty> : (
            <Suspense fallback={<Loading />}><CostChart rows={d.cost} kinds={costKinds} currency={d.currency} /></Suspense>
          )}
        </Card>
      </SimpleGrid>

      <AccountRequests accountId={accountId} onNew={() => setDialog('request')} />

      <RequestFormModal opened={dialog === 'request'} onClose={() => setDialog(null)} accountId={accountId} services={options} />
      <UsageFormModal opened={dialog === 'usage'} onClose={() => setDialog(null)} accountId={accountId} services={options} balances={d.balances} />
    </Stack>
  );
}
