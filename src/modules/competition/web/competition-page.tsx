/**
 * Competitor prices: open undercut alerts, a product's competitor prices by month (one line per
 * competitor) and by province on the map, and the latest prices recorded.
 */
import { Anchor, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconPlus, IconScale } from '@tabler/icons-react';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useConfig } from '../../../web/api/queries.js';
import { useFormat } from '../../../web/format.js';
import { useNames } from '../../../web/names.js';
import { useSession } from '../../../web/session.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { post, useAlerts, useCompetitionWrite, useObservations, useProducts, useTrend, type Observation, type UndercutAlert } from './competition-api.js';
import { canWrite } from './competition-roles.js';
import { useProductName, useUnitLabel } from './competition-ui.js';

const TrendChart = lazy(() => import('./trend-chart.js'));
const RegionMap = lazy(() => import('./region-map.js'));

export function AlertRow({ a }: { a: UndercutAlert }) {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const { me } = useSession();
  const ack = useCompetitionWrite(() => post<UndercutAlert>(`/undercut-alerts/${a.id}/acknowledge`, { version: a.version }));
  return (
    <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs" data-testid="alert-row">
      <div style={{ minWidth: 0 }}>
        <Text size="sm" fw={600}>{n.primary(a)} · {a.productSku}</Text>
        <Text size="sm">{t('competition.alert.line', { competitor: a.competitor, price: f.money(a.competitorUnitMinor, a.currency), pocket: f.money(a.pocketUnitMinor, a.currency) })}</Text>
        <Text size="xs" c="dimmed">{f.dateTime(a.raisedAt)}</Text>
      </div>
      <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
        <Badge color="red" variant="light" style={{ overflow: 'visible' }}>−{f.number(a.sharePercent)} %</Badge>
        {a.status === 'open' && (
          <Button size="compact-xs" variant="light" component={Link} leftSection={<IconScale size={14} />} data-testid="alert-compare"
            to={`/competition/compare?accountId=${a.accountId}&productId=${a.productId}&competitor=${encodeURIComponent(a.competitor)}&price=${a.competitorUnitMinor}`}>
            {t('competition.alert.compare')}
          </Button>
        )}
        {a.status === 'open' && canWrite(me?.role) && (
          <Button size="compact-xs" variant="default" loading={ack.isPending} onClick={() => ack.mutate(undefined)} data-testid="alert-acknowledge">{t('competition.alert.acknowledge')}</Button>
        )}
      </Stack>
    </Group>
  );
}

export function ObservationRow({ o }: { o: Observation }) {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const unit = useUnitLabel();
  const where = o.accountName ? n.primary({ accountName: o.accountName, accountNameEn: o.accountNameEn }) : n.place(o.province, o.city);
  return (
    <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs" data-testid="observation-row">
      <div style={{ minWidth: 0 }}>
        <Text size="sm" fw={600}>{o.competitor} · {o.competitorProduct}</Text>
        <Text size="xs" c="dimmed">{where} · {t(`competition.source.${o.source}`)} · {f.date(o.observedAt)}</Text>
      </div>
      <div style={{ textAlign: 'right', flexShrink: 0 }}>
        <Text size="sm" fw={700} className="ok-stat" style={{ whiteSpace: 'nowrap' }}>{f.money(o.unitPriceMinor, o.currency)}/{unit(o.productUnit)}</Text>
        {(o.conversion.ourUnits !== 1 || o.conversion.competitorUnits !== 1) && <Text size="xs" c="dimmed">{f.money(o.priceMinor, o.currency)}/{unit(o.unit)}</Text>}
      </div>
    </Group>
  );
}

export function CompetitionPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const productName = useProductName();
  const unit = useUnitLabel();
  const config = useConfig();
  const products = useProducts();
  const alerts = useAlerts({ status: 'open' });
  const [productId, setProductId] = useState<string | null>(null);
  const chosen = productId ?? products.data?.find((p) => p.sku === 'CEM-PO425-B50')?.id ?? products.data?.[0]?.id ?? null;
  const trend = useTrend(chosen);
  const recent = useObservations({ productId: chosen ?? undefined, limit: 20 });
  return (
    <Stack gap="md" data-testid="competition-page">
      <PageHeader title={t('competition.page.title')} subtitle={t('competition.page.subtitle')}
        actions={canWrite(me?.role) ? <Button component={Link} to="/competition/record" leftSection={<IconPlus size={16} />} variant="light">{t('competition.page.recordRegion')}</Button> : undefined} />
      <Card padding="md" data-testid="open-alerts">
        <Title order={2} size="h4" mb="sm">{t('competition.page.alerts')}</Title>
        {alerts.isPending ? <Loading /> : alerts.isError ? <ErrorState error={alerts.error} /> : alerts.data.length === 0 ? <Text size="sm" c="dimmed">{t('competition.page.noAlerts')}</Text> : (
          <Stack gap="sm">{alerts.data.map((a) => <AlertRow key={a.id} a={a} />)}</Stack>
        )}
      </Card>
      <Select label={t('competition.record.product')} maw={480} searchable allowDeselect={false} value={chosen} onChange={setProductId}
        data={(products.data ?? []).map((p) => ({ value: p.id, label: `${p.sku} · ${productName(p)}` }))} data-testid="trend-product" />
      {trend.isPending ? <Loading /> : trend.isError ? <ErrorState error={trend.error} /> : trend.data.series.length === 0 ? (
        <Empty title={t('competition.page.noPrices')}>{t('competition.page.noPricesHint')}</Empty>
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <Card padding="md" data-testid="trend">
            <Title order={2} size="h4" mb="xs">{t('competition.trend.title', { unit: unit(trend.data.productUnit) })}</Title>
            <Suspense fallback={<Loading />}><TrendChart trend={trend.data} /></Suspense>
          </Card>
          <Card padding="md">
            <Title order={2} size="h4" mb="xs">{t('competition.map.title')}</Title>
            <Suspense fallback={<Loading />}><RegionMap trend={trend.data} tileUrl={config.data?.tileUrl ?? null} ourUnitMinor={null} /></Suspense>
            <Text size="xs" c="dimmed" mt={4}>{t('competition.map.hint')}</Text>
          </Card>
        </SimpleGrid>
      )}
      <Card padding="md">
        <Title order={2} size="h4" mb="sm">{t('competition.page.recent')}</Title>
        {recent.isPending ? <Loading /> : recent.isError ? <ErrorState error={recent.error} /> : recent.data.length === 0 ? <Text size="sm" c="dimmed">{t('competition.page.noPrices')}</Text> : (
          <Stack gap="sm">{recent.data.map((o) => <ObservationRow key={o.id} o={o} />)}</Stack>
        )}
        <Anchor component={Link} to="/competition/offers" size="sm" mt="sm" display="block">{t('competition.page.offers')}</Anchor>
      </Card>
    </Stack>
  );
}
