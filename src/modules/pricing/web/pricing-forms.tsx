/** The forms of the price pages: a list (scope, validity, priority, mode), a product's breaks, an import. */
import { Alert, Button, Checkbox, FileInput, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconUpload } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTerritories } from '../../../web/api/queries.js';
import { AccountPicker } from '../../../web/forms/account-picker.js';
import { FormActions, FormProblem, orNull, useFormProblem } from '../../../web/forms/kit.js';
import { useRules } from '../../../web/forms/rules.js';
import { useNames } from '../../../web/names.js';
import type { BreakMode, ScopeKind } from '../pricing.domain.js';
import { type ImportResult, type PriceList, type PriceListItem, uploadPrices, useInvalidatePricing, usePriceGroups, usePricingMutations } from './pricing-api.js';
import { type BreakRow, BreaksEditor, majorText, ProductPicker, readBreaks } from './pricing-ui.js';

type ListValues = {
  code: string; name: string; scopeKind: ScopeKind; scopeValue: string | null; currency: string; priority: number | string;
  validFrom: string; validTo: string; breakMode: BreakMode; note: string;
};

/** Creates a price list, or changes one (the version read goes with the change). */
export function ListForm({ list, today, onDone }: { list: PriceList | null; today: string; onDone: (saved: PriceList | null) => void }) {
  const { t } = useTranslation();
  const r = useRules();
  const n = useNames();
  const territories = useTerritories();
  const groups = usePriceGroups();
  const { create, update } = usePricingMutations();
  const { problem, onError, clear } = useFormProblem();
  const form = useForm<ListValues>({
    mode: 'controlled',
    initialValues: list
      ? { code: list.code, name: list.name, scopeKind: list.scopeKind, scopeValue: list.scopeValue, currency: list.currency, priority: list.priority, validFrom: list.validFrom, validTo: list.validTo ?? '', breakMode: list.breakMode, note: list.note ?? '' }
      : { code: '', name: '', scopeKind: 'all', scopeValue: null, currency: 'CNY', priority: 0, validFrom: today, validTo: '', breakMode: 'all-units', note: '' },
    validate: {
      code: list ? undefined : r.code,
      name: r.required(120),
      scopeValue: (v, values) => (values.scopeKind === 'all' || v ? null : t('errors.field.required')),
      currency: (v) => (/^[A-Z]{3}$/.test(v) ? null : t('pricing.form.currencyHelp')),
      priority: r.intRange(-1000, 1000),
      validFrom: (v) => (v ? r.isoDate(v) : t('errors.field.required')),
      validTo: (v, values) => r.isoDate(v) ?? (v && v <= values.validFrom ? t('pricing.form.toAfterFrom') : null),
      note: r.optional(500),
    },
  });
  const v = form.values;
  const groupOptions = [...new Set([...(groups.data?.items.map((g) => g.group) ?? []), ...(v.scopeKind === 'group' && v.scopeValue ? [v.scopeValue] : [])])];
  const submit = (values: ListValues) => {
    clear();
    const body = {
      name: values.name.trim(), scopeKind: values.scopeKind, scopeValue: values.scopeKind === 'all' ? null : values.scopeValue, currency: values.currency,
      priority: Number(values.priority), validFrom: values.validFrom, validTo: orNull(values.validTo), breakMode: values.breakMode, note: orNull(values.note),
    };
    const done = { onSuccess: (saved: PriceList) => { notifications.show({ color: 'teal', closeButtonProps: { 'aria-label': t('forms.close') }, message: t(list ? 'pricing.form.saved' : 'pricing.form.created') }); onDone(saved); }, onError: (err: unknown) => onError(err, form) };
    if (list) update.mutate({ id: list.id, version: list.version, ...body }, done);
    else create.mutate({ code: values.code.trim(), ...body }, done);
  };
  return (
    <form noValidate onSubmit={form.onSubmit(submit)} data-testid="price-list-form">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput label={t('pricing.form.code')} required disabled={!!list} description={list ? undefined : t('pricing.form.codeHelp')} data-autofocus {...form.getInputProps('code')} data-testid="list-code" />
          <TextInput label={t('pricing.form.name')} required {...form.getInputProps('name')} data-testid="list-name" />
        </SimpleGrid>
        <div>
          <Text size="sm" fw={500} mb={4} id="scope-label">{t('pricing.form.scope')}</Text>
          <SegmentedControl fullWidth aria-labelledby="scope-label" value={v.scopeKind} data-testid="list-scope"
            onChange={(s) => { form.setFieldValue('scopeKind', s as ScopeKind); form.setFieldValue('scopeValue', null); }}
            data={(['all', 'territory', 'group', 'account'] as const).map((s) => ({ value: s, label: t(`pricing.scope.${s}`) }))} />
        </div>
        {v.scopeKind === 'territory' && (
          <Select label={t('pricing.scope.territory')} required allowDeselect={false} data-testid="list-territory" data={(territories.data?.items ?? []).map((x) => ({ value: x.id, label: n.primary({ name: x.nameZh, nameEn: x.name }) }))}
            {...form.getInputProps('scopeValue')} />
        )}
        {v.scopeKind === 'group' && (
          <Select label={t('pricing.scope.group')} required searchable data={groupOptions} description={t('pricing.form.groupHelp')}
            {...form.getInputProps('scopeValue')} />
        )}
        {v.scopeKind === 'account' && (
          <AccountPicker label={t('pricing.scope.account')} required value={v.scopeValue} onChange={(id) => form.setFieldValue('scopeValue', id)} error={form.errors.scopeValue} />
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput label={t('pricing.form.validFrom')} type="date" required {...form.getInputProps('validFrom')} />
          <TextInput label={t('pricing.form.validTo')} type="date" description={t('pricing.form.validToHelp')} {...form.getInputProps('validTo')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <NumberInput label={t('pricing.form.priority')} description={t('pricing.form.priorityHelp')} min={-1000} max={1000} allowDecimal={false} {...form.getInputProps('priority')} />
          <TextInput label={t('pricing.form.currency')} maxLength={3} {...form.getInputProps('currency')} onChange={(e) => form.setFieldValue('currency', e.currentTarget.value.toUpperCase())} />
        </SimpleGrid>
        <div>
          <Text size="sm" fw={500} mb={4} id="mode-label">{t('pricing.form.mode')}</Text>
          <SegmentedControl fullWidth aria-labelledby="mode-label" value={v.breakMode} onChange={(m) => form.setFieldValue('breakMode', m as BreakMode)} data-testid="list-mode"
            data={(['all-units', 'graduated'] as const).map((m) => ({ value: m, label: t(`pricing.mode.${m}`) }))} />
          <Text size="xs" c="dimmed" mt={4}>{t(`pricing.mode.${v.breakMode}Help`)}</Text>
        </div>
        <Textarea label={t('pricing.form.note')} autosize minRows={2} maxRows={4} {...form.getInputProps('note')} />
        <FormProblem problem={problem} />
        <FormActions onCancel={() => onDone(null)} loading={create.isPending || update.isPending} submitLabel={list ? undefined : t('pricing.form.create')} />
      </Stack>
    </form>
  );
}

/** Sets a product's quantity breaks on a list (a new product, or one already on it). */
export function ItemForm({ list, item, onDone }: { list: PriceList; item: PriceListItem | null; onDone: () => void }) {
  const { t } = useTranslation();
  const { putItem } = usePricingMutations();
  const { problem, onError, clear, setProblem } = useFormProblem();
  const [productId, setProductId] = useState<string | null>(item?.productId ?? null);
  const [rows, setRows] = useState<BreakRow[]>(item ? item.breaks.map((b) => ({ from: b.from, price: majorText(b.unitPriceMinor) })) : [{ from: 0, price: '' }]);
  const [tried, setTried] = useState(false);
  const { breaks, problems } = readBreaks(rows, list.currency);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTried(true);
    clear();
    if (!productId) { setProblem({ kind: 'other', text: t('pricing.item.pickProduct') }); return; }
    if (problems.length) return;
    putItem.mutate({ listId: list.id, productId, breaks }, {
      onSuccess: () => { notifications.show({ color: 'teal', closeButtonProps: { 'aria-label': t('forms.close') }, message: t('pricing.item.saved') }); onDone(); },
      onError: (err) => onError(err),
    });
  };
  return (
    <form noValidate onSubmit={submit} data-testid="item-form">
      <Stack gap="sm">
        {item ? <Text fw={600}>{item.sku} · {item.productName}</Text> : (
          <ProductPicker label={t('pricing.item.product')} required value={productId} onChange={(id) => setProductId(id)} data-testid="item-product" />
        )}
        <BreaksEditor rows={rows} onChange={setRows} currency={list.currency} problems={tried ? problems : []} />
        <Text size="xs" c="dimmed">{t(`pricing.mode.${list.breakMode}Help`)}</Text>
        <FormProblem problem={problem} />
        <FormActions onCancel={onDone} loading={putItem.isPending} />
      </Stack>
    </form>
  );
}

/** Uploads a CSV or XLSX of prices into a list; the bad lines, if any, with their numbers; nothing is written then. */
export function ImportForm({ list, onDone }: { list: PriceList; onDone: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidatePricing();
  const [file, setFile] = useState<File | null>(null);
  const [replace, setReplace] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const { problem, onError, clear } = useFormProblem();
  const run = useMutation({
    mutationFn: (dryRun: boolean) => uploadPrices(list.id, file!, { replace, dryRun }),
    onSuccess: (r) => { setResult(r); if (r.applied) invalidate(); },
    onError: (err) => onError(err),
  });
  return (
    <Stack gap="sm" data-testid="import-form">
      <Text size="sm">{t('pricing.import.help')}</Text>
      <Text size="xs" c="dimmed" ff="monospace">sku,from,unit_price<br />CEM-PO425-B50,0,22.00<br />CEM-PO425-B50,200,21.30</Text>
      <FileInput label={t('pricing.import.file')} accept=".csv,.xlsx,text/csv" value={file} onChange={(f) => { setFile(f); setResult(null); clear(); }} leftSection={<IconUpload size={16} />} clearable data-testid="import-file" />
      <Checkbox label={t('pricing.import.replace')} checked={replace} onChange={(e) => setReplace(e.currentTarget.checked)} />
      {result && <ImportOutcome result={result} />}
      <FormProblem problem={problem} />
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="xs">
        <Button variant="default" onClick={onDone}>{t(result?.applied ? 'pricing.import.close' : 'common.cancel')}</Button>
        <Button variant="light" disabled={!file} loading={run.isPending && run.variables === true} onClick={() => { clear(); run.mutate(true); }} data-testid="import-check">{t('pricing.import.check')}</Button>
        <Button disabled={!file} loading={run.isPending && run.variables === false} onClick={() => { clear(); run.mutate(false); }} data-testid="import-run">{t('pricing.import.run')}</Button>
      </SimpleGrid>
    </Stack>
  );
}

function ImportOutcome({ result }: { result: ImportResult }) {
  const { t } = useTranslation();
  if (result.errorCount > 0) {
    return (
      <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={t('pricing.import.failed', { count: result.errorCount })} data-testid="import-errors">
        <Table fz="xs" verticalSpacing={2}>
          <Table.Thead><Table.Tr><Table.Th>{t('pricing.import.line')}</Table.Th><Table.Th>{t('pricing.import.column')}</Table.Th><Table.Th>{t('pricing.import.value')}</Table.Th><Table.Th>{t('pricing.import.reason')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {result.errors.map((e, i) => (
              <Table.Tr key={i} data-testid="import-error"><Table.Td>{e.line}</Table.Td><Table.Td>{e.column}</Table.Td><Table.Td style={{ wordBreak: 'break-all' }}>{e.value}</Table.Td><Table.Td>{e.reason}</Table.Td></Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Alert>
    );
  }
  return (
    <Alert color="teal" variant="light" icon={<IconCheck size={18} />} data-testid="import-done"
      title={t(result.applied ? 'pricing.import.applied' : 'pricing.import.checked')}>
      <Text size="sm">{t('pricing.import.counts', { lines: result.lines, products: result.products, created: result.created, updated: result.updated, unchanged: result.unchanged, removed: result.removed })}</Text>
    </Alert>
  );
}
