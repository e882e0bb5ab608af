import { Anchor, Button, Card, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { IconDownload, IconFileSpreadsheet, IconPlus, IconSearch } from '@tabler/icons-react';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { toQuery } from '../api/client.js';
import { usePaged, useStaff, useTerritories } from '../api/queries.js';
import type { Account } from '../api/types.js';
import { useFormat } from '../format.js';
import { useNames } from '../names.js';
import { provinces } from '../provinces.js';
import { StatusBadge, TierBadge } from '../ui/badges.js';
import { capabilities, useSession } from '../session.js';
import { PageHeader } from '../ui/page-header.js';
import { Empty, ErrorState, Loading } from '../ui/states.js';

// The form loads when it is first opened: most visits to the list create nothing.
const AccountFormModal = lazy(() => import('../forms/account-form.js').then((m) => ({ default: m.AccountFormModal })));

const sorts = ['name', '-updatedAt', 'code', '-createdAt'] as const;

export function AccountsPage() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const navigate = useNavigate();
  const phone = useMediaQuery('(max-width: 48em)');
  const [params, setParams] = useSearchParams();
  const { me } = useSession();
  const canCreate = capabilities(me?.role).accountWrite;
  const [creating, setCreating] = useState(false);
  const [q, setQ] = useState(params.get('q') ?? '');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const filters = {
    q: params.get('q') ?? '',
    tier: params.get('tier') ?? '',
    ownerId: params.get('ownerId') ?? '',
    territoryId: params.get('territoryId') ?? '',
    province: params.get('province') ?? '',
    sort: params.get('sort') ?? 'name',
  };
  const set = (key: keyof typeof filters, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value); else next.delete(key);
    setParams(next, { replace: true });
  };
  useEffect(() => { if (debouncedQ !== filters.q) set('q', debouncedQ.trim()); }, [debouncedQ]); // eslint-disable-line react-hooks/exhaustive-deps

  const list = usePaged<Account>('accounts', '/accounts', { ...filters, limit: 50 });
  const staff = useStaff();
  const territories = useTerritories();
  const owners = useMemo(() => (staff.data?.items ?? []).filter((u) => ['manager', 'director', 'admin'].includes(u.role) && u.active)
    .map((u) => ({ value: u.id, label: u.name })), [staff.data]);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const exportHref = (format: 'csv' | 'xlsx') => `/api/v1/accounts/export${toQuery({ ...filters, format })}`;

  const filterBar = (
    <Card padding="sm" mb="md">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput style={{ flex: '1 1 220px' }} label={t('accounts.search')} placeholder={t('accounts.searchPlaceholder')} leftSection={<IconSearch size={16} />} value={q} onChange={(e) => setQ(e.currentTarget.value)} type="search" />
        <Select w={{ base: '47%', sm: 120 }} label={t('accounts.tier')} placeholder={t('common.all')} clearable value={filters.tier || null} onChange={(v) => set('tier', v)}
          data={['A', 'B', 'C'].map((x) => ({ value: x, label: t(`tiers.${x}`) }))} />
        <Select w={{ base: '47%', sm: 170 }} label={t('accounts.owner')} placeholder={t('common.all')} clearable searchable value={filters.ownerId || null} onChange={(v) => set('ownerId', v)} data={owners} nothingFoundMessage={t('common.noMatches')} />
        <Select w={{ base: '47%', sm: 170 }} label={t('accounts.territory')} placeholder={t('common.all')} clearable value={filters.territoryId || null} onChange={(v) => set('territoryId', v)}
          data={(territories.data?.items ?? []).map((x) => ({ value: x.id, label: i18n.language === 'en' ? x.name : x.nameZh }))} />
        <Select w={{ base: '47%', sm: 170 }} label={t('accounts.province')} placeholder={t('common.all')} clearable searchable value={filters.province || null} onChange={(v) => set('province', v)}
          data={provinces.map((p) => ({ value: p.zh, label: i18n.language === 'en' ? p.en : p.zh }))} nothingFoundMessage={t('common.noMatches')} />
        <Select w={{ base: '100%', sm: 170 }} label={t('accounts.sort')} value={filters.sort} onChange={(v) => set('sort', v === 'name' ? null : v)} allowDeselect={false}
          data={sorts.map((s) => ({ value: s, label: t(`accounts.sorts.${s}`) }))} />
      </Group>
    </Card>
  );

  return (
    <>
      <PageHeader title={t('accounts.title')} subtitle={t('accounts.subtitle')}
        actions={<>
          {canCreate && <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>{t('accountForm.new')}</Button>}
          <Button component="a" href={exportHref('csv')} download variant="default" leftSection={<IconDownload size={16} />}>{t('accounts.exportCsv')}</Button>
          <Button component="a" href={exportHref('xlsx')} download variant="default" leftSection={<IconFileSpreadsheet size={16} />}>{t('accounts.exportXlsx')}</Button>
        </>} />
      {canCreate && creating && <Suspense fallback={null}><AccountFormModal opened onClose={() => setCreating(false)} /></Suspense>}
      {filterBar}
      {list.isPending && <Loading />}
      {list.isError && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.isSuccess && rows.length === 0 && (
        <Card><Empty title={t('accounts.empty')}>{Object.entries(filters).some(([k, v]) => k !== 'sort' && v) ? t('accounts.emptyFiltered') : t('accounts.emptyBody')}</Empty></Card>
      )}
      {rows.length > 0 && (phone ? (
        <Stack gap="xs" data-testid="accounts-list">
          {rows.map((a) => (
            <Card key={a.id} padding="sm" component={Link} to={`/accounts/${a.id}`} data-testid="account-row" style={{ textDecoration: 'none', color: 'inherit' }}>
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <div style={{ minWidth: 0 }}>
                  <Text fw={600} truncate>{n.primary(a)}</Text>
                  <Text size="xs" c="dimmed" truncate><span className="ok-code">{a.code}</span> · {n.place(a.province, a.city, ' ')}</Text>
                  {a.ownerName && <Text size="xs" c="dimmed">{t('accounts.owner')}: {a.ownerName}</Text>}
                </div>
                <Stack gap={4} align="flex-end"><TierBadge tier={a.tier} /><StatusBadge status={a.status} /></Stack>
              </Group>
            </Card>
          ))}
        </Stack>
      ) : (
        <Card padding={0}>
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="accounts-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('accounts.name')}</Table.Th>
                  <Table.Th>{t('accounts.tier')}</Table.Th>
                  <Table.Th>{t('accounts.status')}</Table.Th>
                  <Table.Th>{t('accounts.owner')}</Table.Th>
                  <Table.Th>{t('accounts.location')}</Table.Th>
                  <Table.Th>{t('accounts.updated')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((a) => (
                  <Table.Tr key={a.id} className="ok-table-row" data-testid="account-row" onClick={() => navigate(`/accounts/${a.id}`)}>
                    <Table.Td>
                      <Anchor component={Link} to={`/accounts/${a.id}`} fw={600} size="sm" onClick={(e) => e.stopPropagation()}>{n.primary(a)}</Anchor>
                      <Text size="xs" c="dimmed"><span className="ok-code">{a.code}</span>{n.secondary(a) ? ` · ${n.secondary(a)}` : ''}</Text>
                    </Table.Td>
                    <Table.Td><TierBadge tier={a.tier} /></Table.Td>
                    <Table.Td><StatusBadge status={a.status} /></Table.Td>
                    <Table.Td><Text size="sm">{a.ownerName ?? '—'}</Text></Table.Td>
                    <Table.Td><Text size="sm">{n.place(a.province, a.city) || '—'}</Text></Table.Td>
                    <Table.Td><Text size="sm" c="dimmed">{f.date(a.updatedAt)}</Text></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      ))}
      {list.hasNextPage && (
        <Group justify="center" mt="md">
          <Button variant="light" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>{t('common.showMore')}</Button>
        </Group>
      )}
      {rows.length > 0 && <Text size="xs" c="dimmed" ta="center" mt="sm">{t('accounts.shown', { count: rows.length })}</Text>}
    </>
  );
}
