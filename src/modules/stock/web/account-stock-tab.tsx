/** The account page's Stock tab: the dealer's latest stock per product and its stock-outs of the last 90 days. */
import { Card, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import { useAccountStock } from './stock-api.js';
import { Definition, LatestTable, StockOutsList } from './stock-ui.js';

export function AccountStockTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const q = useAccountStock(accountId);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <Stack gap="md" data-testid="stock-tab">
      <Card padding="md"><Title order={2} size="h4" mb="xs">{t('stock.latest.title')}</Title><LatestTable latest={q.data.latest} /></Card>
      <Stack gap="xs">
        <Title order={2} size="h4">{t('stock.outs.title')}</Title>
        <StockOutsList items={q.data.outs} showDealer={false} internal />
        <Definition />
      </Stack>
    </Stack>
  );
}
