import { Select, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import { useStaff } from '../api/queries.js';
import type { Account } from '../api/types.js';
import { ConfirmDelete, FormActions, FormModal, FormProblem, useFormProblem } from './kit.js';
import { useRules } from './rules.js';

const teamRoles = ['support', 'logistics', 'technical', 'executive_sponsor', 'owner'] as const;

function onAccount(qc: ReturnType<typeof useQueryClient>, a: Account) {
  qc.setQueryData(['account', a.id], a);
  void qc.invalidateQueries({ queryKey: ['accounts'] });
  void qc.invalidateQueries({ queryKey: ['account-audit'] });
}

function TeamMemberForm({ account, onDone }: { account: Account; onDone: () => void }) {
  const { t } = useTranslation();
  const r = useRules();
  const qc = useQueryClient();
  const staff = useStaff();
  const { problem, onError, clear } = useFormProblem();
  const form = useForm<{ userId: string | null; role: string }>({ mode: 'controlled', initialValues: { userId: null, role: 'support' }, validate: { userId: r.chosen, role: r.chosen } });
  const onTeam = new Set(account.team.map((m) => m.userId));
  const people = (staff.data?.items ?? []).filter((u) => u.active && u.role !== 'dealer' && !onTeam.has(u.id) && u.id !== account.ownerId)
    .map((u) => ({ value: u.id, label: `${u.name} · ${t(`roles.${u.role}`)}` }));
  const save = useMutation({
    mutationFn: (v: { userId: string | null; role: string }) => api<Account>(`/accounts/${account.id}/team`, { method: 'PUT', body: v }),
    onSuccess: (a) => { onAccount(qc, a); notifications.show({ color: 'teal', message: t('forms.saved') }); onDone(); },
    onError: (err) => onError(err, form),
  });
  return (
    <form onSubmit={form.onSubmit((v) => { clear(); save.mutate(v); })} noValidate data-testid="team-member-form">
      <Stack gap="sm">
        <Select label={t('teamForm.person')} required searchable data={people} nothingFoundMessage={t('common.noMatches')} {...form.getInputProps('userId')} />
        <Select label={t('teamForm.role')} required allowDeselect={false} data={teamRoles.map((x) => ({ value: x, label: t(`teamRoles.${x}`) }))} {...form.getInputProps('role')} />
        <FormProblem problem={problem} />
        <FormActions onCancel={onDone} loading={save.isPending} submitLabel={t('teamForm.add')} />
      </Stack>
    </form>
  );
}

export function TeamMemberModal({ opened, onClose, account }: { opened: boolean; onClose: () => void; account: Account }) {
  const { t } = useTranslation();
  return <FormModal opened={opened} onClose={onClose} title={t('teamForm.title')} size="md"><TeamMemberForm account={account} onDone={onClose} /></FormModal>;
}

export function RemoveTeamMember({ account, member, onClose }: { account: Account; member: Account['team'][number] | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return (
    <ConfirmDelete opened={!!member} onClose={onClose} title={t('teamForm.removeTitle')} message={t('teamForm.removeBody', { name: member?.name ?? '' })}
      onConfirm={async () => onAccount(qc, await api<Account>(`/accounts/${account.id}/team/${member!.userId}`, { method: 'DELETE' }))} onDeleted={() => undefined} confirmLabel={t('teamForm.remove')} doneMessage={t('teamForm.removed')} />
  );
}
