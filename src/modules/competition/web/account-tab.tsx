/**
 * The account page's Competition tab: open undercut alerts, the price waterfall of a product, the
 * competitor prices recorded at the account and the offers decided; "Competitor price" records one.
 */
import { Anchor, Badge, Button, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { useSession } from '../../../web/session.js';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import { useAlerts, useObservations, useOffers, useProducts, useWaterfall } from './competition-api.js';
import { AlertRow, ObservationRow } from './competition-page.js';
import { canWrite } from './competition-roles.js';
import { useProductName } from './competition-ui.js';
import { WaterfallTable } from './waterfall-table.js';

const WaterfallChart = lazy(() => import('./waterfall-chart.js'));

function AccountWaterfall({ accountId, defaultProduct }: { accountId: string; defaultProduct: string | null }) {
  const { t } = useTranslation();
  const productName = useProductName();
  const products = useProducts();
  const [picked, setPicked] = useState<string | null>(null);
  const productId = picked ?? defaultProduct ?? products.data?.[0]?.id ?? null;
  const w = useWaterfall(accountId, productId);
  return (
    <Card padding="md" data-testid="account-waterfall">
      <Title order={2} size="h4" mb="xs">{t('competition.waterfall.title')}</Title>
      <Select aria-label={t('competition.record.product')} searchable allowDeselect={false} value={productId} onChange={setPicked} mb="sm"
        data={(products.data ?? []).map((p) => ({ value: p.id, label: `${p.sku} · ${productName(p)}` }))} />
      {w.isPending ? <Loading /> : w.isError ? <ErrorState error={w.error} onRetry={() => void w.refetch()} /> : (
        <>
          {w.data.listMinor === null ? <Text size="sm" c="dimmed" mb="xs">{t('competition.waterfall.noList')}</Text> : <Suspense fallback={<Loading />}><WaterfallChart w={w.data} /></Suspense>}
          <WaterfallTable w={w.data} />
        </>
      )}
    </Card>
  );
}

export function AccountCompetitionTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { me } = useSession();
  const alerts = useAlerts({ accountId, status: 'open' });
  const seen = useObservations({ accountId, limit: 20 });
  const offers = useOffers(accountId);
  const write = canWrite(me?.role);
  return (
    <Stack gap="md" data-testid="competition-tab">
      {write && (
        <Group>
          <Button component={Link} to={`/competition/record?accountId=${accountId}`} leftSection={<IconPlus size={16} />} data-testid="record-competitor-price">{t('competition.record.button')}</Button>
        </Group>
      )}
      {(alerts.data?.length ?? 0) > 0 && (
        <Card padding="md" data-testid="account-alerts">
          <Title order={2} size="h4" mb="sm">{t('competition.page.alerts')}</Title>
          <Stack gap="sm">{alerts.data!.map((a) => <AlertRow key={a.id} a={a} />)}</Stack>
        </Card>
      )}
      <AccountWaterfall accountId={accountId} defaultProduct={seen.data?.[0]?.productId ?? null} />
      <Card padding="md">
        <Title order={2} size="h4" mb="sm">{t('competition.page.recent')}</Title>
        {seen.isPending ? <Loading /> : seen.isError ? <ErrorState error={seen.error} /> : seen.data.length === 0 ? <Text size="sm" c="dimmed">{t('competition.page.noPrices')}</Text> : (
          <Stack gap="sm">{seen.data.map((o) => <ObservationRow key={o.id} o={o} />)}</Stack>
        )}
      </Card>
      <Card padding="md">
        <Title order={2} size="h4" mb="sm">{t('competition.page.offersTitle')}</Title>
        {offers.isPending ? <Loading /> : offers.isError ? <ErrorState error={offers.error} /> : offers.data.length === 0 ? <Text size="sm" c="dimmed">{t('competition.page.noOffers')}</Text> : (
          <Stack gap="xs">
            {offers.data.map((o) => (
              <Group key={o.id} justify="space-between" wrap="nowrap" gap="xs">
                <Anchor component={Link} to={`/competition/offers/${o.id}`} size="sm">{o.competitor} · {o.productSku} · {f.money(o.offerUnitMinor, o.currency)}</Anchor>
                <Badge variant="light" color={o.decision ? 'blue' : 'gray'}>{o.decision ? t(`competition.decision.${o.decision}`) : t('competition.offer.undecided')}</Badge>
              </Group>
            ))}
          </Stack>
        )}
      </Card>
    </Stack>
  );
}
