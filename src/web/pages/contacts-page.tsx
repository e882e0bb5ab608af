import { Anchor, Badge, Button, Card, Group, Progress, Select, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { ContactFormModal, DeleteContact } from '../forms/contact-form.js';
import { capabilities, useSession } from '../session.js';
import { RowActions } from '../forms/kit.js';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client.js';
import { usePaged } from '../api/queries.js';
import type { Account, Contact } from '../api/types.js';
import { useFormat } from '../format.js';
import { useNames } from '../names.js';
import { AccountName } from '../ui/account-name.js';
import { PageHeader } from '../ui/page-header.js';
import { Empty, ErrorState, Loading } from '../ui/states.js';

const roles = ['decision_maker', 'influencer', 'buyer', 'user', 'gatekeeper', 'champion'];

export function ContactsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const { me } = useSession();
  const canWrite = capabilities(me?.role).contactWrite;
  const [editing, setEditing] = useState<Contact | null>(null);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Contact | null>(null);
  const [q, setQ] = useState('');
  const [role, setRole] = useState<string | null>(null);
  const [month, setMonth] = useState<string | null>(null);
  const [dq] = useDebouncedValue(q, 300);
  const list = usePaged<Contact>('contacts', '/contacts', { q: dq.trim(), decisionRole: role, birthdayMonth: month, limit: 50, sort: 'name' });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const accountIds = [...new Set(rows.map((c) => c.accountId))];
  // Account names for the rows shown (cached per account, shared with the account pages).
  const accounts = useQueries({ queries: accountIds.map((id) => ({ queryKey: ['account', id], queryFn: () => api<Account>(`/accounts/${id}`), staleTime: 60_000 })) });
  const accountOf = (id: string) => accounts[accountIds.indexOf(id)]?.data;
  const monthName = new Intl.DateTimeFormat(f.locale, { month: 'long', timeZone: 'UTC' });

  return (
    <>
      <PageHeader title={t('contacts.title')} subtitle={t('contacts.subtitle')}
        actions={canWrite ? <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>{t('contactForm.add')}</Button> : undefined} />
      {canWrite && <>
        <ContactFormModal opened={adding || !!editing} onClose={() => { setAdding(false); setEditing(null); }} contact={editing} />
        <DeleteContact contact={deleting} onClose={() => setDeleting(null)} />
      </>}
      <Card padding="sm" mb="md">
        <Group gap="sm" align="flex-end">
          <TextInput style={{ flex: '1 1 220px' }} label={t('contacts.search')} leftSection={<IconSearch size={16} />} value={q} onChange={(e) => setQ(e.currentTarget.value)} type="search" />
          <Select w={{ base: '47%', sm: 180 }} label={t('contacts.role')} placeholder={t('common.all')} clearable value={role} onChange={setRole} data={roles.map((r) => ({ value: r, label: t(`decisionRoles.${r}`) }))} />
          <Select w={{ base: '47%', sm: 160 }} label={t('contacts.birthdayMonth')} placeholder={t('common.all')} clearable value={month} onChange={setMonth}
            data={Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1), label: monthName.format(new Date(Date.UTC(2000, i, 1))) }))} />
        </Group>
      </Card>
      {list.isPending && <Loading />}
      {list.isError && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.isSuccess && rows.length === 0 && <Card><Empty title={t('contacts.empty')}>{t('contacts.emptyBody')}</Empty></Card>}
      {rows.length > 0 && (
        <Card padding={0}>
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead><Table.Tr>
                <Table.Th>{t('contacts.name')}</Table.Th><Table.Th>{t('contacts.account')}</Table.Th><Table.Th>{t('contacts.role')}</Table.Th>
                <Table.Th>{t('contacts.influence')}</Table.Th><Table.Th>{t('contacts.reach')}</Table.Th><Table.Th>{t('contacts.birthday')}</Table.Th>
                {canWrite && <Table.Th><span className="visually-hidden">{t('common.actions')}</span></Table.Th>}
              </Table.Tr></Table.Thead>
              <Table.Tbody>
                {rows.map((c) => {
                  const acc = accountOf(c.accountId);
                  return (
                    <Table.Tr key={c.id}>
                      <Table.Td><Text size="sm" fw={600}><AccountName account={c} secondary /></Text><Text size="xs" c="dimmed">{c.title ?? ''}</Text></Table.Td>
                      <Table.Td><Anchor component={Link} to={`/accounts/${c.accountId}?tab=contacts`} size="sm">{acc ? n.primary(acc) : '…'}</Anchor></Table.Td>
                      <Table.Td><Badge variant="light" size="sm">{t(`decisionRoles.${c.decisionRole}`)}</Badge></Table.Td>
                      <Table.Td><Group gap={6} wrap="nowrap"><Progress value={c.influence * 20} size="sm" w={56} aria-label={t('contacts.influenceValue', { value: c.influence })} /><Text size="xs" c="dimmed">{c.influence}/5</Text></Group></Table.Td>
                      <Table.Td><Text size="sm">{t(`channels.${c.preferredChannel}`)}</Text><Text size="xs" c="dimmed">{c.phone ?? c.email ?? ''}</Text></Table.Td>
                      <Table.Td><Text size="sm">{c.birthday ? f.monthDay(c.birthday) : '—'}</Text></Table.Td>
                      {canWrite && <Table.Td><RowActions name={c.name} onEdit={() => setEditing(c)} onDelete={() => setDeleting(c)} /></Table.Td>}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      {list.hasNextPage && <Group justify="center" mt="md"><Button variant="light" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>{t('common.showMore')}</Button></Group>}
    </>
  );
}
