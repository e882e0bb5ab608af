/** Stock-outs: per dealer and product, the days out of stock in a period, the sales likely lost and the late lines behind them. */
import { Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconFileImport } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { allowedFor } from '../../../web/features.js';
import { useSession } from '../../../web/session.js';
import { useFormat } from '../../../web/format.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import { importRoles, useStockOuts } from './stock-api.js';
import { Definition, StockOutsList } from './stock-ui.js';

const addDays = (ymd: string, n: number) => new Date(Date.parse(`${ymd}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export function StockOutsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { me } = useSession();
  const [days, setDays] = useState('90');
  const first = useStockOuts({});
  const asOf = first.data?.asOf;
  const to = asOf ? addDays(asOf, 1) : undefined;
  const q = useStockOuts(days === '90' || !to ? {} : { from: addDays(to, -Number(days)), to });
  const data = days === '90' ? first.data : q.data;
  const pending = days === '90' ? first.isPending : q.isPending;
  const error = days === '90' ? first.error : q.error;
  const items = data?.items ?? [];
  const currencies = new Set(items.flatMap((r) => (r.currency ? [r.currency] : [])));
  const currency = currencies.size === 1 ? [...currencies][0]! : null;
  const lost = items.reduce((s, r) => s + (r.currency === currency ? r.lostValueMinor ?? 0 : 0), 0);
  return (
    <Stack gap="md" maw={1100}>
      <PageHeader title={t('stock.page.title')} subtitle={data ? t('stock.page.period', { from: f.monthDay(data.from), to: f.monthDay(addDays(data.to, -1)) }) : undefined}
        actions={<>
          <SegmentedControl value={days} onChange={setDays} data={['30', '90', '180'].map((d) => ({ value: d, label: t('stock.page.days', { count: Number(d) }) }))} />
          {allowedFor(me, importRoles) && <Button component={Link} to="/stock/import" variant="light" leftSection={<IconFileImport size={16} />}>{t('stock.import.link')}</Button>}
        </>} />
      {pending ? <Loading /> : error ? <ErrorState error={error} onRetry={() => void first.refetch()} /> : (
        <>
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
            <Card withBorder padding="sm"><Text size="xs" c="dimmed">{t('stock.page.outNow')}</Text><Text fw={700} size="xl" c={items.some((r) => r.outNow) ? 'red' : undefined}>{f.number(items.filter((r) => r.outNow).length)}</Text></Card>
            <Card withBorder padding="sm"><Text size="xs" c="dimmed">{t('stock.page.daysOut')}</Text><Text fw={700} size="xl">{f.number(items.reduce((s, r) => s + r.daysOut, 0))}</Text></Card>
            <Card withBorder padding="sm"><Text size="xs" c="dimmed">{t('stock.page.lost')}</Text><Text fw={700} size="xl">{currency ? f.money(lost, currency) : t('stock.unknown')}</Text></Card>
          </SimpleGrid>
          <Group justify="space-between"><Text size="sm" c="dimmed">{t('stock.page.rows', { count: items.length })}</Text></Group>
          <StockOutsList items={items} showDealer internal />
          <Definition />
        </>
      )}
    </Stack>
  );
}
