import { Button, Card, Code, Group, Popover, Select, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { usePaged } from '../api/queries.js';
import type { AuditEntry } from '../api/types.js';
import { useFormat } from '../format.js';
import { PageHeader } from '../ui/page-header.js';
import { Empty, ErrorState, Loading } from '../ui/states.js';

const entities = ['account', 'contact', 'site', 'activity', 'visit', 'user', 'team', 'api_token', 'product', 'sales_line', 'import_job', 'system'];
const actions = ['create', 'update', 'delete', 'login', 'logout', 'logout_everywhere', 'password_change', 'revoke', 'team_add', 'team_remove', 'import', 'seed'];

/** What changed: the changed fields, with before and after on demand. */
export function AuditChange({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const fields = Object.keys((entry.after ?? entry.before ?? {}) as Record<string, unknown>);
  if (!entry.before && !entry.after) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Popover width={360} position="bottom-start" shadow="md">
      <Popover.Target>
        <Button variant="subtle" size="compact-xs">{t('audit.fields', { count: fields.length })}</Button>
      </Popover.Target>
      <Popover.Dropdown>
        {entry.before != null && <><Text size="xs" fw={600}>{t('audit.before')}</Text><Code block mb="xs">{JSON.stringify(entry.before, null, 2)}</Code></>}
        {entry.after != null && <><Text size="xs" fw={600}>{t('audit.after')}</Text><Code block>{JSON.stringify(entry.after, null, 2)}</Code></>}
      </Popover.Dropdown>
    </Popover>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [params, setParams] = useSearchParams();
  const filters = { entity: params.get('entity') ?? '', action: params.get('action') ?? '', entityId: params.get('entityId') ?? '' };
  const set = (k: string, v: string | null) => { const p = new URLSearchParams(params); if (v) p.set(k, v); else p.delete(k); setParams(p, { replace: true }); };
  const audit = usePaged<AuditEntry>('audit', '/audit', { ...filters, limit: 50 });
  const rows = audit.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} />
      <Card padding="sm" mb="md">
        <Group gap="sm" align="flex-end">
          <Select w={{ base: '47%', sm: 180 }} label={t('audit.entity')} placeholder={t('common.all')} clearable value={filters.entity || null} onChange={(v) => set('entity', v)}
            data={entities.map((e) => ({ value: e, label: t(`audit.entities.${e}`) }))} />
          <Select w={{ base: '47%', sm: 180 }} label={t('audit.action')} placeholder={t('common.all')} clearable value={filters.action || null} onChange={(v) => set('action', v)}
            data={actions.map((a) => ({ value: a, label: t(`audit.actions.${a}`) }))} />
          <TextInput style={{ flex: '1 1 220px' }} label={t('audit.recordId')} value={filters.entityId} onChange={(e) => set('entityId', e.currentTarget.value.trim())} />
        </Group>
      </Card>
      {audit.isPending && <Loading />}
      {audit.isError && <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />}
      {audit.isSuccess && rows.length === 0 && <Card><Empty title={t('audit.empty')} /></Card>}
      {rows.length > 0 && (
        <Card padding={0}>
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead><Table.Tr><Table.Th>{t('audit.when')}</Table.Th><Table.Th>{t('audit.who')}</Table.Th><Table.Th>{t('audit.action')}</Table.Th><Table.Th>{t('audit.entity')}</Table.Th><Table.Th>{t('audit.change')}</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {rows.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td><Text size="sm" style={{ whiteSpace: 'nowrap' }}>{f.dateTime(e.at)}</Text></Table.Td>
                    <Table.Td><Text size="sm">{e.actorLabel === 'system' ? t('audit.system') : e.actorLabel}</Text></Table.Td>
                    <Table.Td><Text size="sm">{t(`audit.actions.${e.action}`, { defaultValue: e.action })}</Text></Table.Td>
                    <Table.Td><Text size="sm">{t(`audit.entities.${e.entity}`, { defaultValue: e.entity })}</Text><Text size="xs" c="dimmed" className="ok-code">{e.entityId.slice(0, 8)}</Text></Table.Td>
                    <Table.Td><AuditChange entry={e} /></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      {audit.hasNextPage && <Group justify="center" mt="md"><Button variant="light" loading={audit.isFetchingNextPage} onClick={() => void audit.fetchNextPage()}>{t('common.showMore')}</Button></Group>}
    </>
  );
}
