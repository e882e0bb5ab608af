/**
 * A department's request queue (/service/queue): the department (one's own first), its counts,
 * filters kept in the address (status, SLA, assignee, priority, search, order), a table on a desk
 * and cards on a phone, each with its SLA clock; "Load more" pages on.
 */
import { Anchor, Badge, Button, Card, Collapse, Group, ScrollArea, SegmentedControl, Select, SimpleGrid, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAdjustmentsHorizontal, IconHeadset, IconSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { usePhone } from '../../../web/forms/kit.js';
import { AccountName } from '../../../web/ui/account-name.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { departments, priorities, type Department, type Priority, type RequestStatus } from '../services.domain.js';
import { LoadMore } from './request-list.js';
import { useQueues, useRequests, type QueueSummary, type RequestFilters, type ServiceRequest } from './services-api.js';
import { PriorityBadge, RequestStatusBadge, SlaClock } from './services-ui.js';

const statusChoices = ['active', 'open', 'in_progress', 'waiting_customer', 'resolved', 'closed', 'all'] as const;
type StatusChoice = (typeof statusChoices)[number];
type Tally = Omit<QueueSummary, 'department'>;
const tally = (xs: Tally[]): Tally => ({
  open: xs.reduce((s, x) => s + x.open, 0), unassigned: xs.reduce((s, x) => s + x.unassigned, 0),
  warning: xs.reduce((s, x) => s + x.warning, 0), breached: xs.reduce((s, x) => s + x.breached, 0),
});
const pick = <T extends string>(v: string | null, allowed: readonly T[]): T | undefined => (v && (allowed as readonly string[]).includes(v) ? (v as T) : undefined);

function DepartmentLabel({ d, summary }: { d: Department | 'all'; summary: Tally | undefined }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap">
      <span>{d === 'all' ? t('services.queue.allDepartments') : t(`services.department.${d}`)}</span>
      {summary && <Badge size="xs" variant="light" color="gray" circle={summary.open < 10}>{summary.open}</Badge>}
      {summary && summary.breached > 0 && <Badge size="xs" variant="filled" color="red" title={t('services.queue.breachedCount', { count: summary.breached })}>{summary.breached}</Badge>}
    </Group>
  );
}

function Counts({ s }: { s: Tally }) {
  const { t } = useTranslation();
  const phone = usePhone();
  const items = [
    { k: 'open', v: s.open, c: undefined },
    { k: 'unassigned', v: s.unassigned, c: s.unassigned > 0 ? 'blue.9' : undefined },
    { k: 'warning', v: s.warning, c: s.warning > 0 ? 'orange.9' : undefined },
    { k: 'breached', v: s.breached, c: s.breached > 0 ? 'red.9' : undefined },
  ];
  return (
    <SimpleGrid cols={4} spacing={{ base: 6, sm: 'sm' }} mb="md" data-testid="queue-counts">
      {items.map((i) => (
        <Card key={i.k} padding={phone ? 8 : 'sm'}>
          <Text size="xs" c="dimmed" fw={600} truncate>{t(`services.queue.count.${i.k}`)}</Text>
          <Text fz={phone ? 18 : 22} fw={700} className="ok-stat" c={i.c}>{i.v}</Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

function QueueTable({ rows }: { rows: ServiceRequest[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table highlightOnHover verticalSpacing="xs" data-testid="queue-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('services.queue.col.number')}</Table.Th>
            <Table.Th>{t('services.queue.col.account')}</Table.Th>
            <Table.Th>{t('services.queue.col.subject')}</Table.Th>
            <Table.Th>{t('services.queue.col.priority')}</Table.Th>
            <Table.Th>{t('services.queue.col.status')}</Table.Th>
            <Table.Th>{t('services.queue.col.assignee')}</Table.Th>
            <Table.Th>{t('services.queue.col.sla')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id} className="ok-table-row" onClick={() => navigate(`/service/requests/${r.id}`)} data-testid="queue-row" data-sla={r.slaState}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Anchor component={Link} to={`/service/requests/${r.id}`} size="sm" className="ok-code" onClick={(e) => e.stopPropagation()}>{r.number}</Anchor>
              </Table.Td>
              <Table.Td maw={220}><Text size="sm" truncate><AccountName account={r} /></Text></Table.Td>
              <Table.Td maw={320}><Text size="sm" truncate title={r.subject}>{r.subject}</Text></Table.Td>
              <Table.Td><PriorityBadge priority={r.priority} /></Table.Td>
              <Table.Td><RequestStatusBadge status={r.status} /></Table.Td>
              <Table.Td><Text size="sm" c={r.assignee ? undefined : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>{r.assignee?.name ?? t('services.queue.unassigned')}</Text></Table.Td>
              <Table.Td><SlaClock request={r} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function QueueCards({ rows }: { rows: ServiceRequest[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-testid="queue-cards">
      {rows.map((r) => (
        <Card key={r.id} padding="sm" component={Link} to={`/service/requests/${r.id}`} data-testid="queue-row" data-sla={r.slaState} style={{ color: 'inherit', textDecoration: 'none' }}>
          <Stack gap={6}>
            <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>{r.subject}</Text>
                <Text size="xs" c="dimmed" truncate><span className="ok-code">{r.number}</span> · <AccountName account={r} /></Text>
              </div>
              <RequestStatusBadge status={r.status} size="xs" />
            </Group>
            <Group gap={6} wrap="wrap">
              <SlaClock request={r} size="xs" />
              <PriorityBadge priority={r.priority} size="xs" />
              <Text size="xs" c="dimmed">{r.assignee?.name ?? t('services.queue.unassigned')}</Text>
            </Group>
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}

export function QueuePage() {
  const { t } = useTranslation();
  const phone = usePhone();
  const [params, setParams] = useSearchParams();
  const queues = useQueues();
  const set = (k: string, v: string | null | undefined) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v); else p.delete(k);
    setParams(p, { replace: true });
  };
  // The user's own department first (from the server), else all departments.
  const dept = pick(params.get('department'), [...departments, 'all'] as const) ?? queues.data?.mine ?? 'all';
  const status: StatusChoice = pick(params.get('status'), statusChoices) ?? 'active';
  const sla = pick(params.get('sla'), ['ok', 'warning', 'breached'] as const);
  const assignee = pick(params.get('assignee'), ['me', 'none'] as const);
  const priority = pick(params.get('priority'), priorities);
  const sort = pick(params.get('sort'), ['due', '-created'] as const) ?? 'due';
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [q] = useDebouncedValue(search.trim(), 300);
  useEffect(() => { if ((params.get('q') ?? '') !== q) set('q', q || null); }, [q]); // eslint-disable-line react-hooks/exhaustive-deps

  const filters: RequestFilters = useMemo(() => ({
    ...(dept !== 'all' ? { department: dept } : {}), status: status as RequestStatus | 'active' | 'all', sla, assignee, priority, q: q || undefined, sort, limit: 50,
  }), [dept, status, sla, assignee, priority, q, sort]);
  // Wait for /service-queues before the list: it names the user's department.
  const list = useRequests(filters, !queues.isPending || !!params.get('department'));
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const byDept = new Map(queues.data?.items.map((s) => [s.department, s]));
  const allSummary = queues.data ? tally(queues.data.items) : undefined;
  const shown = [...departments.filter((d) => byDept.has(d) || d === queues.data?.mine), 'all' as const];
  const summary = dept === 'all' ? allSummary : byDept.get(dept);
  const filtered = status !== 'active' || !!sla || !!assignee || !!priority || !!q;
  const activeFilters = [status !== 'active', !!sla, !!assignee, !!priority, sort !== 'due'].filter(Boolean).length;
  const filterControls = (
    <>
          <Select label={t('services.queue.status')} allowDeselect={false} value={status} onChange={(v) => set('status', v === 'active' ? null : v)} w={phone ? '100%' : 180}
            data={statusChoices.map((s) => ({ value: s, label: t(s === 'active' || s === 'all' ? `services.queue.statusChoice.${s}` : `services.status.${s}`) }))} data-testid="filter-status" />
          <Select label={t('services.queue.priority')} clearable placeholder={t('services.queue.any')} value={priority ?? null} onChange={(v) => set('priority', v)} w={phone ? '100%' : 150}
            data={priorities.map((p: Priority) => ({ value: p, label: t(`services.priority.${p}`) }))} />
          <Stack gap={4} style={phone ? { width: '100%' } : undefined}>
            <Text size="sm" fw={500} id="sla-filter-label">{t('services.queue.sla')}</Text>
            <SegmentedControl aria-labelledby="sla-filter-label" value={sla ?? 'any'} onChange={(v) => set('sla', v === 'any' ? null : v)} fullWidth={phone}
              data={['any', 'ok', 'warning', 'breached'].map((s) => ({ value: s, label: t(`services.queue.slaChoice.${s}`) }))} data-testid="filter-sla" />
          </Stack>
          <Stack gap={4} style={phone ? { width: '100%' } : undefined}>
            <Text size="sm" fw={500} id="assignee-filter-label">{t('services.queue.assignee')}</Text>
            <SegmentedControl aria-labelledby="assignee-filter-label" value={assignee ?? 'any'} onChange={(v) => set('assignee', v === 'any' ? null : v)} fullWidth={phone}
              data={['any', 'me', 'none'].map((s) => ({ value: s, label: t(`services.queue.assigneeChoice.${s}`) }))} data-testid="filter-assignee" />
          </Stack>
          <Select label={t('services.queue.sort')} allowDeselect={false} value={sort} onChange={(v) => set('sort', v === 'due' ? null : v)} w={phone ? '100%' : 170}
            data={[{ value: 'due', label: t('services.queue.sortDue') }, { value: '-created', label: t('services.queue.sortNewest') }]} />
    </>
  );

  return (
    <>
      <PageHeader title={t('services.queue.title')} subtitle={t('services.queue.subtitle')} />
      {queues.isError && <ErrorState error={queues.error} onRetry={() => void queues.refetch()} />}
      {phone ? (
        <Select mb="sm" label={t('services.queue.department')} allowDeselect={false} value={dept} onChange={(v) => set('department', v)} data-testid="department-select"
          data={shown.map((d) => {
            const s = d === 'all' ? allSummary : byDept.get(d);
            const name = d === 'all' ? t('services.queue.allDepartments') : t(`services.department.${d}`);
            return { value: d, label: s ? t('services.queue.deptOption', { name, open: s.open, breached: s.breached }) : name };
          })} />
      ) : (
        <Tabs value={dept} onChange={(v) => set('department', v)} mb="md" keepMounted={false}>
          <ScrollArea type="auto" offsetScrollbars>
            <Tabs.List style={{ flexWrap: 'nowrap' }} data-testid="department-tabs">
              {shown.map((d) => <Tabs.Tab key={d} value={d}><DepartmentLabel d={d} summary={d === 'all' ? allSummary : byDept.get(d)} /></Tabs.Tab>)}
            </Tabs.List>
          </ScrollArea>
        </Tabs>
      )}
      {summary && <Counts s={summary} />}

      <Card padding="sm" mb="md">
        <Group gap="sm" align="flex-end" wrap={phone ? 'nowrap' : 'wrap'}>
          <TextInput label={phone ? undefined : t('services.queue.search')} aria-label={t('services.queue.search')} placeholder={t('services.queue.searchHint')} leftSection={<IconSearch size={16} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)}
            style={{ flex: '1 1 220px' }} data-testid="queue-search" />
          {phone && (
            <Button variant={filtersOpen ? 'light' : 'default'} leftSection={<IconAdjustmentsHorizontal size={16} />} onClick={() => setFiltersOpen((o) => !o)} aria-expanded={filtersOpen} data-testid="queue-filters-toggle" style={{ flexShrink: 0 }}>
              {activeFilters ? t('services.queue.filtersCount', { count: activeFilters }) : t('services.queue.filters')}
            </Button>
          )}
          {!phone && filterControls}
        </Group>
        {phone && <Collapse expanded={filtersOpen}><Stack gap="sm" mt="sm">{filterControls}</Stack></Collapse>}
      </Card>


      {list.isPending ? <Loading /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : rows.length === 0 ? (
        <Card><Empty title={t(filtered ? 'services.queue.emptyFiltered' : 'services.queue.empty')} icon={<IconHeadset size={22} />}>{t(filtered ? 'services.queue.emptyFilteredHint' : 'services.queue.emptyHint')}</Empty></Card>
      ) : (
        <>
          {phone ? <QueueCards rows={rows} /> : <Card padding={0}><QueueTable rows={rows} /></Card>}
          <LoadMore hasNext={list.hasNextPage} loading={list.isFetchingNextPage} onLoad={() => void list.fetchNextPage()} />
        </>
      )}
    </>
  );
}
