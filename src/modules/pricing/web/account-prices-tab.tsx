/** The account page's Prices tab: the lists in force for the account (strongest first), its price group, and a quote for it. */
import { Badge, Button, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../../web/session.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { useAccountPricing, usePriceGroups, usePricingMutations } from './pricing-api.js';
import { canWritePrices } from './pricing-roles.js';
import { ScopeBadge, ValidityText } from './pricing-ui.js';
import { QuoteTester } from './quote-tester.js';

export function AccountPricesTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const q = useAccountPricing(accountId);
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  if (q.isPending) return <Loading />;
  const p = q.data;
  return (
    <Stack gap="md" data-testid="account-prices">
      <Card padding="md">
        <Group justify="space-between" mb="xs" gap="xs">
          <Title order={3} size="h5">{t('pricing.account.inForce')}</Title>
          <PriceGroup accountId={accountId} group={p.priceGroup} editable={canWritePrices(me?.role)} />
        </Group>
        {p.lists.length === 0 ? <Empty title={t('pricing.account.none')}>{t('pricing.account.noneHint')}</Empty> : (
          <Table verticalSpacing="xs" data-testid="account-price-lists">
            <Table.Tbody>
              {p.lists.map((l) => (
                <Table.Tr key={l.id}>
                  <Table.Td w={36}><Badge variant={l.rank === 1 ? 'filled' : 'light'} color={l.rank === 1 ? 'brand' : 'gray'} circle>{l.rank}</Badge></Table.Td>
                  <Table.Td>
                    <Text component={Link} to={`/prices/${l.id}`} fw={600} size="sm" c="brand.8">{l.name}</Text>
                    <Group gap={6} mt={2} wrap="wrap"><ScopeBadge list={l} /><Text size="xs" c="dimmed">{t('pricing.products', { count: l.itemCount })} · {t(`pricing.mode.${l.breakMode}`)}</Text></Group>
                  </Table.Td>
                  <Table.Td visibleFrom="sm"><ValidityText list={l} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Text size="xs" c="dimmed" mt="xs">{t('pricing.account.rule')}</Text>
      </Card>
      <div>
        <Title order={3} size="h5" mb="xs">{t('pricing.account.quote')}</Title>
        <QuoteTester accountId={accountId} />
      </div>
    </Stack>
  );
}

function PriceGroup({ accountId, group, editable }: { accountId: string; group: string | null; editable: boolean }) {
  const { t } = useTranslation();
  const groups = usePriceGroups();
  const { setGroup } = usePricingMutations();
  const [editing, setEditing] = useState(false);
  if (!editing) {
    return (
      <Group gap="xs">
        <Text size="sm">{t('pricing.account.group')}: <b>{group ?? t('pricing.account.noGroup')}</b></Text>
        {editable && <Button variant="subtle" size="compact-sm" onClick={() => setEditing(true)}>{t('pricing.account.changeGroup')}</Button>}
      </Group>
    );
  }
  const data = [...new Set([...(groups.data?.items.map((g) => g.group) ?? []), ...(group ? [group] : [])])];
  return (
    <Select size="xs" w={220} aria-label={t('pricing.account.group')} placeholder={t('pricing.account.noGroup')} searchable clearable data={data} defaultValue={group}
      onChange={(v) => setGroup.mutate({ accountId, priceGroup: v }, { onSuccess: () => { setEditing(false); notifications.show({ color: 'teal', closeButtonProps: { 'aria-label': t('forms.close') }, message: t('pricing.account.groupSaved') }); } })} />
  );
}
