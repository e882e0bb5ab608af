/** Insurance gaps: uninsured, refused, expired, expiring or under-insured sites, ranked by value × exposure. */
import { Anchor, Badge, Card, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { useInsuranceGaps, type InsuranceGap } from './hazards-api.js';
import { HazardsHeader, useDistance } from './hazards-ui.js';
import { AccountName } from '../../../web/ui/account-name.js';

const reasonColor: Record<InsuranceGap['reason'], string> = { uninsured: 'red.8', refused: 'red.8', expired: 'orange.4', expiring: 'yellow.4', underinsured: 'grape.7' };

export function ReasonBadge({ gap }: { gap: InsuranceGap }) {
  const { t } = useTranslation();
  return (
    <Badge color={reasonColor[gap.reason]} variant="filled" autoContrast size="sm" radius="sm">
      {gap.reason === 'expiring' && gap.daysToExpiry !== null ? t('hazards.insurance.expiringIn', { count: gap.daysToExpiry }) : t(`hazards.insurance.reasons.${gap.reason}`)}
    </Badge>
  );
}

export function InsurancePage() {
  const { t } = useTranslation();
  const f = useFormat();
  const dist = useDistance();
  const phone = useMediaQuery('(max-width: 48em)');
  const [days, setDays] = useState('60');
  const gaps = useInsuranceGaps(Number(days));
  const rows = gaps.data?.items ?? [];
  const money = (m: { amountMinor: number; currency: string } | null) => (m ? f.money(m.amountMinor, m.currency) : '—');
  return (
    <>
      <HazardsHeader title={t('hazards.insurance.title')} subtitle={t('hazards.insurance.subtitle')} />
      <Group mb="md" align="flex-end">
        <Select w={220} label={t('hazards.insurance.within')} value={days} onChange={(v) => v && setDays(v)} allowDeselect={false}
          data={['30', '60', '90', '180'].map((d) => ({ value: d, label: t('hazards.insurance.days', { count: Number(d) }) }))} />
        {gaps.data && <Text size="sm" c="dimmed" pb={6}>{t('hazards.insurance.count', { count: gaps.data.total })}</Text>}
      </Group>
      {gaps.isPending ? <Loading /> : gaps.isError ? <ErrorState error={gaps.error} onRetry={() => void gaps.refetch()} /> : rows.length === 0 ? (
        <Card><Empty title={t('hazards.insurance.empty')}>{t('hazards.insurance.emptyBody')}</Empty></Card>
      ) : phone ? (
        <Stack gap="xs" data-testid="insurance-gaps">
          {rows.map((g, i) => (
            <Card key={g.site.siteId} padding="sm">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <div style={{ minWidth: 0 }}>
                  <Text size="sm" fw={600}>{i + 1}. {g.site.siteName}</Text>
                  <Anchor component={Link} to={`/accounts/${g.site.accountId}?tab=risk`} size="xs"><AccountName account={g.site} /></Anchor>
                </div>
                <ReasonBadge gap={g} />
              </Group>
              <Text size="xs" c="dimmed" mt={4}>{t('hazards.risk.inventory')}: {money(g.site.inventory)} · {t('hazards.risk.cover')}: {money(g.site.insurance.cover)} · {t('hazards.risk.coast')}: {dist(g.site.coastDistanceM)}</Text>
            </Card>
          ))}
        </Stack>
      ) : (
        <Card padding={0}>
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="insurance-gaps">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>#</Table.Th>
                  <Table.Th>{t('hazards.risk.site')}</Table.Th>
                  <Table.Th>{t('hazards.insurance.reason')}</Table.Th>
                  <Table.Th ta="right">{t('hazards.risk.inventory')}</Table.Th>
                  <Table.Th ta="right">{t('hazards.risk.cover')}</Table.Th>
                  <Table.Th>{t('hazards.risk.coast')}</Table.Th>
                  <Table.Th ta="right">{t('hazards.insurance.exposure')}</Table.Th>
                  <Table.Th ta="right">{t('hazards.insurance.weighted')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((g, i) => (
                  <Table.Tr key={g.site.siteId}>
                    <Table.Td><Text size="sm" c="dimmed">{i + 1}</Text></Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={600}>{g.site.siteName}</Text>
                      <Anchor component={Link} to={`/accounts/${g.site.accountId}?tab=risk`} size="xs"><AccountName account={g.site} /></Anchor>
                    </Table.Td>
                    <Table.Td>
                      <ReasonBadge gap={g} />
                      {g.site.insurance.refusedReason && <Text size="xs" c="dimmed">{g.site.insurance.refusedReason}</Text>}
                    </Table.Td>
                    <Table.Td ta="right" className="ok-stat">{money(g.site.inventory)}</Table.Td>
                    <Table.Td ta="right" className="ok-stat">{money(g.site.insurance.cover)}{g.site.insurance.expiresOn && <Text size="xs" c="dimmed">{t('hazards.risk.until', { date: f.monthDay(g.site.insurance.expiresOn) })}</Text>}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{dist(g.site.coastDistanceM)}</Text>
                      {g.site.floodProne && <Badge size="xs" color="blue" variant="light">{t('hazards.risk.floodProne')}</Badge>}
                    </Table.Td>
                    <Table.Td ta="right" className="ok-stat">×{f.number(Math.round(g.exposureFactor * 100) / 100)}</Table.Td>
                    <Table.Td ta="right" className="ok-stat" fw={600}>{g.site.inventory ? f.money(g.weightedValueMinor, g.site.inventory.currency) : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
    </>
  );
}
