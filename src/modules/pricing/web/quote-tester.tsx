/** The quote tester: account, product, quantity and date → the price and why. */
import { Card, NumberInput, SimpleGrid, Stack, Text, TextInput, Button, Group } from '@mantine/core';
import { IconCalculator } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountPicker } from '../../../web/forms/account-picker.js';
import { FormProblem, useFormProblem } from '../../../web/forms/kit.js';
import { Empty } from '../../../web/ui/states.js';
import { fetchQuote } from './pricing-api.js';
import { companyToday, ProductPicker, QuoteCard } from './pricing-ui.js';

export function QuoteTester({ accountId: fixedAccount }: { accountId?: string }) {
  const { t } = useTranslation();
  const [accountId, setAccountId] = useState<string | null>(fixedAccount ?? null);
  const [productId, setProductId] = useState<string | null>(null);
  const [quantity, setQuantity] = useState<number | string>(100);
  const [date, setDate] = useState(companyToday());
  const { problem, onError, clear, setProblem } = useFormProblem();
  const run = useMutation({ mutationFn: fetchQuote, onError: (e) => onError(e) });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    clear();
    if (!accountId || !productId || typeof quantity !== 'number' || !(quantity > 0) || !date) { setProblem({ kind: 'other', text: t('pricing.quote.fillIn') }); return; }
    run.mutate({ accountId, productId, quantity, date });
  };
  return (
    <Stack gap="md" data-testid="quote-tester">
      <Card padding="md">
        <form noValidate onSubmit={submit}>
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: fixedAccount ? 3 : 4 }} spacing="sm">
              {!fixedAccount && <AccountPicker label={t('pricing.quote.account')} required value={accountId} onChange={setAccountId} data-testid="quote-account" />}
              <ProductPicker label={t('pricing.quote.product')} required value={productId} onChange={(id) => setProductId(id)} data-testid="quote-product" />
              <NumberInput label={t('pricing.quote.quantity')} required min={0.000001} decimalScale={6} value={quantity} onChange={setQuantity} data-testid="quote-quantity" />
              <TextInput label={t('pricing.quote.date')} type="date" required value={date} onChange={(e) => setDate(e.currentTarget.value)} data-testid="quote-date" />
            </SimpleGrid>
            <Group justify="flex-end"><Button type="submit" leftSection={<IconCalculator size={16} />} loading={run.isPending} data-testid="quote-run">{t('pricing.quote.run')}</Button></Group>
            <FormProblem problem={problem} />
          </Stack>
        </form>
      </Card>
      {run.data && (run.data.price ? <QuoteCard quote={run.data.price} /> : (
        <Card><Empty title={t('pricing.quote.noneTitle')}><Text size="sm">{t('pricing.quote.none')}</Text></Empty></Card>
      ))}
    </Stack>
  );
}
