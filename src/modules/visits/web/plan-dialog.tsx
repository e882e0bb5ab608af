import { Alert, Button, Checkbox, Group, Modal, NumberInput, Radio, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccount } from '../../../web/api/queries.js';
import { useSession } from '../../../web/session.js';
import type { ChangeRequestBody, SlotPatch } from '../visits.contract.js';
import { useVisitFieldErrors } from './field-errors.js';
import { useNotify } from './notify.js';
import {
  type CallPlan, useAccountContacts, useAccountSearch, useAccountSites, useCreatePlan, useManagers, useRequestChange, useRoutes, WEEKDAYS, type Weekday,
} from './use-visits.js';
import { clockOf } from './visits-format.js';
import { useNames } from '../../../web/names.js';

type Reason = ChangeRequestBody['reason'];
const reasons: Reason[] = ['customer_request', 'route_optimisation', 'manager_capacity', 'other'];
/** Start times offered, every 15 minutes from 06:00 to 21:45. */
const times = Array.from({ length: 64 }, (_, i) => clockOf(6 * 60 + i * 15));
const zones = (): string[] => {
  try { return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone'); } catch { return ['Asia/Shanghai']; }
};

export type PlanPreset = Partial<{ accountId: string; accountName: string; siteId: string | null; weekday: Weekday; startTime: string; durationMinutes: number; routeId: string | null }>;

type Form = {
  managerId: string | null; accountId: string | null; siteId: string | null; weekday: Weekday; startTime: string; durationMinutes: number; intervalWeeks: number;
  timeZone: string; routeId: string | null; timeFixed: boolean; toleranceMinutes: number;
};

/**
 * Creates a call plan, or edits one. A new plan applies at once; any change to an existing plan's
 * slot goes through the change request: a reason, the contact who asked (customer request, applies
 * at once) or a note (waits for the director). Server field errors show on their fields.
 */
export function PlanDialog({ plan, accountId, managerId, preset, onClose }: { plan: CallPlan | null; accountId?: string; managerId?: string; preset?: PlanPreset; onClose: () => void }) {
  const { t } = useTranslation();
  const n = useNames();
  const { me } = useSession();
  const notify = useNotify();
  const fieldErrors = useVisitFieldErrors();
  const { managers } = useManagers();
  const plannable = managers.filter((m) => m.canPlan);
  const [form, setForm] = useState<Form>(() => plan ? {
    managerId: plan.managerId, accountId: plan.accountId, siteId: plan.siteId, weekday: plan.weekday, startTime: plan.startTime, durationMinutes: plan.durationMinutes,
    intervalWeeks: plan.intervalWeeks, timeZone: plan.timeZone, routeId: plan.routeId, timeFixed: plan.timeFixed, toleranceMinutes: plan.toleranceMinutes,
  } : {
    managerId: managerId ?? me?.id ?? null, accountId: preset?.accountId ?? accountId ?? null, siteId: preset?.siteId ?? null, weekday: preset?.weekday ?? 'mon',
    startTime: preset?.startTime ?? '09:00', durationMinutes: preset?.durationMinutes ?? 60, intervalWeeks: 1, timeZone: me?.timeZone ?? 'Asia/Shanghai',
    routeId: preset?.routeId ?? null, timeFixed: false, toleranceMinutes: 10,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [step, setStep] = useState<'fields' | 'reason'>('fields');
  const [reason, setReason] = useState<Reason>('customer_request');
  const [contactId, setContactId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [search, setSearch] = useState('');
  const accounts = useAccountSearch(search);
  const fixedAccount = useAccount(!plan && accountId ? accountId : undefined);
  const sites = useAccountSites(form.accountId);
  const contacts = useAccountContacts(plan ? plan.accountId : null);
  const routes = useRoutes(form.managerId ?? undefined);
  const create = useCreatePlan();
  const change = useRequestChange();
  const zoneList = useMemo(() => [...new Set([form.timeZone, ...zones()])], [form.timeZone]);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => { setForm((f) => ({ ...f, [k]: v })); setErrors((e) => ({ ...e, [k]: '' })); };

  // Labels are the plain names everywhere: the searchable select puts the chosen label into the search.
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(preset?.accountId && preset.accountName ? { value: preset.accountId, label: preset.accountName } : null);
  const accountOptions = useMemo(() => {
    const list = (accounts.data?.items ?? []).map((a) => ({ value: a.id, label: n.primary(a) }));
    return chosen && !list.some((o) => o.value === chosen.value) ? [chosen, ...list] : list;
  }, [accounts.data, chosen]);
  const fixedName = plan ? n.primary(plan) : accountId ? (fixedAccount.data ? n.primary(fixedAccount.data) : '') : null;
  const routeOptions = (routes.data?.items ?? []).filter((r) => r.weekday === form.weekday && r.timeZone === form.timeZone)
    .map((r) => ({ value: r.id, label: r.name }));

  /** The slot fields that differ from the plan (edit), or all of them (new). */
  const patch = (): SlotPatch => {
    const all: SlotPatch = {
      managerId: form.managerId ?? undefined, siteId: form.siteId, weekday: form.weekday, startTime: form.startTime, durationMinutes: form.durationMinutes,
      intervalWeeks: form.intervalWeeks, timeZone: form.timeZone, routeId: form.routeId, timeFixed: form.timeFixed, toleranceMinutes: form.toleranceMinutes,
    };
    if (!plan) return all;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(all)) if (v !== undefined && (plan as unknown as Record<string, unknown>)[k] !== v) out[k] = v;
    // Leaving a route resets the position on it.
    if ('routeId' in out) out.routePosition = null;
    return out as SlotPatch;
  };

  const fail = (err: unknown) => {
    const fe = fieldErrors(err);
    if (Object.keys(fe).length) {
      setErrors(fe);
      if (Object.keys(fe).some((k) => k in form)) setStep('fields');
    } else notify.fail(err);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!plan) {
      const errs: Record<string, string> = {};
      if (!form.accountId) errs.accountId = t('errors.field.required');
      if (!form.managerId) errs.managerId = t('errors.field.required');
      setErrors(errs);
      if (Object.values(errs).some(Boolean)) return;
      create.mutate({ accountId: form.accountId!, ...patch() } as never, {
        onSuccess: () => { notify.ok(t('visits.plans.created')); onClose(); },
        onError: fail,
      });
      return;
    }
    const slot = patch();
    if (Object.keys(slot).length === 0) { setErrors({ form: t('visits.plans.unchanged') }); return; }
    if (step === 'fields') { setStep('reason'); setErrors({}); return; }
    const errs: Record<string, string> = {};
    if (reason === 'customer_request' && !contactId) errs.contactId = t('visits.move.contactRequired');
    if (reason !== 'customer_request' && !note.trim()) errs.note = t('visits.move.noteRequired');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    change.mutate({ plan, body: { reason, slot, ...(reason === 'customer_request' && contactId ? { contactId } : {}), ...(note.trim() ? { note: note.trim() } : {}) } }, {
      onSuccess: (r) => { notify.ok(r.change.status === 'pending' ? t('visits.move.sentForApproval') : t('visits.plans.changed')); onClose(); },
      onError: fail,
    });
  };

  const err = (k: string) => errors[k] || undefined;
  return (
    <Modal className="ok-visits" closeButtonProps={{ 'aria-label': t('visits.close') }} opened onClose={onClose} size="lg"
      title={plan ? t('visits.plans.editTitle', { account: n.primary(plan) }) : t('visits.plans.newTitle')}>
      <form onSubmit={submit} noValidate data-testid="plan-form">
        {step === 'fields' ? (
          <Stack>
            {plannable.length > 1 && (
              <Select label={t('visits.manager')} value={form.managerId} allowDeselect={false} searchable error={err('managerId')}
                data={plannable.map((m) => ({ value: m.id, label: m.name }))} onChange={(v) => { set('managerId', v); set('routeId', null); }} />
            )}
            {fixedName !== null ? <TextInput label={t('visits.plans.account')} disabled value={fixedName} readOnly /> : (
              <Select label={t('visits.plans.account')} withAsterisk searchable value={form.accountId} error={err('accountId')}
                data={accountOptions} onSearchChange={setSearch} searchValue={search} nothingFoundMessage={t('visits.plans.noAccounts')}
                placeholder={t('visits.plans.accountPlaceholder')} filter={({ options }) => options}
                onChange={(v, option) => { setChosen(v ? option : null); set('accountId', v); set('siteId', null); }} />
            )}
            <Select label={t('visits.plans.site')} clearable value={form.siteId} error={err('siteId')} disabled={!form.accountId}
              placeholder={t('visits.plans.noSite')}
              data={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.address ? `${s.name} · ${s.address}` : s.name }))} onChange={(v) => set('siteId', v)} />
            <SimpleGrid cols={{ base: 1, xs: 2 }}>
              <Select label={t('visits.plans.weekday')} value={form.weekday} allowDeselect={false} error={err('weekday')}
                data={WEEKDAYS.map((d) => ({ value: d, label: t(`visits.weekdays.${d}`) }))} onChange={(v) => { if (v) { set('weekday', v as Weekday); set('routeId', null); } }} />
              <Select label={t('visits.plans.startTime')} value={form.startTime} allowDeselect={false} searchable error={err('startTime')}
                data={[...new Set([form.startTime, ...times])].sort()} onChange={(v) => v && set('startTime', v)} />
              <NumberInput label={t('visits.plans.duration')} min={5} max={600} step={15} value={form.durationMinutes} error={err('durationMinutes')}
                onChange={(v) => set('durationMinutes', Number(v) || 0)} suffix={` ${t('visits.plans.minutesSuffix')}`} />
              <NumberInput label={t('visits.plans.interval')} description={t('visits.plans.intervalHint')} min={1} max={12} value={form.intervalWeeks} error={err('intervalWeeks')}
                onChange={(v) => set('intervalWeeks', Number(v) || 0)} />
              <Select label={t('visits.plans.timeZone')} searchable value={form.timeZone} allowDeselect={false} error={err('timeZone')} data={zoneList}
                onChange={(v) => { if (v) { set('timeZone', v); set('routeId', null); } }} />
              <Select label={t('visits.plans.route')} clearable value={form.routeId} error={err('routeId')} data={routeOptions}
                placeholder={routeOptions.length ? t('visits.plans.noRoute') : t('visits.plans.noRouteThatDay')} onChange={(v) => set('routeId', v)} />
              <NumberInput label={t('visits.plans.tolerance')} min={0} max={120} value={form.toleranceMinutes} error={err('toleranceMinutes')}
                onChange={(v) => set('toleranceMinutes', Number(v) || 0)} suffix={` ${t('visits.plans.minutesSuffix')}`} />
              <Checkbox mt={{ xs: 30 }} label={t('visits.plans.timeFixed')} checked={form.timeFixed} onChange={(e) => set('timeFixed', e.currentTarget.checked)} />
            </SimpleGrid>
            {err('form') && <Text size="sm" c="red.8" role="alert">{err('form')}</Text>}
            {plan && <Text size="sm" c="dimmed">{t('visits.plans.changeHint')}</Text>}
          </Stack>
        ) : (
          <Stack>
            <Radio.Group label={t('visits.move.reason')} value={reason} onChange={(v) => setReason(v as Reason)} withAsterisk>
              <Stack gap="xs" mt={6}>{reasons.map((r) => <Radio key={r} value={r} label={t(`visits.reasons.${r}`)} />)}</Stack>
            </Radio.Group>
            {reason === 'customer_request' ? (
              <Select label={t('visits.move.contact')} placeholder={t('visits.move.contactPlaceholder')} withAsterisk value={contactId} error={err('contactId')}
                onChange={(v) => { setContactId(v); setErrors((x) => ({ ...x, contactId: '' })); }} description={t('visits.move.appliesAtOnce')}
                data={(contacts.data?.items ?? []).map((c) => ({ value: c.id, label: c.title ? `${n.primary(c)} · ${c.title}` : n.primary(c) }))} nothingFoundMessage={t('visits.move.noContacts')} />
            ) : (
              <>
                <Textarea label={t('visits.move.note')} withAsterisk autosize minRows={2} maxLength={2000} value={note} error={err('note')}
                  onChange={(e) => { setNote(e.currentTarget.value); setErrors((x) => ({ ...x, note: '' })); }} />
                <Alert color="orange" variant="light" icon={<IconInfoCircle size={18} />}>{t('visits.move.needsApproval')}</Alert>
              </>
            )}
          </Stack>
        )}
        <Group justify="flex-end" mt="md">
          {step === 'reason' ? <Button variant="default" onClick={() => setStep('fields')}>{t('visits.plans.back')}</Button> : <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>}
          <Button type="submit" loading={create.isPending || change.isPending}>
            {!plan ? t('visits.plans.create') : step === 'fields' ? t('visits.plans.next') : reason === 'customer_request' ? t('visits.plans.applyChange') : t('visits.move.submitForApproval')}
          </Button>
        </Group>
      </form>
    </Modal>
  );
}
