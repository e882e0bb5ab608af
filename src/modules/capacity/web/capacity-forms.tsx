/** The forms of the priority-delivery page: place an order, reserve a week, change a reservation, add a depot. */
import { Alert, Checkbox, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../web/api/client.js';
import { AccountPicker } from '../../../web/forms/account-picker.js';
import { FormActions, FormProblem, orNull, useFormProblem } from '../../../web/forms/kit.js';
import { useRules } from '../../../web/forms/rules.js';
import { weekEnd, weekStart } from '../capacity.domain.js';
import { type Reservation, useCapacityMutations } from './capacity-api.js';
import { useWeekLabel } from './capacity-ui.js';

/** Problems the capacity API answers with, in the reader's words (the server's detail is English). */
function useCapacityProblem() {
  const { t } = useTranslation();
  const base = useFormProblem();
  const onError = (err: unknown, form?: Parameters<typeof base.onError>[1]) => {
    if (err instanceof ApiError && ['entitlement_exhausted', 'over_subscribed', 'invalid_state', 'service_inactive'].includes(err.code)) {
      base.setProblem({ kind: 'other', text: t(`capacity.errors.${err.code}`) });
      return;
    }
    base.onError(err, form);
  };
  return { ...base, onError };
}

type OrderValues = { accountId: string | null; truckloads: number | string; deliveryDate: string; orderRef: string; allowOver: boolean };

/** Places an order on a week's reservation; beyond the free truckloads only when the week is knowingly over-subscribed. */
export function PlaceOrderForm({ reservation, today, onDone }: { reservation: Reservation; today: string; onDone: () => void }) {
  const { t } = useTranslation();
  const r = useRules();
  const { placeOrder } = useCapacityMutations();
  const { problem, onError, clear, setProblem } = useCapacityProblem();
  const monday = weekStart(reservation.week)!;
  const sunday = weekEnd(reservation.week);
  const first = monday < today ? today : monday;
  const form = useForm<OrderValues>({
    mode: 'controlled',
    initialValues: { accountId: null, truckloads: 1, deliveryDate: first, orderRef: '', allowOver: false },
    validate: {
      accountId: (v) => r.chosen(v),
      truckloads: r.intRange(1, 1000),
      deliveryDate: (v) => r.isoDate(v) ?? (!v || v < first || v > sunday ? t('capacity.order.dateInWeek') : null),
      orderRef: r.optional(80),
    },
  });
  const asked = typeof form.values.truckloads === 'number' ? form.values.truckloads : 0;
  const over = asked > reservation.free;
  const submit = (v: OrderValues) => {
    clear();
    if (over && !v.allowOver) { setProblem({ kind: 'other', text: t('capacity.order.confirmOver') }); return; }
    placeOrder.mutate(
      { reservationId: reservation.id, accountId: v.accountId!, truckloads: Number(v.truckloads), deliveryDate: v.deliveryDate, orderRef: orNull(v.orderRef), allowOver: over && v.allowOver },
      {
        onSuccess: () => { notifications.show({ color: 'teal', message: t('capacity.order.placed') }); onDone(); },
        onError: (err) => onError(err, form),
      },
    );
  };
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate data-testid="place-order-form">
      <Stack gap="sm">
        <AccountPicker label={t('capacity.order.account')} required data-autofocus value={form.values.accountId} onChange={(id) => form.setFieldValue('accountId', id)}
          error={form.errors.accountId} data-testid="order-account" />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <NumberInput label={t('capacity.order.truckloads')} min={1} max={1000} allowDecimal={false} required
            description={t('capacity.order.freeNow', { count: reservation.free })} {...form.getInputProps('truckloads')} />
          <TextInput label={t('capacity.order.deliveryDate')} type="date" min={first} max={sunday} required {...form.getInputProps('deliveryDate')} />
        </SimpleGrid>
        <TextInput label={t('capacity.order.ref')} description={t('capacity.order.refHelp')} {...form.getInputProps('orderRef')} />
        {over && (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="over-warning">
            <Stack gap={6}>
              <Text size="sm">{t('capacity.order.overWarning', { count: reservation.free, over: asked - reservation.free })}</Text>
              <Checkbox label={t('capacity.order.allowOver')} {...form.getInputProps('allowOver', { type: 'checkbox' })} />
            </Stack>
          </Alert>
        )}
        <FormProblem problem={problem} />
        <FormActions onCancel={onDone} loading={placeOrder.isPending} submitLabel={t('capacity.order.place')} />
      </Stack>
    </form>
  );
}

type ReserveValues = { week: string | null; truckloads: number | string; note: string };

/** Reserves truckloads of a depot for a week (one of the weeks shown that has none yet). */
export function ReserveForm({ depotId, weeks, initialWeek, onDone }: { depotId: string; weeks: string[]; initialWeek: string | null; onDone: () => void }) {
  const { t } = useTranslation();
  const r = useRules();
  const label = useWeekLabel();
  const { reserve } = useCapacityMutations();
  const { problem, onError, clear } = useCapacityProblem();
  const form = useForm<ReserveValues>({
    mode: 'controlled',
    initialValues: { week: initialWeek && weeks.includes(initialWeek) ? initialWeek : weeks[0] ?? null, truckloads: 10, note: '' },
    validate: { week: (v) => r.chosen(v), truckloads: r.intRange(0, 10_000), note: r.optional(500) },
  });
  return (
    <form noValidate data-testid="reserve-form" onSubmit={form.onSubmit((v) => {
      clear();
      reserve.mutate({ depotId, week: v.week!, truckloads: Number(v.truckloads), note: orNull(v.note) }, {
        onSuccess: () => { notifications.show({ color: 'teal', message: t('capacity.reserve.done') }); onDone(); },
        onError: (err) => onError(err, form),
      });
    })}>
      <Stack gap="sm">
        <Select label={t('capacity.reserve.week')} required allowDeselect={false} data={weeks.map((w) => ({ value: w, label: label(w) }))} {...form.getInputProps('week')} />
        <NumberInput label={t('capacity.reserve.truckloads')} min={0} max={10_000} allowDecimal={false} required {...form.getInputProps('truckloads')} />
        <Textarea label={t('capacity.reserve.note')} autosize minRows={2} maxRows={4} {...form.getInputProps('note')} />
        <FormProblem problem={problem} />
        <FormActions onCancel={onDone} loading={reserve.isPending} submitLabel={t('capacity.reserve.submit')} />
      </Stack>
    </form>
  );
}

/** Changes a reservation's truckloads or note; fewer than ordered is allowed and said. */
export function ChangeReservationForm({ reservation, onDone }: { reservation: Reservation; onDone: () => void }) {
  const { t } = useTranslation();
  const r = useRules();
  const { changeReservation } = useCapacityMutations();
  const { problem, onError, clear } = useCapacityProblem();
  const form = useForm<{ truckloads: number | string; note: string }>({
    mode: 'controlled',
    initialValues: { truckloads: reservation.truckloads, note: reservation.note ?? '' },
    validate: { truckloads: r.intRange(0, 10_000), note: r.optional(500) },
  });
  const below = typeof form.values.truckloads === 'number' && form.values.truckloads < reservation.ordered;
  return (
    <form noValidate data-testid="change-reservation-form" onSubmit={form.onSubmit((v) => {
      clear();
      changeReservation.mutate({ id: reservation.id, truckloads: Number(v.truckloads), note: orNull(v.note), version: reservation.version }, {
        onSuccess: () => { notifications.show({ color: 'teal', message: t('capacity.reserve.changed') }); onDone(); },
        onError: (err) => onError(err, form),
      });
    })}>
      <Stack gap="sm">
        <NumberInput label={t('capacity.reserve.truckloads')} min={0} max={10_000} allowDecimal={false} required
          description={t('capacity.reserve.orderedSoFar', { count: reservation.ordered })} {...form.getInputProps('truckloads')} />
        {below && <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />}><Text size="sm">{t('capacity.reserve.belowOrdered', { count: reservation.ordered })}</Text></Alert>}
        <Textarea label={t('capacity.reserve.note')} autosize minRows={2} maxRows={4} {...form.getInputProps('note')} />
        <FormProblem problem={problem} />
        <FormActions onCancel={onDone} loading={changeReservation.isPending} />
      </Stack>
    </form>
  );
}

type DepotValues = { code: string; name: string; nameEn: string; kind: 'plant' | 'depot'; city: string };

/** Adds a plant or transit depot that delivers. */
export function AddDepotForm({ onDone }: { onDone: (id: string) => void }) {
  const { t } = useTranslation();
  const r = useRules();
  const { addDepot } = useCapacityMutations();
  const { problem, onError, clear } = useCapacityProblem();
  const kindId = useId();
  const form = useForm<DepotValues>({
    mode: 'controlled',
    initialValues: { code: '', name: '', nameEn: '', kind: 'depot', city: '' },
    validate: { code: r.code, name: r.required(120), nameEn: r.required(120), city: r.optional(60) },
  });
  return (
    <form noValidate data-testid="depot-form" onSubmit={form.onSubmit((v) => {
      clear();
      addDepot.mutate({ code: v.code.trim(), name: v.name.trim(), nameEn: v.nameEn.trim(), kind: v.kind, city: orNull(v.city) }, {
        onSuccess: (d) => { notifications.show({ color: 'teal', message: t('capacity.depot.added') }); onDone(d.id); },
        onError: (err) => onError(err, form),
      });
    })}>
      <Stack gap="sm">
        <Stack gap={4}>
          <Text size="sm" fw={500} id={kindId}>{t('capacity.depot.kind')}</Text>
          <SegmentedControl fullWidth aria-labelledby={kindId} data={(['plant', 'depot'] as const).map((k) => ({ value: k, label: t(`capacity.depot.kinds.${k}`) }))} {...form.getInputProps('kind')} />
        </Stack>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput label={t('capacity.depot.name')} required data-autofocus {...form.getInputProps('name')} />
          <TextInput label={t('capacity.depot.nameEn')} required {...form.getInputProps('nameEn')} />
          <TextInput label={t('capacity.depot.code')} required {...form.getInputProps('code')} />
          <TextInput label={t('capacity.depot.city')} {...form.getInputProps('city')} />
        </SimpleGrid>
        <FormProblem problem={problem} />
        <FormActions onCancel={() => onDone('')} loading={addDepot.isPending} submitLabel={t('capacity.depot.add')} />
      </Stack>
    </form>
  );
}
