/** The Delivery tab of an account: OTIF by month over the last 12 months, the lateness distribution, the open orders, the overdue open lines and the shipments with late flags. */
import { Card, Group, SegmentedControl, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { lastMonths, periodOf, useOpenLines, useOtif, useOverdueLines, useShipments, useTerms } from './delivery-api.js';
import { OpenOrdersCard } from './open-orders.js';
import { type Basis, HowComputed, LatenessChart, MonthChart, OverdueTable, Pager, Share, sharesOf, ShipmentsTable, useToday } from './otif-ui.js';

const PAGE = 20;

export function AccountDeliveryTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const today = useToday();
  const { fromMonth, toMonth } = lastMonths(today, 12);
  const period = periodOf(fromMonth, toMonth);
  const [basis, setBasis] = useState<Basis>('lines');
  const [lateOnly, setLateOnly] = useState(false);
  const [offset, setOffset] = useState(0);
  const [overdueOffset, setOverdueOffset] = useState(0);
  const months = useOtif('month', period, null, accountId);
  const total = useOtif('', period, null, accountId);
  const terms = useTerms(accountId);
  const overdue = useOverdueLines({ accountId, limit: PAGE, offset: overdueOffset });
  const ships = useShipments({ accountId, lateOnly, limit: PAGE, offset });
  // The first page the open orders card reads too (same query key): a signed order not yet shipped keeps the tab out of its empty state.
  const open = useOpenLines(accountId, { limit: PAGE, offset: 0 });
  if (months.isLoading || total.isLoading) return <Loading />;
  if (months.error || total.error) return <ErrorState error={months.error ?? total.error} onRetry={() => { void months.refetch(); void total.refetch(); }} />;
  const g = total.data!.groups[0];
  const hasLines = !!g && (g.lines.counted > 0 || g.excluded.notDue > 0 || g.excluded.cancelled > 0);
  const noShipments = !ships.isLoading && !ships.data?.items.length && !lateOnly && offset === 0;
  if (!hasLines && noShipments && !overdue.data?.total && !open.data?.total) return <Empty title={t('delivery.account.empty')}>{t('delivery.account.emptyHint')}</Empty>;
  const s = sharesOf(g, basis);
  return (
    <Stack gap="md" data-testid="account-delivery">
      <Group justify="space-between" style={{ rowGap: 6 }}>
        <Group gap="lg" style={{ rowGap: 4 }}>
          {(['onTime', 'inFull', 'otif'] as const).map((k) => (
            <Stack key={k} gap={0}>
              <Text size="xs" c="dimmed">{t(`delivery.rates.${k}`)}</Text>
              <Text fw={700}><Share share={s[k]} /></Text>
            </Stack>
          ))}
        </Group>
        <Group gap="xs">
          <SegmentedControl size="xs" value={basis} onChange={(v) => setBasis(v as Basis)} data={(['lines', 'orders', 'volume'] as const).map((b) => ({ value: b, label: t(`delivery.basis.${b}`) }))} aria-label={t('delivery.basis.label')} />
          <HowComputed tolerances={null} {...(terms.data ? { terms: terms.data } : {})} />
        </Group>
      </Group>
      <Text size="xs" c="dimmed">{t('delivery.account.period', { count: s.counted })}</Text>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Card withBorder>
          <Text fw={600} mb="xs">{t('delivery.charts.byMonth')}</Text>
          <MonthChart groups={months.data!.groups} basis={basis} height={220} />
        </Card>
        <Card withBorder>
          <Text fw={600} mb="xs">{t('delivery.charts.lateness')}</Text>
          <LatenessChart group={g} buckets={total.data!.latenessBuckets} height={180} />
        </Card>
      </SimpleGrid>
      <OpenOrdersCard accountId={accountId} />
      <Card withBorder>
        <Text fw={600} mb="xs">{t('delivery.drill.overdue', { count: overdue.data?.total ?? 0 })}</Text>
        {overdue.isLoading ? <Loading /> : overdue.error ? <ErrorState error={overdue.error} onRetry={() => void overdue.refetch()} />
          : overdue.data!.items.length ? <><OverdueTable items={overdue.data!.items} /><Pager offset={overdueOffset} limit={PAGE} count={overdue.data!.items.length} total={overdue.data!.total} onOffset={setOverdueOffset} /></>
          : <Text size="sm" c="dimmed">{t('delivery.drill.noOverdue')}</Text>}
      </Card>
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Text fw={600}>{t('delivery.drill.shipments')}</Text>
          <Switch size="sm" label={t('delivery.lateOnly')} checked={lateOnly} onChange={(e) => { setLateOnly(e.currentTarget.checked); setOffset(0); }} />
        </Group>
        {ships.isLoading ? <Loading /> : ships.error ? <ErrorState error={ships.error} onRetry={() => void ships.refetch()} />
          : ships.data!.items.length ? <><ShipmentsTable items={ships.data!.items} today={today} /><Pager offset={offset} limit={PAGE} count={ships.data!.items.length} onOffset={setOffset} /></>
          : <Text size="sm" c="dimmed">{t(lateOnly ? 'delivery.drill.noLate' : 'delivery.drill.noShipments')}</Text>}
      </Card>
    </Stack>
  );
}
