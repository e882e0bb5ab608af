/** The dealer's own stock: what it last reported, a form to report today's, and its stock-outs with the late deliveries behind them. No values. */
import { Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isEnglish } from '../../../web/names.js';
import { useProblemText } from '../../../web/ui/errors.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import { usePortalStock, useProducts, useReportStock } from './stock-api.js';
import { StockFileImport } from './stock-import.js';
import { LatestTable, StockOutsList } from './stock-ui.js';

const OTHER = '__other__';

function ReportForm({ today }: { today: string }) {
  const { t, i18n } = useTranslation();
  const problem = useProblemText();
  const products = useProducts();
  const save = useReportStock();
  const [product, setProduct] = useState<string | null>(null);
  const [item, setItem] = useState('');
  const [date, setDate] = useState(today);
  const [onHand, setOnHand] = useState<number | string>('');
  const [sold, setSold] = useState<number | string>('');
  const [tried, setTried] = useState(false);
  const en = isEnglish(i18n.language);
  const errors = {
    product: !product ? t('stock.form.productRequired') : product === OTHER && !item.trim() ? t('stock.form.itemRequired') : null,
    onHand: onHand === '' ? t('stock.form.onHandRequired') : null,
    date: !date ? t('stock.form.dateRequired') : date > today ? t('stock.form.dateFuture') : null,
  };
  const submit = () => {
    setTried(true);
    if (errors.product || errors.onHand || errors.date) return;
    const p = products.data?.find((x) => x.id === product);
    save.mutate({
      ...(p ? { sku: p.sku, unit: p.unit } : { item: item.trim() }), reportDate: date, onHand: Number(onHand), ...(sold === '' ? {} : { soldSinceLast: Number(sold) }),
    }, {
      onSuccess: (r) => { notifications.show({ color: 'teal', message: t(r.updated ? 'stock.form.corrected' : 'stock.form.saved') }); setOnHand(''); setSold(''); setTried(false); },
    });
  };
  return (
    <Card withBorder padding="md" data-testid="stock-report-form">
      <Title order={2} size="h4" mb="xs">{t('stock.form.title')}</Title>
      <Stack gap="sm">
        <Select label={t('stock.form.product')} searchable value={product} onChange={setProduct} error={tried && errors.product}
          data={[...(products.data ?? []).map((p) => ({ value: p.id, label: `${p.sku} · ${en ? p.nameEn : p.nameZh}` })), { value: OTHER, label: t('stock.form.other') }]} />
        {product === OTHER && <TextInput label={t('stock.form.item')} value={item} onChange={(e) => setItem(e.currentTarget.value)} maxLength={300} error={tried && errors.product} />}
        <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
          <TextInput type="date" label={t('stock.form.date')} value={date} max={today} onChange={(e) => setDate(e.currentTarget.value)} error={tried && errors.date} />
          <NumberInput label={t('stock.form.onHand')} value={onHand} onChange={setOnHand} allowDecimal={false} error={tried && errors.onHand} />
          <NumberInput label={t('stock.form.sold')} description={t('stock.form.soldHint')} value={sold} onChange={setSold} allowDecimal={false} allowNegative={false} />
        </SimpleGrid>
        {save.error && <Text c="red" size="sm">{problem(save.error)}</Text>}
        <Group><Button onClick={submit} loading={save.isPending} data-testid="stock-report-submit">{t('stock.form.submit')}</Button></Group>
      </Stack>
    </Card>
  );
}

export function PortalStockPage() {
  const { t } = useTranslation();
  const q = usePortalStock();
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <Stack gap="md" maw={900}>
      <PageHeader title={t('stock.portal.pageTitle')} subtitle={t('stock.portal.subtitle')} />
      <ReportForm today={q.data.asOf} />
      <Card withBorder padding="md" data-testid="stock-upload">
        <Title order={2} size="h4" mb={4}>{t('stock.import.portalTitle')}</Title>
        <Text size="sm" c="dimmed" mb="sm">{t('stock.import.portalSubtitle')}</Text>
        <StockFileImport portal />
      </Card>
      <Card withBorder padding="md"><Title order={2} size="h4" mb="xs">{t('stock.latest.title')}</Title><LatestTable latest={q.data.latest} /></Card>
      <Title order={2} size="h4">{t('stock.outs.title')}</Title>
      <StockOutsList items={q.data.outs} showDealer={false} internal={false} />
    </Stack>
  );
}
