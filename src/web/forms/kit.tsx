import { ActionIcon, Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPencil, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiWithEtag } from '../api/client.js';
import { isStale, useFieldErrors, useProblemText } from '../ui/errors.js';
import { Loading, ErrorState } from '../ui/states.js';

/** True on a phone-sized screen: forms then take the whole screen. */
export const usePhone = () => useMediaQuery('(max-width: 48em)') ?? false;

/** A form's container: a centred dialog on a desk, the full screen on a phone. */
export function FormModal({ opened, onClose, title, children, size = 'lg', testId }: { opened: boolean; onClose: () => void; title: string; children: ReactNode; size?: string; testId?: string }) {
  const { t } = useTranslation();
  const phone = usePhone();
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700} size="lg" component="span">{title}</Text>} size={size} fullScreen={phone}
      radius={phone ? 0 : 'md'} transitionProps={{ transition: phone ? 'slide-up' : 'pop', duration: 150 }} closeButtonProps={{ 'aria-label': t('forms.close') }}
      data-testid={testId} keepMounted={false}>
      {opened && children}
    </Modal>
  );
}

export type Problem = { kind: 'stale' } | { kind: 'other'; text: string } | null;

type FormLike = { setErrors(errors: Record<string, ReactNode>): void };

/**
 * What went wrong with a save: field errors from the server (problem+json `errors[].path`, e.g.
 * `body.email`) go on the fields; a stale ETag (412) asks to reload; anything else is shown above the buttons.
 */
export function useFormProblem() {
  const fieldErrors = useFieldErrors();
  const problemText = useProblemText();
  const [problem, setProblem] = useState<Problem>(null);
  const onError = useCallback((err: unknown, form?: FormLike) => {
    if (isStale(err)) { setProblem({ kind: 'stale' }); return; }
    const fields = fieldErrors(err);
    if (form && Object.keys(fields).length) form.setErrors(fields);
    setProblem({ kind: 'other', text: problemText(err) });
  }, [fieldErrors, problemText]);
  return { problem, setProblem, onError, clear: () => setProblem(null) };
}

/** The problem of the last save, shown in the form. */
export function FormProblem({ problem, onReload, reloading }: { problem: Problem; onReload?: () => void; reloading?: boolean }) {
  const { t } = useTranslation();
  if (!problem) return null;
  if (problem.kind === 'stale') {
    return (
      <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={t('forms.staleTitle')} role="alert" data-testid="stale-alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{t('forms.staleBody')}</Text>
          {onReload && <Button size="xs" color="red.9" leftSection={<IconRefresh size={14} />} loading={reloading} onClick={onReload}>{t('forms.reload')}</Button>}
        </Stack>
      </Alert>
    );
  }
  return <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} role="alert"><Text size="sm">{problem.text}</Text></Alert>;
}

/** Cancel and save, full width on a phone. */
export function FormActions({ onCancel, loading, submitLabel, disabled }: { onCancel: () => void; loading?: boolean; submitLabel?: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const phone = usePhone();
  return (
    <Group justify="flex-end" mt="xs" grow={phone} wrap="nowrap">
      <Button variant="default" onClick={onCancel}>{t('common.cancel')}</Button>
      <Button type="submit" loading={loading} disabled={disabled}>{submitLabel ?? t('common.save')}</Button>
    </Group>
  );
}

/**
 * A record to edit, read fresh with its ETag (sent back as If-Match). `reload` fetches it again
 * after someone else changed it.
 */
export function useEditable<T>(path: string | null) {
  const q = useQuery({ queryKey: ['editable', path], queryFn: () => apiWithEtag<T>(path!), enabled: !!path, staleTime: 0, gcTime: 0, retry: false });
  return q;
}

/** Renders the children with a record loaded for editing (or at once, for a new record). */
export function WithEditable<T>({ path, children }: { path: string | null; children: (rec: { data: T; etag: string | null } | null, reload: () => Promise<{ data: T; etag: string | null } | undefined>) => ReactNode }) {
  const q = useEditable<T>(path);
  if (!path) return <>{children(null, async () => undefined)}</>;
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return <>{children(q.data, async () => (await q.refetch()).data)}</>;
}

/** A confirmation before deleting, with the server's answer (a stale record included) shown in place. */
export function ConfirmDelete({ opened, onClose, title, message, onConfirm, onDeleted, confirmLabel, doneMessage }: {
  opened: boolean; onClose: () => void; title: string; message: ReactNode; onConfirm: () => Promise<unknown>; onDeleted: () => void; confirmLabel?: string; doneMessage?: string;
}) {
  const { t } = useTranslation();
  const { problem, onError, clear } = useFormProblem();
  const [busy, setBusy] = useState(false);
  const close = () => { clear(); onClose(); };
  const run = async () => {
    setBusy(true);
    clear();
    try {
      await onConfirm();
      notifications.show({ color: 'teal', message: doneMessage ?? t('forms.deleted') });
      onDeleted();
      onClose();
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={700} component="span">{title}</Text>} size="sm" centered closeButtonProps={{ 'aria-label': t('common.cancel') }}>
      <Stack>
        <Text size="sm">{message}</Text>
        <FormProblem problem={problem} onReload={problem?.kind === 'stale' ? () => { onDeleted(); close(); } : undefined} />
        <Group justify="flex-end" wrap="nowrap">
          <Button variant="default" onClick={close}>{t('common.cancel')}</Button>
          <Button color="red" loading={busy} onClick={() => void run()} data-testid="confirm-delete">{confirmLabel ?? t('forms.delete')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Trimmed text, or null when empty (the contracts' nullable strings). */
export const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** Edit and delete buttons of one record (icon buttons named for screen readers). */
export function RowActions({ name, onEdit, onDelete }: { name: string; onEdit?: () => void; onDelete?: () => void }) {
  const { t } = useTranslation();
  return (
    <Group gap={2} wrap="nowrap">
      {onEdit && <ActionIcon variant="subtle" color="gray" size="lg" onClick={onEdit} aria-label={t('forms.editNamed', { name })} data-testid="edit-record"><IconPencil size={18} /></ActionIcon>}
      {onDelete && <ActionIcon variant="subtle" color="red" size="lg" onClick={onDelete} aria-label={t('forms.deleteNamed', { name })} data-testid="delete-record"><IconTrash size={18} /></ActionIcon>}
    </Group>
  );
}

