/**
 * "Competitor price", from the phone during a visit: who, which of their products against which of
 * ours, the price as seen in their unit (with how many of our units it covers), where it came from.
 * Saved, it says at once how far it is under our pocket price at that dealer, and opens the comparison.
 */
import { Alert, Button, Card, FileInput, Group, NumberInput, SegmentedControl, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCamera, IconCircleCheck, IconScale } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { parseAmountToMinor } from '../../../shared/money.js';
import { useAccount } from '../../../web/api/queries.js';
import { FormProblem, orNull, useFormProblem } from '../../../web/forms/kit.js';
import { useRules } from '../../../web/forms/rules.js';
import { useFormat } from '../../../web/format.js';
import { useNames } from '../../../web/names.js';
import { useSession } from '../../../web/session.js';
import { uploadAttachment } from '../../attachments/web/attachments-api.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { post, useCompetitionWrite, useObservations, useProducts, type RecordObservation, type RecordResult } from './competition-api.js';
import { useProductName, useUnitLabel } from './competition-ui.js';

type Values = { productId: string | null; competitor: string; competitorProduct: string; price: string; unit: string; ourUnits: number | string; source: 'visit' | 'dealer' | 'invoice'; province: string; note: string };

function Result({ r, onAgain }: { r: RecordResult; onAgain: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const o = r.observation;
  const compare = `/competition/compare?accountId=${o.accountId ?? ''}&productId=${o.productId}&competitor=${encodeURIComponent(o.competitor)}&price=${o.unitPriceMinor}`;
  return (
    <Card padding="md" data-testid="record-result">
      <Stack gap="sm">
        {r.alert ? (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={t('competition.record.alertTitle')} role="alert" data-testid="undercut-alert">
            {t('competition.record.alertBody', { share: f.number(r.alert.sharePercent), competitor: o.competitor, price: f.money(r.alert.competitorUnitMinor, o.currency), pocket: f.money(r.alert.pocketUnitMinor, o.currency), threshold: f.number(r.alert.thresholdPercent) })}
          </Alert>
        ) : r.undercut ? (
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} data-testid="undercut-none">
            {t(r.undercut.gapMinor > 0 ? 'competition.record.within' : 'competition.record.notUnder', { share: f.number(r.undercut.sharePercent), price: f.money(r.undercut.competitorUnitMinor, o.currency), pocket: f.money(r.undercut.pocketUnitMinor, o.currency), threshold: f.number(r.undercut.thresholdPercent) })}
          </Alert>
        ) : (
          <Text size="sm">{t(r.undercutUnknownKey ?? 'competition.record.saved')}</Text>
        )}
        <Group gap="xs">
          {o.accountId && r.undercut && r.undercut.gapMinor > 0 && (
            <Button component={Link} to={compare} leftSection={<IconScale size={16} />} data-testid="open-compare">{t('competition.record.compare')}</Button>
          )}
          <Button variant="default" onClick={onAgain}>{t('competition.record.another')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}

export function RecordPage() {
  const { t } = useTranslation();
  const r = useRules();
  const n = useNames();
  const navigate = useNavigate();
  const productName = useProductName();
  const unitLabel = useUnitLabel();
  const [params] = useSearchParams();
  const accountId = params.get('accountId');
  const visitId = params.get('visitId');
  const account = useAccount(accountId ?? undefined);
  const products = useProducts();
  const seen = useObservations({ limit: 200 });
  const [result, setResult] = useState<RecordResult | null>(null);
  const [photo, setPhoto] = useState<File | null>(null);
  const { me } = useSession();
  const { problem, onError, clear } = useFormProblem();
  const competitors = useMemo(() => [...new Set((seen.data ?? []).map((o) => o.competitor))].sort(), [seen.data]);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { productId: params.get('productId'), competitor: '', competitorProduct: '', price: '', unit: '', ourUnits: 1, source: visitId ? 'visit' : 'dealer', province: '', note: '' },
    validate: {
      productId: r.chosen,
      competitor: r.required(80),
      competitorProduct: r.required(120),
      price: (v) => (parseAmountToMinor(v, 'CNY') ?? 0) > 0 ? null : t('competition.record.priceInvalid'),
      unit: r.required(20),
      ourUnits: r.intRange(1, 100_000),
      province: (v) => (!accountId && !v.trim() ? t('errors.field.required') : null),
      note: r.optional(2000),
    },
  });
  const product = products.data?.find((p) => p.id === form.values.productId);
  const save = useCompetitionWrite(async (v: Values) => {
    // The invoice photo goes to the account's attachments first; the price refers to it.
    const attachment = accountId && v.source === 'invoice' && photo ? await uploadAttachment(accountId, photo, me?.csrfToken ?? null, () => undefined) : null;
    const body: RecordObservation = {
      attachmentId: attachment?.id ?? null,
      accountId: accountId ?? null, productId: v.productId!, competitor: v.competitor.trim(), competitorProduct: v.competitorProduct.trim(),
      priceMinor: parseAmountToMinor(v.price, 'CNY')!, currency: account.data?.currency ?? 'CNY', unit: v.unit.trim(),
      conversion: { competitorUnits: 1, ourUnits: Number(v.ourUnits) }, source: v.source, visitId: visitId ?? null,
      province: accountId ? null : orNull(v.province), note: orNull(v.note),
    };
    return post<RecordResult>('/competitor-observations', body);
  });
  const submit = form.onSubmit((v) => {
    clear();
    save.mutate(v, { onSuccess: (res) => { setResult(res); setPhoto(null); }, onError: (err) => onError(err, form) });
  });
  const productOptions = (products.data ?? []).map((p) => ({ value: p.id, label: `${p.sku} · ${productName(p)}` }));
  const where = account.data ? n.primary(account.data) : t('competition.record.regionOnly');

  return (
    <Stack gap="md" maw={560} data-testid="record-page">
      <PageHeader title={t('competition.record.title')} subtitle={where} />
      {result ? <Result r={result} onAgain={() => { setResult(null); form.reset(); }} /> : (
        <Card padding="md">
          <form onSubmit={submit} noValidate data-testid="record-form">
            <Stack gap="sm">
              <Select label={t('competition.record.product')} description={t('competition.record.productHint')} required searchable allowDeselect={false} data={productOptions}
                {...form.getInputProps('productId')} onChange={(v) => { form.setFieldValue('productId', v); const p = products.data?.find((x) => x.id === v); if (p && !form.values.unit) form.setFieldValue('unit', unitLabel(p.unit)); }} data-testid="record-product" />
              <TextInput label={t('competition.record.competitor')} required maxLength={80} list="competitors" autoComplete="off" {...form.getInputProps('competitor')} data-testid="record-competitor" />
              <datalist id="competitors">{competitors.map((c) => <option key={c} value={c} />)}</datalist>
              <TextInput label={t('competition.record.competitorProduct')} required maxLength={120} {...form.getInputProps('competitorProduct')} data-testid="record-competitor-product" />
              <Group grow align="flex-start" gap="sm">
                <TextInput label={t('competition.record.price')} required inputMode="decimal" placeholder="0.00" {...form.getInputProps('price')} data-testid="record-price" />
                <TextInput label={t('competition.record.unit')} required maxLength={20} {...form.getInputProps('unit')} data-testid="record-unit" />
              </Group>
              <NumberInput label={t('competition.record.ourUnits', { unit: form.values.unit || '—', our: unitLabel(product?.unit) })} description={t('competition.record.ourUnitsHint')}
                min={1} max={100_000} allowDecimal={false} allowNegative={false} {...form.getInputProps('ourUnits')} data-testid="record-our-units" />
              {!accountId && <TextInput label={t('competition.record.province')} required maxLength={50} {...form.getInputProps('province')} />}
              <div>
                <Text size="sm" fw={500} mb={4} id="record-source-label">{t('competition.record.source')}</Text>
                <SegmentedControl fullWidth aria-labelledby="record-source-label" data={(['visit', 'dealer', 'invoice'] as const).map((s) => ({ value: s, label: t(`competition.source.${s}`) }))} {...form.getInputProps('source')} />
              </div>
              {accountId && form.values.source === 'invoice' && (
                <FileInput label={t('competition.record.photo')} description={t('competition.record.photoHint')} accept="image/*" clearable value={photo} onChange={setPhoto}
                  leftSection={<IconCamera size={16} />} data-testid="record-photo" />
              )}
              <Textarea label={t('competition.record.note')} description={t('competition.record.noteHint')} autosize minRows={2} maxRows={6} {...form.getInputProps('note')} />
              <FormProblem problem={problem} />
              <Group justify="flex-end" gap="xs">
                <Button variant="default" onClick={() => navigate(-1)}>{t('common.cancel')}</Button>
                <Button type="submit" loading={save.isPending} data-testid="record-submit">{t('competition.record.submit')}</Button>
              </Group>
            </Stack>
          </form>
        </Card>
      )}
    </Stack>
  );
}
