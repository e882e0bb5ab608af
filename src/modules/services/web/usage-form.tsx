/**
 * "Log delivered service": a service, how many units, a reference and a note, counted against the
 * account's entitlement. When the entitlement is used up the server says so (409
 * entitlement_exhausted); the form then offers to record it beyond the entitlement (goodwill or charged).
 */
import { Alert, Checkbox, NumberInput, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../web/api/client.js';
import { FormActions, FormModal, FormProblem, orNull, useFormProblem } from '../../../web/forms/kit.js';
import { useRules } from '../../../web/forms/rules.js';
import { post, useServicesWrite, type RecordUsage, type ServiceBalance, type Usage } from './services-api.js';
import type { ServiceOption } from './request-form.js';

type Values = { serviceKindId: string | null; quantity: number | string; reference: string; note: string; beyond: boolean };

function UsageForm({ accountId, services, balances, onDone }: { accountId: string; services: ServiceOption[]; balances: ServiceBalance[]; onDone: () => void }) {
  const { t } = useTranslation();
  const r = useRules();
  const { problem, onError, clear, setProblem } = useFormProblem();
  const [exhausted, setExhausted] = useState(false);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { serviceKindId: services.length === 1 ? services[0]!.value : null, quantity: 1, reference: '', note: '', beyond: false },
    validate: {
      serviceKindId: r.chosen,
      quantity: (v) => r.intRange(1, 10_000)(v),
      reference: r.optional(80),
      note: r.optional(2000),
    },
  });
  const save = useServicesWrite((v: Values) => {
    const body: RecordUsage = {
      accountId, serviceKindId: v.serviceKindId!, quantity: Number(v.quantity), delivered: true, beyondEntitlement: v.beyond,
      reference: orNull(v.reference), note: orNull(v.note),
    };
    return post<Usage>('/service-usage', body);
  });
  const submit = form.onSubmit((v) => {
    clear();
    save.mutate(v, {
      onSuccess: () => { notifications.show({ color: 'teal', message: t('services.usage.logged') }); onDone(); },
      onError: (err) => {
        if (err instanceof ApiError && err.code === 'entitlement_exhausted') { setExhausted(true); setProblem(null); return; }
        onError(err, form);
      },
    });
  });
  // A change of service or quantity asks the question again.
  const change = (field: 'serviceKindId' | 'quantity') => (v: unknown) => { form.setFieldValue(field, v as never); setExhausted(false); form.setFieldValue('beyond', false); };
  // Why nothing covers it, from the balance the tab shows (the server's message is in English only).
  const balance = balances.find((b) => b.serviceKindId === form.values.serviceKindId);
  const why = !balance ? t('services.usage.noEntitlement')
    : !balance.inSeason ? t('services.usage.outOfSeason')
    : t('services.usage.exhaustedLeft', { count: Math.max(0, balance.remaining), asked: Number(form.values.quantity) });
  return (
    <form onSubmit={submit} noValidate data-testid="usage-form">
      <Stack gap="sm">
        <Select label={t('services.usage.service')} required allowDeselect={false} searchable data={services} {...form.getInputProps('serviceKindId')} onChange={change('serviceKindId')} data-testid="usage-service" />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <NumberInput label={t('services.usage.quantity')} required min={1} max={10_000} allowDecimal={false} allowNegative={false} {...form.getInputProps('quantity')} onChange={change('quantity')} />
          <TextInput label={t('services.usage.reference')} description={t('services.usage.referenceHint')} maxLength={80} {...form.getInputProps('reference')} />
        </SimpleGrid>
        <Textarea label={t('services.usage.note')} autosize minRows={2} maxRows={6} {...form.getInputProps('note')} />
        {exhausted && (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title={t('services.usage.exhaustedTitle')} role="alert" data-testid="entitlement-exhausted">
            <Stack gap="xs">
              <Text size="sm">{why}</Text>
              <Text size="sm">{t('services.usage.exhaustedBody')}</Text>
              <Checkbox label={t('services.usage.beyond')} description={t('services.usage.beyondHint')} {...form.getInputProps('beyond', { type: 'checkbox' })} data-testid="usage-beyond" />
            </Stack>
          </Alert>
        )}
        <FormProblem problem={problem} />
        <FormActions onCancel={onDone} loading={save.isPending} disabled={exhausted && !form.values.beyond} submitLabel={t('services.usage.submit')} />
      </Stack>
    </form>
  );
}

export function UsageFormModal({ opened, onClose, accountId, services, balances }: { opened: boolean; onClose: () => void; accountId: string; services: ServiceOption[]; balances: ServiceBalance[] }) {
  const { t } = useTranslation();
  return (
    <FormModal opened={opened} onClose={onClose} title={t('services.usage.title')} testId="usage-modal">
      <UsageForm accountId={accountId} services={services} balances={balances} onDone={onClose} />
    </FormModal>
  );
}
