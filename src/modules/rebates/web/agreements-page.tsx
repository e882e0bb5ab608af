/** The rebate agreements one may see: basis and rebate to date, tier, status. */
import { Anchor, Button, Card, Group, Stack, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { useSession } from '../../../web/session.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { type AgreementSummary, useAgreements, writeRoles } from './rebates-api.js';
import { StatusBadge, usePeriod } from './rebates-ui.js';

export function AgreementsList({ items }: { items: AgreementSummary[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const period = usePeriod();
  return (
    <>
      <Table.ScrollContainer minWidth={640} visibleFrom="sm">
        <Table striped highlightOnHover>
          <Table.Thead><Table.Tr>
            <Table.Th>{t('rebates.col.number')}</Table.Th><Table.Th>{t('rebates.col.name')}</Table.Th><Table.Th>{t('rebates.col.accounts')}</Table.Th>
            <Table.Th>{t('rebates.col.period')}</Table.Th><Table.Th ta="right">{t('rebates.col.basis')}</Table.Th><Table.Th ta="right">{t('rebates.col.earned')}</Table.Th>
            <Table.Th>{t('rebates.col.status')}</Table.Th>
          </Table.Tr></Table.Thead>
          <Table.Tbody>
            {items.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td><Anchor component={Link} to={`/rebates/${a.id}`}>{a.number}</Anchor></Table.Td>
                <Table.Td>{a.name}<Text size="xs" c="dimmed">{t(`rebates.methodShort.${a.method}`)}</Text></Table.Td>
                <Table.Td>{a.accounts.map((x) => x.code).join(', ')}</Table.Td>
                <Table.Td>{period(a.periodStart, a.periodEnd)}</Table.Td>
                <Table.Td ta="right">{a.method === 'per-unit' ? f.number(a.basisToDate) : f.money(a.basisToDate, a.currency)}</Table.Td>
                <Table.Td ta="right">{f.money(a.earnedToDateMinor, a.currency)}</Table.Td>
                <Table.Td><StatusBadge status={a.status} /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Stack hiddenFrom="sm" gap="xs">
        {items.map((a) => (
          <Card key={a.id} withBorder padding="sm" component={Link} to={`/rebates/${a.id}`}>
            <Group justify="space-between" wrap="nowrap"><Text fw={600}>{a.number}</Text><StatusBadge status={a.status} /></Group>
            <Text size="sm">{a.name}</Text>
            <Text size="sm" c="dimmed">{a.accounts.map((x) => x.code).join(', ')}</Text>
            <Group justify="space-between"><Text size="sm">{t('rebates.col.earned')}</Text><Text size="sm" fw={600}>{f.money(a.earnedToDateMinor, a.currency)}</Text></Group>
          </Card>
        ))}
      </Stack>
    </>
  );
}

export function AgreementsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const q = useAgreements();
  const canWrite = !!me && writeRoles.includes(me.role);
  return (
    <Stack>
      <PageHeader title={t('rebates.title')} actions={canWrite ? <Button component={Link} to="/rebates/new" leftSection={<IconPlus size={16} />}>{t('rebates.new')}</Button> : undefined} />
      {q.isLoading ? <Loading /> : q.error ? <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        : !q.data!.items.length ? <Empty title={t('rebates.none')}>{t('rebates.noneHint')}</Empty> : <AgreementsList items={q.data!.items} />}
    </Stack>
  );
}
