/**
 * Price lists: the lists (scope, validity, priority, break mode) with filters, a new list, and the
 * quote tester (account, product, quantity, date → price and why) on its own tab.
 */
import { Badge, Button, Card, Group, Select, Stack, Switch, Table, Tabs, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { IconCalculator, IconList, IconPlus, IconSearch, IconTags } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { FormModal } from '../../../web/forms/kit.js';
import { useSession } from '../../../web/session.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { type PriceList, useLists } from './pricing-api.js';
import { ListForm } from './pricing-forms.js';
import { canWritePrices } from './pricing-roles.js';
import { companyToday, ScopeBadge, ValidityText } from './pricing-ui.js';
import { QuoteTester } from './quote-tester.js';

export function PriceListsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'quote' ? 'quote' : 'lists';
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const writer = canWritePrices(me?.role);
  return (
    <>
      <PageHeader title={t('pricing.title')} subtitle={t('pricing.subtitle')}
        actions={writer ? <Button size="sm" leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="new-price-list">{t('pricing.new')}</Button> : undefined} />
      <Tabs value={tab} onChange={(v) => setParams(v === 'quote' ? { tab: 'quote' } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="lists" leftSection={<IconList size={16} />}>{t('pricing.tabs.lists')}</Tabs.Tab>
          <Tabs.Tab value="quote" leftSection={<IconCalculator size={16} />} data-testid="tab-quote">{t('pricing.tabs.quote')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="lists"><Lists /></Tabs.Panel>
        <Tabs.Panel value="quote"><QuoteTester /></Tabs.Panel>
      </Tabs>
      <FormModal opened={creating} onClose={() => setCreating(false)} title={t('pricing.form.newTitle')} testId="new-list-modal">
        <ListForm list={null} today={companyToday()} onDone={(saved) => { setCreating(false); if (saved) void navigate(`/prices/${saved.id}`); }} />
      </FormModal>
    </>
  );
}

function Lists() {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [scopeKind, setScopeKind] = useState<string>('any');
  const [current, setCurrent] = useState(true);
  const [sort, setSort] = useState('name');
  const lists = useLists({ q, scopeKind: scopeKind === 'any' ? undefined : scopeKind, activeOn: current ? companyToday() : undefined, sort });
  const rows = lists.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput label={t('pricing.filters.search')} placeholder={t('pricing.filters.searchHint')} leftSection={<IconSearch size={16} />} value={search}
          onChange={(e) => setSearch(e.currentTarget.value)} w={phone ? '100%' : 260} data-testid="list-search" />
        <Select label={t('pricing.filters.scope')} value={scopeKind} onChange={(v) => setScopeKind(v ?? 'any')} allowDeselect={false} w={phone ? '100%' : 180}
          data={[{ value: 'any', label: t('pricing.filters.anyScope') }, ...(['account', 'group', 'territory', 'all'] as const).map((s) => ({ value: s, label: t(`pricing.scope.${s}`) }))]} />
        <Select label={t('pricing.filters.sort')} value={sort} onChange={(v) => setSort(v ?? 'name')} allowDeselect={false} w={phone ? '100%' : 180}
          data={['name', 'code', '-priority', '-validFrom', '-updatedAt'].map((s) => ({ value: s, label: t(`pricing.sort.${s.replace('-', '')}`) }))} />
        <Switch label={t('pricing.filters.current')} checked={current} onChange={(e) => setCurrent(e.currentTarget.checked)} mb={8} data-testid="list-current" />
      </Group>
      {lists.isError ? <ErrorState error={lists.error} onRetry={() => void lists.refetch()} /> : lists.isPending ? <Loading /> : rows.length === 0 ? (
        <Card><Empty title={t('pricing.empty')} icon={<IconTags size={22} />}>{t('pricing.emptyHint')}</Empty></Card>
      ) : phone ? (
        <Stack gap="xs" data-testid="price-lists">
          {rows.map((l) => (
            <UnstyledButton key={l.id} component={Link} to={`/prices/${l.id}`} data-testid="price-list-row">
              <Card padding="sm" withBorder>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <div style={{ minWidth: 0 }}>
                    <Text fw={600} truncate>{l.name}</Text>
                    <Text size="xs" c="dimmed">{l.code} · {t('pricing.products', { count: l.itemCount })}</Text>
                  </div>
                  <Badge variant="light" color="gray" tt="none">{t(`pricing.mode.${l.breakMode}`)}</Badge>
                </Group>
                <Group gap="xs" mt={6}><ScopeBadge list={l} /></Group>
                <ValidityText list={l} />
              </Card>
            </UnstyledButton>
          ))}
        </Stack>
      ) : (
        <Card padding={0}>
          <Table highlightOnHover verticalSpacing="xs" data-testid="price-lists">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('pricing.columns.name')}</Table.Th><Table.Th>{t('pricing.columns.scope')}</Table.Th><Table.Th>{t('pricing.columns.validity')}</Table.Th>
                <Table.Th ta="right">{t('pricing.columns.priority')}</Table.Th><Table.Th>{t('pricing.columns.mode')}</Table.Th><Table.Th ta="right">{t('pricing.columns.products')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((l: PriceList) => (
                <Table.Tr key={l.id} data-testid="price-list-row">
                  <Table.Td><Text component={Link} to={`/prices/${l.id}`} fw={600} c="brand.8" size="sm">{l.name}</Text><Text size="xs" c="dimmed">{l.code} · {l.currency}</Text></Table.Td>
                  <Table.Td><ScopeBadge list={l} /></Table.Td>
                  <Table.Td><ValidityText list={l} /></Table.Td>
                  <Table.Td ta="right">{l.priority}</Table.Td>
                  <Table.Td><Text size="sm">{t(`pricing.mode.${l.breakMode}`)}</Text></Table.Td>
                  <Table.Td ta="right">{l.itemCount}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      {lists.hasNextPage && <Group justify="center"><Button variant="default" loading={lists.isFetchingNextPage} onClick={() => void lists.fetchNextPage()}>{t('pricing.more')}</Button></Group>}
    </Stack>
  );
}
