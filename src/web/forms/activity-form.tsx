import { Input, NumberInput, SegmentedControl, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiWithEtag, etagOf } from '../api/client.js';
import type { Activity } from '../api/types.js';
import { useSession } from '../session.js';
import { localToUtc, utcToLocal } from '../time.js';
import { ConfirmDelete, FormActions, FormModal, FormProblem, useFormProblem, WithEditable } from './kit.js';
import { useRules } from './rules.js';

const kinds = ['visit', 'call', 'meeting', 'event'] as const;

type Values = { kind: string; startsAt: string; durationMinutes: number | string; subject: string; notes: string };

/** Now, on the quarter hour, on the user's wall clock. */
function nowLocal(timeZone: string): string {
  const q = 15 * 60_000;
  return utcToLocal(new Date(Math.floor(Date.now() / q) * q).toISOString(), timeZone);
}

const valuesOf = (a: Activity | null, timeZone: string): Values => ({
  kind: a?.kind ?? 'visit', startsAt: a ? utcToLocal(a.startsAt, timeZone) : nowLocal(timeZone), durationMinutes: a?.durationMinutes ?? 60,
  subject: a?.subject ?? '', notes: a?.notes ?? '',
});

function invalidateActivities(qc: ReturnType<typeof useQueryClient>) {
  void qc.invalidateQueries({ queryKey: ['activities'] });
  void qc.invalidateQueries({ queryKey: ['account-audit'] });
  void qc.invalidateQueries({ queryKey: ['home'] });
}

function ActivityForm({ activity, etag, accountId, reload, onDone }: {
  activity: Activity | null; etag: string | null; accountId: string; reload: () => Promise<{ data: Activity; etag: string | null } | undefined>; onDone: () => void;
}) {
  const { t } = useTranslation();
  const { me } = useSession();
  const timeZone = me?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const r = useRules();
  const qc = useQueryClient();
  const kindId = useId();
  const { problem, onError, clear } = useFormProblem();
  const [ifMatch, setIfMatch] = useState(etag);
  const [reloading, setReloading] = useState(false);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(activity, timeZone),
    validate: {
      kind: r.chosen,
      startsAt: (v) => (!v ? r.t('errors.field.required') : localToUtc(v, timeZone) ? null : r.t('errors.field.dateTime')),
      durationMinutes: r.intRange(0, 24 * 60),
      subject: r.required(200),
      notes: (v) => (v.length > 10_000 ? r.t('errors.field.maxLength', { max: 10_000 }) : null),
    },
  });
  const save = useMutation({
    mutationFn: async (v: Values) => {
      const body = { kind: v.kind, startsAt: localToUtc(v.startsAt, timeZone), durationMinutes: Number(v.durationMinutes), subject: v.subject.trim(), notes: v.notes.trim() === '' ? null : v.notes };
      if (!activity) return api<Activity>('/activities', { method: 'POST', body: { accountId, ...body } });
      const res = await apiWithEtag<Activity>(`/activities/${activity.id}`, { method: 'PATCH', headers: { 'if-match': ifMatch ?? '' }, body });
      setIfMatch(res.etag);
      return res.data;
    },
    onSuccess: () => { invalidateActivities(qc); notifications.show({ color: 'teal', message: t('forms.saved') }); onDone(); },
    onError: (err) => onError(err, form),
  });
  const doReload = async () => {
    setReloading(true);
    try {
      const fresh = await reload();
      if (fresh) { setIfMatch(fresh.etag); form.setValues(valuesOf(fresh.data, timeZone)); form.resetDirty(); clear(); }
    } finally { setReloading(false); }
  };
  return (
    <form onSubmit={form.onSubmit((v) => { clear(); save.mutate(v); })} noValidate data-testid="activity-form">
      <Stack gap="sm">
        <Input.Wrapper label={t('activityForm.kind')} id={kindId} error={form.errors.kind}>
          <SegmentedControl fullWidth aria-labelledby={`${kindId}-label`} data={kinds.map((k) => ({ value: k, label: t(`activityKinds.${k}`) }))} {...form.getInputProps('kind')} />
        </Input.Wrapper>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
          <TextInput label={t('activityForm.startsAt')} description={t('activityForm.timeZone', { zone: timeZone })} type="datetime-local" required {...form.getInputProps('startsAt')} />
          <NumberInput label={t('activityForm.duration')} description={t('activityForm.durationHint')} min={0} max={1440} step={15} allowDecimal={false} allowNegative={false} {...form.getInputProps('durationMinutes')} />
        </SimpleGrid>
        <TextInput label={t('activityForm.subject')} required {...form.getInputProps('subject')} />
        <Textarea label={t('activityForm.notes')} autosize minRows={3} maxRows={8} {...form.getInputProps('notes')} />
        <FormProblem problem={problem} onReload={() => void doReload()} reloading={reloading} />
        <FormActions onCancel={onDone} loading={save.isPending} submitLabel={activity ? t('common.save') : t('activityForm.log')} />
      </Stack>
    </form>
  );
}

export function ActivityFormModal({ opened, onClose, activity, accountId }: { opened: boolean; onClose: () => void; activity?: Activity | null; accountId: string }) {
  const { t } = useTranslation();
  return (
    <FormModal opened={opened} onClose={onClose} title={activity ? t('activityForm.editTitle') : t('activityForm.newTitle')} testId="activity-modal">
      <WithEditable<Activity> path={activity ? `/activities/${activity.id}` : null}>
        {(rec, reload) => <ActivityForm activity={rec?.data ?? null} etag={rec?.etag ?? null} accountId={accountId} reload={reload} onDone={onClose} />}
      </WithEditable>
    </FormModal>
  );
}

export function DeleteActivity({ activity, onClose }: { activity: Activity | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return (
    <ConfirmDelete opened={!!activity} onClose={onClose} title={t('activityForm.deleteTitle')} message={t('activityForm.deleteBody', { subject: activity?.subject ?? '' })}
      onConfirm={() => api(`/activities/${activity!.id}`, { method: 'DELETE', headers: { 'if-match': etagOf(activity!) } })} onDeleted={() => invalidateActivities(qc)} />
  );
}
