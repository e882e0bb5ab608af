import { ActionIcon, Badge, Button, Card, Checkbox, Group, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Task } from '../tasks.contract.js';
import { api, etagOf } from '../../../web/api/client.js';
import { usePaged, useStaff } from '../../../web/api/queries.js';
import { useFormat } from '../../../web/format.js';
import { ConfirmDelete, FormActions, FormModal, FormProblem, useFormProblem } from '../../../web/forms/kit.js';
import { useRules } from '../../../web/forms/rules.js';
import { capabilities, useSession } from '../../../web/session.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { useProblemText } from '../../../web/ui/errors.js';

/** Today on the user's calendar, YYYY-MM-DD. */
const todayIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

function invalidate(qc: ReturnType<typeof useQueryClient>) {
  for (const key of ['tasks', 'account-facts', 'account-timeline', 'my-day', 'account-audit']) void qc.invalidateQueries({ queryKey: [key] });
}

type Values = { title: string; assigneeId: string; dueDate: string; notes: string };

function TaskForm({ accountId, onDone }: { accountId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const r = useRules();
  const qc = useQueryClient();
  const staff = useStaff();
  const { problem, onError, clear } = useFormProblem();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { title: '', assigneeId: me?.id ?? '', dueDate: todayIn(me?.timeZone ?? 'UTC'), notes: '' },
    validate: { title: r.required(200), assigneeId: r.chosen, notes: (v) => (v.length > 10_000 ? r.t('errors.field.maxLength', { max: 10_000 }) : null) },
  });
  const save = useMutation({
    mutationFn: (v: Values) => api<Task>('/tasks', { method: 'POST', body: { accountId, title: v.title.trim(), assigneeId: v.assigneeId, dueDate: v.dueDate || null, notes: v.notes.trim() || null } }),
    onSuccess: () => { invalidate(qc); notifications.show({ color: 'teal', message: t('tasks.added') }); onDone(); },
    onError: (err) => onError(err, form),
  });
  const people = (staff.data?.items ?? []).filter((u) => u.role !== 'dealer' && u.active).map((u) => ({ value: u.id, label: u.name }));
  return (
    <form onSubmit={form.onSubmit((v) => { clear(); save.mutate(v); })} noValidate data-testid="task-form">
      <Stack gap="sm">
        <TextInput label={t('tasks.title')} required data-autofocus {...form.getInputProps('title')} />
        <Group grow align="flex-start">
          <Select label={t('tasks.assignee')} data={people} searchable required {...form.getInputProps('assigneeId')} />
          <TextInput label={t('tasks.due')} type="date" {...form.getInputProps('dueDate')} />
        </Group>
        <Textarea label={t('tasks.notes')} autosize minRows={2} maxRows={6} {...form.getInputProps('notes')} />
        <FormProblem problem={problem} />
        <FormActions onCancel={onDone} loading={save.isPending} submitLabel={t('tasks.add')} />
      </Stack>
    </form>
  );
}

/** The account's tasks and next steps: add, assign, due date, done; overdue ones stand out. */
export function TasksTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { me } = useSession();
  const canWrite = capabilities(me?.role).activityWrite;
  const qc = useQueryClient();
  const staff = useStaff();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Task | null>(null);
  const [showDone, setShowDone] = useState(false);
  const problemText = useProblemText();
  const tasks = usePaged<Task>('tasks', '/tasks', { accountId, limit: 100, status: showDone ? undefined : 'open' });
  const toggle = useMutation({
    mutationFn: (task: Task) => api<Task>(`/tasks/${task.id}`, { method: 'PATCH', headers: { 'if-match': etagOf(task) }, body: { status: task.status === 'open' ? 'done' : 'open' } }),
    onSuccess: () => invalidate(qc),
    onError: (err) => notifications.show({ color: 'red', message: problemText(err) }),
  });
  const today = todayIn(me?.timeZone ?? 'UTC');
  const nameOf = (id: string) => staff.data?.items.find((u) => u.id === id)?.name ?? '—';
  if (tasks.isPending) return <Loading />;
  if (tasks.isError) return <ErrorState error={tasks.error} onRetry={() => void tasks.refetch()} />;
  const rows = tasks.data.pages.flatMap((p) => p.items)
    .sort((a, b) => (a.status === b.status ? 0 : a.status === 'open' ? -1 : 1) || (a.dueDate ?? '9').localeCompare(b.dueDate ?? '9'));
  return (
    <Card>
      <Group justify="space-between" mb="sm">
        <Checkbox label={t('tasks.showDone')} checked={showDone} onChange={(e) => setShowDone(e.currentTarget.checked)} />
        {canWrite && <Button size="sm" leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>{t('tasks.add')}</Button>}
      </Group>
      {rows.length === 0 ? <Empty title={t(showDone ? 'tasks.emptyAll' : 'tasks.empty')}>{canWrite ? t('tasks.emptyHint') : null}</Empty> : (
        <Stack gap={0}>
          {rows.map((task) => {
            const overdue = task.status === 'open' && task.dueDate !== null && task.dueDate < today;
            return (
              <Group key={task.id} wrap="nowrap" align="flex-start" py={8} gap="sm" data-testid="task-row" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
                <Checkbox mt={2} checked={task.status === 'done'} disabled={!canWrite || toggle.isPending} aria-label={t(task.status === 'done' ? 'tasks.reopen' : 'tasks.markDone', { title: task.title })}
                  onChange={() => toggle.mutate(task)} />
                <div style={{ flex: 1, minWidth: 0 }}>
                  <Text fw={600} size="sm" td={task.status === 'done' ? 'line-through' : undefined}>{task.title}</Text>
                  <Group gap={6} mt={2}>
                    {task.dueDate && <Badge size="sm" variant="light" color={overdue ? 'red' : task.dueDate === today ? 'orange' : 'gray'} tt="none">
                      {overdue ? t('tasks.overdueSince', { date: f.date(task.dueDate) }) : t('tasks.dueOn', { date: f.date(task.dueDate) })}
                    </Badge>}
                    <Text size="xs" c="dimmed">{nameOf(task.assigneeId)}</Text>
                  </Group>
                  {task.notes && <Text size="sm" mt={4} c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>{task.notes}</Text>}
                </div>
                {canWrite && <ActionIcon variant="subtle" color="gray" aria-label={t('tasks.delete', { title: task.title })} onClick={() => setDeleting(task)}><IconTrash size={16} /></ActionIcon>}
              </Group>
            );
          })}
        </Stack>
      )}
      {canWrite && <FormModal opened={adding} onClose={() => setAdding(false)} title={t('tasks.newTitle')} size="md" testId="task-modal"><TaskForm accountId={accountId} onDone={() => setAdding(false)} /></FormModal>}
      {canWrite && <ConfirmDelete opened={!!deleting} onClose={() => setDeleting(null)} title={t('tasks.deleteTitle')} message={t('tasks.deleteBody', { title: deleting?.title ?? '' })}
        onConfirm={() => api(`/tasks/${deleting!.id}`, { method: 'DELETE', headers: { 'if-match': etagOf(deleting!) } })} onDeleted={() => invalidate(qc)} />}
    </Card>
  );
}
