import { Badge, Button, Card, Group, PasswordInput, Select, Stack, Switch, Table, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconSearch, IconUsers, IconUsersGroup } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, etagOf } from '../api/client.js';
import { AccountPicker } from '../forms/account-picker.js';
import { FormActions, FormModal, FormProblem, useFormProblem } from '../forms/kit.js';
import { usePaged, useTeams, useStaff, useTerritories } from '../api/queries.js';
import type { Role, Team, User } from '../api/types.js';
import { departments } from '../../modules/services/services.domain.js';
import { useFieldErrors } from '../ui/errors.js';
import { PageHeader } from '../ui/page-header.js';
import { Empty, ErrorState, Loading } from '../ui/states.js';

const roles: Role[] = ['admin', 'director', 'manager', 'logistics', 'executive', 'service', 'dealer'];
const roleColor: Record<Role, string> = { admin: 'red', director: 'grape', manager: 'blue', logistics: 'teal', executive: 'indigo', service: 'violet', dealer: 'gray' };

function UserForm({ user, onDone }: { user: User | null; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const teams = useTeams();
  const fieldErrors = useFieldErrors();
  const [form, setForm] = useState({ email: user?.email ?? '', name: user?.name ?? '', role: user?.role ?? 'manager', password: '', teamId: user?.teamId ?? null, accountId: user?.accountId ?? null as string | null, locale: user?.locale ?? 'zh-CN', active: user?.active ?? true, phone: user?.phone ?? '', department: user?.department ?? null as string | null });
  const { problem, onError: onProblem, clear } = useFormProblem();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: () => user
      ? api<User>(`/users/${user.id}`, { method: 'PATCH', headers: { 'if-match': etagOf(user) }, body: { name: form.name, role: form.role, teamId: form.teamId, active: form.active, accountId: form.role === 'dealer' ? form.accountId : null, phone: form.phone.trim() || null, department: form.role === 'dealer' ? null : form.department } })
      : api<User>('/users', { method: 'POST', body: { email: form.email, name: form.name, role: form.role, password: form.password, teamId: form.teamId, locale: form.locale, accountId: form.role === 'dealer' ? form.accountId : null, phone: form.phone.trim() || null, department: form.role === 'dealer' ? null : form.department } }),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: ['users'] }); void qc.invalidateQueries({ queryKey: ['teams'] }); notifications.show({ color: 'teal', message: t('users.saved') }); onDone(); },
    onError: (err) => { setErrors(fieldErrors(err)); onProblem(err); },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    clear();
    const local: Record<string, string> = {};
    if (!user && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim())) local.email = t('errors.field.email');
    if (!form.name.trim()) local.name = t('errors.field.required');
    if (!user && form.password.length < 10) local.password = t('errors.field.passwordLength');
    else if (!user && !form.password.trim()) local.password = t('errors.field.passwordBlank');
    if (form.role === 'dealer' && !form.accountId) local.accountId = t('errors.field.required');
    if (form.role === 'service' && !form.department) local.department = t('errors.field.required');
    setErrors(local);
    if (Object.keys(local).length === 0) save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label={t('users.email')} type="email" required disabled={!!user} value={form.email} error={errors.email} onChange={(e) => setForm({ ...form, email: e.currentTarget.value })} />
        <TextInput label={t('users.name')} required value={form.name} error={errors.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        <TextInput label={t('users.phone')} description={t('users.phoneHint')} type="tel" autoComplete="off" maxLength={40} value={form.phone} error={errors.phone} onChange={(e) => setForm({ ...form, phone: e.currentTarget.value })} />
        <Select label={t('users.role')} value={form.role} allowDeselect={false} error={errors.role} onChange={(v) => setForm({ ...form, role: (v ?? 'manager') as Role })} data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        <Select label={t('users.team')} clearable value={form.teamId} error={errors.teamId} onChange={(v) => setForm({ ...form, teamId: v })} data={(teams.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))} />
        {form.role !== 'dealer' && <Select label={t('users.department')} description={t('users.departmentHint')} clearable required={form.role === 'service'} value={form.department} error={errors.department} onChange={(v) => setForm({ ...form, department: v })} data={departments.map((d) => ({ value: d, label: t(`departments.${d}`) }))} />}
        {form.role === 'dealer' && <AccountPicker label={t('users.dealerAccount')} description={t('users.dealerAccountHint')} required value={form.accountId} error={errors.accountId} onChange={(v) => setForm({ ...form, accountId: v })} />}
        {!user && <PasswordInput label={t('users.initialPassword')} description={t('profile.passwordRule')} required value={form.password} error={errors.password} onChange={(e) => setForm({ ...form, password: e.currentTarget.value })} />}
        {!user && <Select label={t('profile.language')} value={form.locale} allowDeselect={false} onChange={(v) => setForm({ ...form, locale: (v ?? 'zh-CN') as 'en' | 'zh-CN' })} data={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'English' }]} />}
        {user && <Switch label={t('users.active')} checked={form.active} onChange={(e) => setForm({ ...form, active: e.currentTarget.checked })} />}
        <FormProblem problem={problem} onReload={() => { void qc.invalidateQueries({ queryKey: ['users'] }); onDone(); }} />
        <FormActions onCancel={onDone} loading={save.isPending} />
      </Stack>
    </form>
  );
}

function TeamForm({ team, onDone }: { team: Team | null; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const staff = useStaff();
  const territories = useTerritories();
  const fieldErrors = useFieldErrors();
  const [name, setName] = useState(team?.name ?? '');
  const [directorId, setDirectorId] = useState<string | null>(team?.directorId ?? null);
  const [territoryId, setTerritoryId] = useState<string | null>(team?.territoryId ?? null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { problem, onError: onProblem, clear } = useFormProblem();
  const save = useMutation({
    mutationFn: () => team
      ? api<Team>(`/teams/${team.id}`, { method: 'PATCH', headers: { 'if-match': etagOf(team) }, body: { name: name.trim(), directorId, territoryId } })
      : api<Team>('/teams', { method: 'POST', body: { name: name.trim(), directorId, territoryId } }),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: ['teams'] }); void qc.invalidateQueries({ queryKey: ['users'] }); notifications.show({ color: 'teal', message: t('users.saved') }); onDone(); },
    onError: (err) => { setErrors(fieldErrors(err)); onProblem(err); },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    clear();
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = t('errors.field.required');
    else if (name.trim().length > 100) local.name = t('errors.field.maxLength', { max: 100 });
    setErrors(local);
    if (!Object.keys(local).length) save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate data-testid="team-form">
      <Stack>
        <TextInput label={t('teams.name')} required value={name} error={errors.name} onChange={(e) => setName(e.currentTarget.value)} />
        <Select label={t('teams.director')} clearable searchable value={directorId} error={errors.directorId} onChange={setDirectorId}
          data={(staff.data?.items ?? []).filter((u) => u.role === 'director').map((u) => ({ value: u.id, label: u.name }))} />
        <Select label={t('teams.territory')} clearable value={territoryId} onChange={setTerritoryId}
          data={(territories.data?.items ?? []).map((x) => ({ value: x.id, label: i18n.language === 'en' ? x.name : x.nameZh }))} />
        <FormProblem problem={problem} onReload={() => { void qc.invalidateQueries({ queryKey: ['teams'] }); onDone(); }} />
        <FormActions onCancel={onDone} loading={save.isPending} />
      </Stack>
    </form>
  );
}

export function UsersPage() {
  const { t, i18n } = useTranslation();
  const [tab, setTab] = useState<string | null>('users');
  const [q, setQ] = useState('');
  const [role, setRole] = useState<string | null>(null);
  const [dq] = useDebouncedValue(q, 300);
  const users = usePaged<User>('users', '/users', { q: dq.trim(), role, limit: 100 });
  const teams = useTeams();
  const staff = useStaff();
  const territories = useTerritories();
  const [editing, setEditing] = useState<User | null>(null);
  const [userOpen, userModal] = useDisclosure(false);
  const [teamOpen, teamModal] = useDisclosure(false);
  const [editingTeam, setEditingTeam] = useState<Team | null>(null);
  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];
  const teamName = (id: string | null) => teams.data?.items.find((x) => x.id === id)?.name ?? '—';
  const userName = (id: string | null) => staff.data?.items.find((x) => x.id === id)?.name ?? '—';
  const territoryName = (id: string | null) => { const x = territories.data?.items.find((y) => y.id === id); return x ? (i18n.language === 'en' ? x.name : x.nameZh) : '—'; };

  return (
    <>
      <PageHeader title={t('users.title')} subtitle={t('users.subtitle')}
        actions={tab === 'users'
          ? <Button leftSection={<IconPlus size={16} />} onClick={() => { setEditing(null); userModal.open(); }}>{t('users.create')}</Button>
          : <Button leftSection={<IconPlus size={16} />} onClick={() => { setEditingTeam(null); teamModal.open(); }}>{t('teams.create')}</Button>} />
      <Tabs value={tab} onChange={setTab}>
        <Tabs.List mb="md">
          <Tabs.Tab value="users" leftSection={<IconUsers size={16} />}>{t('users.tab')}</Tabs.Tab>
          <Tabs.Tab value="teams" leftSection={<IconUsersGroup size={16} />}>{t('teams.tab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="users">
          <Card padding="sm" mb="md">
            <Group gap="sm" align="flex-end">
              <TextInput style={{ flex: '1 1 220px' }} label={t('users.search')} leftSection={<IconSearch size={16} />} value={q} onChange={(e) => setQ(e.currentTarget.value)} type="search" />
              <Select w={{ base: '100%', sm: 180 }} label={t('users.role')} placeholder={t('common.all')} clearable value={role} onChange={setRole} data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
            </Group>
          </Card>
          {users.isPending && <Loading />}
          {users.isError && <ErrorState error={users.error} onRetry={() => void users.refetch()} />}
          {users.isSuccess && rows.length === 0 && <Card><Empty title={t('users.empty')} /></Card>}
          {rows.length > 0 && (
            <Card padding={0}>
              <Table.ScrollContainer minWidth={680}>
                <Table verticalSpacing="sm" horizontalSpacing="md">
                  <Table.Thead><Table.Tr><Table.Th>{t('users.name')}</Table.Th><Table.Th>{t('users.role')}</Table.Th><Table.Th>{t('users.team')}</Table.Th><Table.Th>{t('users.status')}</Table.Th><Table.Th><span className="visually-hidden">{t('common.actions')}</span></Table.Th></Table.Tr></Table.Thead>
                  <Table.Tbody>
                    {rows.map((u) => (
                      <Table.Tr key={u.id}>
                        <Table.Td><Text size="sm" fw={600}>{u.name}</Text><Text size="xs" c="dimmed">{u.email}</Text></Table.Td>
                        <Table.Td><Badge color={roleColor[u.role]} variant="light">{t(`roles.${u.role}`)}</Badge></Table.Td>
                        <Table.Td><Text size="sm">{teamName(u.teamId)}</Text></Table.Td>
                        <Table.Td>{u.active ? <Badge color="teal" variant="dot">{t('users.active')}</Badge> : <Badge color="gray" variant="dot">{t('users.inactive')}</Badge>}</Table.Td>
                        <Table.Td ta="right"><Button size="compact-sm" variant="subtle" onClick={() => { setEditing(u); userModal.open(); }} aria-label={t('users.editNamed', { name: u.name })}>{t('common.edit')}</Button></Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
          )}
          {users.hasNextPage && <Group justify="center" mt="md"><Button variant="light" onClick={() => void users.fetchNextPage()}>{t('common.showMore')}</Button></Group>}
        </Tabs.Panel>
        <Tabs.Panel value="teams">
          {teams.isPending && <Loading />}
          {teams.isError && <ErrorState error={teams.error} />}
          {teams.data && teams.data.items.length === 0 && <Card><Empty title={t('teams.empty')} /></Card>}
          {teams.data && teams.data.items.length > 0 && (
            <Card padding={0}>
              <Table.ScrollContainer minWidth={520}>
                <Table verticalSpacing="sm" horizontalSpacing="md">
                  <Table.Thead><Table.Tr><Table.Th>{t('teams.name')}</Table.Th><Table.Th>{t('teams.director')}</Table.Th><Table.Th>{t('teams.territory')}</Table.Th><Table.Th>{t('teams.members')}</Table.Th><Table.Th><span className="visually-hidden">{t('common.actions')}</span></Table.Th></Table.Tr></Table.Thead>
                  <Table.Tbody>
                    {teams.data.items.map((x) => (
                      <Table.Tr key={x.id}><Table.Td><Text size="sm" fw={600}>{x.name}</Text></Table.Td><Table.Td>{userName(x.directorId)}</Table.Td><Table.Td>{territoryName(x.territoryId)}</Table.Td><Table.Td>{x.memberCount}</Table.Td>
                        <Table.Td ta="right"><Button size="compact-sm" variant="subtle" onClick={() => { setEditingTeam(x); teamModal.open(); }} aria-label={t('teams.editNamed', { name: x.name })}>{t('common.edit')}</Button></Table.Td></Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
          )}
        </Tabs.Panel>
      </Tabs>
      <FormModal opened={userOpen} onClose={userModal.close} title={editing ? t('users.edit') : t('users.create')} size="md">
        <UserForm user={editing} onDone={userModal.close} />
      </FormModal>
      <FormModal opened={teamOpen} onClose={teamModal.close} title={editingTeam ? t('teams.edit') : t('teams.create')} size="md">
        <TeamForm team={editingTeam} onDone={teamModal.close} />
      </FormModal>
    </>
  );
}
