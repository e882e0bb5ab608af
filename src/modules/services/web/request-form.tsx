/** "New request" (staff, for an account) and "Ask for help" (a dealer, for its own company): what it is about, priority, subject, details. */
import { Input, SegmentedControl, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { FormActions, FormModal, FormProblem, useFormProblem } from '../../../web/forms/kit.js';
import { useRules } from '../../../web/forms/rules.js';
import { priorities, requestTypes, type Priority, type RequestType } from '../services.domain.js';
import { post, useServicesWrite, type OpenRequest, type ServiceRequestDetail } from './services-api.js';

type Values = { type: RequestType | null; serviceKindId: string | null; priority: Priority; subject: string; body: string };

/** A service the request may ask for: its id and its name in the reader's language (with what is left, where known). */
export type ServiceOption = { value: string; label: string };

function RequestForm({ accountId, services, onDone, onCreated, portal }: {
  accountId: string | null; services: ServiceOption[]; onDone: () => void; onCreated: (r: ServiceRequestDetail) => void; portal: boolean;
}) {
  const { t } = useTranslation();
  const r = useRules();
  const priorityId = useId();
  const { problem, onError, clear } = useFormProblem();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { type: null, serviceKindId: null, priority: 'normal', subject: '', body: '' },
    validate: {
      type: (v) => (v ? null : t('errors.field.required')),
      serviceKindId: (v, all) => (all.type === 'service' && !v ? t('errors.field.required') : null),
      subject: (v) => (v.trim().length < 3 ? t('services.form.subjectShort') : r.required(200)(v)),
      body: r.required(10_000),
    },
  });
  const save = useServicesWrite((v: Values) => {
    const body: OpenRequest = {
      ...(accountId ? { accountId } : {}), type: v.type!, serviceKindId: v.type === 'service' ? v.serviceKindId : null,
      priority: v.priority, subject: v.subject.trim(), body: v.body.trim(),
    };
    return post<ServiceRequestDetail>('/service-requests', body);
  });
  const submit = form.onSubmit((v) => {
    clear();
    save.mutate(v, {
      onSuccess: (created) => { notifications.show({ color: 'teal', message: t('services.form.opened', { number: created.number }) }); onCreated(created); onDone(); },
      onError: (err) => onError(err, form),
    });
  });
  const typeOptions = requestTypes.filter((x) => x !== 'service' || services.length > 0).map((x) => ({ value: x, label: t(portal ? `services.typePortal.${x}` : `services.type.${x}`) }));
  return (
    <form onSubmit={submit} noValidate data-testid="request-form">
      <Stack gap="sm">
        <Select label={t(portal ? 'services.form.about' : 'services.form.type')} required allowDeselect={false} data={typeOptions} comboboxProps={{ withinPortal: true }}
          {...form.getInputProps('type')} data-testid="request-type" />
        {form.values.type === 'service' && (
          <Select label={t('services.form.service')} required allowDeselect={false} data={services} searchable {...form.getInputProps('serviceKindId')} data-testid="request-service" />
        )}
        <Input.Wrapper label={t('services.form.priority')} id={priorityId}>
          <SegmentedControl fullWidth aria-labelledby={`${priorityId}-label`} data={priorities.map((p) => ({ value: p, label: t(`services.priority.${p}`) }))}
            value={form.values.priority} onChange={(v) => form.setFieldValue('priority', v as Priority)} />
        </Input.Wrapper>
        <TextInput label={t('services.form.subject')} required maxLength={200} {...form.getInputProps('subject')} data-testid="request-subject" />
        <Textarea label={t(portal ? 'services.form.detailsPortal' : 'services.form.details')} required autosize minRows={4} maxRows={12} {...form.getInputProps('body')} data-testid="request-body" />
        <FormProblem problem={problem} />
        <FormActions onCancel={onDone} loading={save.isPending} submitLabel={t(portal ? 'services.form.send' : 'services.form.open')} />
      </Stack>
    </form>
  );
}

export function RequestFormModal({ opened, onClose, accountId, services, onCreated = () => undefined, portal = false }: {
  opened: boolean; onClose: () => void; accountId: string | null; services: ServiceOption[]; onCreated?: (r: ServiceRequestDetail) => void; portal?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <FormModal opened={opened} onClose={onClose} title={t(portal ? 'services.portal.askTitle' : 'services.form.newTitle')} testId="request-modal">
      <RequestForm accountId={accountId} services={services} onDone={onClose} onCreated={onCreated} portal={portal} />
    </FormModal>
  );
}
