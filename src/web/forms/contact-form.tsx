import { Input, SegmentedControl, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiWithEtag, etagOf } from '../api/client.js';
import type { Contact } from '../api/types.js';
import { AccountPicker } from './account-picker.js';
import { ConfirmDelete, FormActions, FormModal, FormProblem, orNull, useFormProblem, WithEditable } from './kit.js';
import { useRules } from './rules.js';

export const decisionRoles = ['decision_maker', 'influencer', 'buyer', 'user', 'gatekeeper', 'champion'] as const;
const channels = ['phone', 'wechat', 'email', 'visit', 'sms'] as const;

type Values = {
  accountId: string | null; name: string; nameEn: string; title: string; decisionRole: string; influence: string;
  birthday: string; preferredChannel: string; phone: string; email: string; notes: string;
};

const valuesOf = (c: Contact | null, accountId: string | null): Values => ({
  accountId: c?.accountId ?? accountId, name: c?.name ?? '', nameEn: c?.nameEn ?? '', title: c?.title ?? '', decisionRole: c?.decisionRole ?? 'user',
  influence: String(c?.influence ?? 3), birthday: c?.birthday ?? '', preferredChannel: c?.preferredChannel ?? 'phone', phone: c?.phone ?? '',
  email: c?.email ?? '', notes: c?.notes ?? '',
});

function invalidateContacts(qc: ReturnType<typeof useQueryClient>) {
  void qc.invalidateQueries({ queryKey: ['contacts'] });
  void qc.invalidateQueries({ queryKey: ['account-audit'] });
  void qc.invalidateQueries({ queryKey: ['home'] });
}

function ContactForm({ contact, etag, accountId, reload, onDone }: {
  contact: Contact | null; etag: string | null; accountId: string | null; reload: () => Promise<{ data: Contact; etag: string | null } | undefined>; onDone: () => void;
}) {
  const { t } = useTranslation();
  const r = useRules();
  const qc = useQueryClient();
  const influenceId = useId();
  const { problem, onError, clear } = useFormProblem();
  const [ifMatch, setIfMatch] = useState(etag);
  const [reloading, setReloading] = useState(false);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(contact, accountId),
    validate: {
      accountId: r.chosen,
      name: r.required(120), nameEn: r.optional(120), title: r.optional(120),
      influence: (v) => r.intRange(1, 5)(Number(v)),
      birthday: r.isoDate, phone: r.optional(40), email: r.email,
      notes: (v) => (v.length > 5000 ? r.t('errors.field.maxLength', { max: 5000 }) : null),
    },
  });
  const save = useMutation({
    mutationFn: async (v: Values) => {
      const body = {
        name: v.name.trim(), nameEn: orNull(v.nameEn), title: orNull(v.title), decisionRole: v.decisionRole, influence: Number(v.influence),
        birthday: v.birthday || null, preferredChannel: v.preferredChannel, phone: orNull(v.phone), email: orNull(v.email), notes: v.notes.trim() === '' ? null : v.notes,
      };
      if (!contact) return api<Contact>('/contacts', { method: 'POST', body: { accountId: v.accountId, ...body } });
      const res = await apiWithEtag<Contact>(`/contacts/${contact.id}`, { method: 'PATCH', headers: { 'if-match': ifMatch ?? '' }, body });
      setIfMatch(res.etag);
      return res.data;
    },
    onSuccess: () => { invalidateContacts(qc); notifications.show({ color: 'teal', message: t('forms.saved') }); onDone(); },
    onError: (err) => onError(err, form),
  });
  const doReload = async () => {
    setReloading(true);
    try {
      const fresh = await reload();
      if (fresh) { setIfMatch(fresh.etag); form.setValues(valuesOf(fresh.data, accountId)); form.resetDirty(); clear(); }
    } finally { setReloading(false); }
  };
  return (
    <form onSubmit={form.onSubmit((v) => { clear(); save.mutate(v); })} noValidate data-testid="contact-form">
      <Stack gap="sm">
        {!contact && !accountId && (
          <AccountPicker label={t('contactForm.account')} required value={form.values.accountId} onChange={(v) => form.setFieldValue('accountId', v)} error={form.errors.accountId} />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
          <TextInput label={t('contactForm.name')} required {...form.getInputProps('name')} />
          <TextInput label={t('contactForm.nameEn')} {...form.getInputProps('nameEn')} />
          <TextInput label={t('contactForm.title')} {...form.getInputProps('title')} />
          <Select label={t('contactForm.decisionRole')} allowDeselect={false} data={decisionRoles.map((x) => ({ value: x, label: t(`decisionRoles.${x}`) }))} {...form.getInputProps('decisionRole')} />
        </SimpleGrid>
        <Input.Wrapper label={t('contactForm.influence')} description={t('contactForm.influenceHint')} id={influenceId} error={form.errors.influence}>
          <SegmentedControl fullWidth aria-labelledby={`${influenceId}-label`} data={['1', '2', '3', '4', '5']} {...form.getInputProps('influence')} />
        </Input.Wrapper>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
          <TextInput label={t('contactForm.phone')} type="tel" inputMode="tel" autoComplete="off" {...form.getInputProps('phone')} />
          <TextInput label={t('contactForm.email')} type="email" inputMode="email" autoComplete="off" {...form.getInputProps('email')} />
          <Select label={t('contactForm.channel')} allowDeselect={false} data={channels.map((x) => ({ value: x, label: t(`channels.${x}`) }))} {...form.getInputProps('preferredChannel')} />
          <TextInput label={t('contactForm.birthday')} type="date" {...form.getInputProps('birthday')} />
        </SimpleGrid>
        <Textarea label={t('contactForm.notes')} autosize minRows={2} maxRows={6} {...form.getInputProps('notes')} />
        <FormProblem problem={problem} onReload={() => void doReload()} reloading={reloading} />
        <FormActions onCancel={onDone} loading={save.isPending} />
      </Stack>
    </form>
  );
}

/** Add a contact (at `accountId`, or at an account picked in the form) or edit one. */
export function ContactFormModal({ opened, onClose, contact, accountId }: { opened: boolean; onClose: () => void; contact?: Contact | null; accountId?: string }) {
  const { t } = useTranslation();
  return (
    <FormModal opened={opened} onClose={onClose} title={contact ? t('contactForm.editTitle') : t('contactForm.newTitle')} testId="contact-modal">
      <WithEditable<Contact> path={contact ? `/contacts/${contact.id}` : null}>
        {(rec, reload) => <ContactForm contact={rec?.data ?? null} etag={rec?.etag ?? null} accountId={accountId ?? null} reload={reload} onDone={onClose} />}
      </WithEditable>
    </FormModal>
  );
}

export function DeleteContact({ contact, onClose }: { contact: Contact | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return (
    <ConfirmDelete opened={!!contact} onClose={onClose} title={t('contactForm.deleteTitle')} message={t('contactForm.deleteBody', { name: contact?.name ?? '' })}
      onConfirm={() => api(`/contacts/${contact!.id}`, { method: 'DELETE', headers: { 'if-match': etagOf(contact!) } })} onDeleted={() => invalidateContacts(qc)} />
  );
}
