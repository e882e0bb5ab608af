/** Where the hours go: time by tier per manager and team against revenue by tier; accounts with too little or too much attention. */
import { Card, Group, SegmentedControl, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';
import { TierBadge } from '../../../web/ui/badges.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { ExportMenu } from './abc-view.js';
import { exportUrl, percent, tiers, useAttention, type Attention, type Filters, type TierTime } from './portfolio-api.js';
import { TimeByTierChart } from './portfolio-charts.js';
import { AccountCell, Pager, useClientPage, useWindowLabel } from './portfolio-ui.js';

type GroupRow = Attention['byManager'][number] | Attention['byTeam'][number];

function useHours() {
  const { t } = useTranslation();
  const f = useFormat();
  return (minutes: number) => t('portfolio.attention.hours', { n: f.number(Math.round(minutes / 6) / 10) });
}

/**
 * A person's (or team's) share of time on one tier, and in words how it compares with the tier's
 * share of revenue ("too little", "in line", "too much"); the figures behind it in a tooltip.
 */
function TierCell({ tt, name }: { tt: TierTime | undefined; name: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!tt) return <Text size="sm" c="dimmed">–</Text>;
  const verdict = tt.minutes === 0 ? 'cellNoTime' : tt.ratio === null ? 'cellNoRevenue' : tt.ratio < 0.5 ? 'cellLittle' : tt.ratio > 2 ? 'cellMuch' : 'cellInLine';
  const off = verdict === 'cellLittle' || verdict === 'cellMuch' || (verdict === 'cellNoTime' && tt.revenueShare > 0);
  const hint = tt.ratio === null
    ? t('portfolio.attention.cellHintNoRevenue', { name, time: percent(f.locale, tt.timeShare, 0), tier: tt.tier })
    : t('portfolio.attention.cellHint', { name, time: percent(f.locale, tt.timeShare, 0), tier: tt.tier, revenue: percent(f.locale, tt.revenueShare, 0), ratio: f.number(Math.round(tt.ratio * 10) / 10) });
  return (
    <Tooltip label={hint} multiline maw={300} events={{ hover: true, focus: true, touch: true }}>
      <Stack gap={0} align="flex-end" tabIndex={0} data-testid="attention-cell" data-verdict={verdict}>
        <Text size="sm" className="ok-stat" style={{ whiteSpace: 'nowrap' }}>{percent(f.locale, tt.timeShare, 0)}</Text>
        <Text size="xs" c={off ? 'red.8' : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>{t(`portfolio.attention.${verdict}`)}</Text>
      </Stack>
    </Tooltip>
  );
}

function AccountList({ title, rows, testId }: { title: string; rows: Attention['accounts']; testId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const hours = useHours();
  const page = useClientPage(rows, 10);
  return (
    <Card padding="md" data-testid={testId}>
      <Title order={3} size="h5" mb="sm">{title}</Title>
      {rows.length === 0 ? <Text size="sm" c="dimmed">{t('portfolio.attention.noneHere')}</Text> : (
        <Table.ScrollContainer minWidth={340}>
          <Table verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('portfolio.table.account')}</Table.Th>
                <Table.Th>{t('portfolio.table.tier')}</Table.Th>
                <Table.Th ta="right">{t('portfolio.attention.time')}</Table.Th>
                <Table.Th ta="right">{t('portfolio.attention.timeVsRevenue')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.rows.map((a) => (
                <Table.Tr key={a.accountId}>
                  <Table.Td maw={220}><AccountCell id={a.accountId} name={a.name} nameEn={a.nameEn} code={a.code} /></Table.Td>
                  <Table.Td><TierBadge tier={a.tier} size="xs" /></Table.Td>
                  <Table.Td ta="right" className="ok-stat" style={{ whiteSpace: 'nowrap' }}>{hours(a.minutes)}</Table.Td>
                  <Table.Td ta="right" className="ok-stat" style={{ whiteSpace: 'nowrap' }}>{percent(f.locale, a.attentionShare)} / {percent(f.locale, a.revenueShare)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager {...page.pager} testId={`${testId}-pager`} />
    </Card>
  );
}

export function AttentionView({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const f = useFormat();
  const w = useWindowLabel();
  const hours = useHours();
  const [by, setBy] = useState<'manager' | 'team'>('manager');
  const q = useAttention(filters);
  const lists = useMemo(() => {
    const accounts = q.data?.accounts ?? [];
    return {
      little: accounts.filter((a) => a.verdict === 'too little').sort((a, b) => b.revenueShare - a.revenueShare),
      much: accounts.filter((a) => a.verdict === 'too much').sort((a, b) => b.attentionShare - a.attentionShare),
    };
  }, [q.data]);
  const groupRows = useMemo((): GroupRow[] => (q.data ? (by === 'manager' ? q.data.byManager : q.data.byTeam) : []), [q.data, by]);
  const groupPage = useClientPage(groupRows, 20);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const data = q.data;
  const groups = by === 'manager' ? data.byManager : data.byTeam;
  return (
    <Stack gap="md">
      <Group justify="space-between" gap="sm">
        <Text size="sm" c="dimmed">{t('portfolio.attention.intro', { window: w(data.window) })}</Text>
        <ExportMenu items={[{ label: t('portfolio.export.attention'), href: exportUrl('attention', filters) }]} />
      </Group>
      <Card padding="md">
        <Group justify="space-between" mb="sm" gap="sm">
          <Title order={2} size="h4">{t('portfolio.attention.title')}</Title>
          <SegmentedControl
            size="xs" value={by} onChange={(v) => setBy(v === 'team' ? 'team' : 'manager')} aria-label={t('portfolio.attention.groupBy')}
            data={[{ value: 'manager', label: t('portfolio.attention.byManager') }, { value: 'team', label: t('portfolio.attention.byTeam') }]}
          />
        </Group>
        {groups.length === 0 ? <Empty title={t('portfolio.attention.noTime')}>{t('portfolio.attention.noTimeHint')}</Empty> : (
          <>
            <TimeByTierChart groups={groups} revenueShare={data.tierRevenueShare} />
            <Text size="xs" c="dimmed" mt={4}>{t('portfolio.attention.chartHint')}</Text>
            <Table.ScrollContainer minWidth={640} mt="sm">
              <Table verticalSpacing={6} data-testid="attention-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t(by === 'manager' ? 'portfolio.attention.manager' : 'portfolio.attention.team')}</Table.Th>
                    <Table.Th ta="right">{t('portfolio.attention.time')}</Table.Th>
                    {tiers.map((tier) => <Table.Th key={tier} ta="right">{t('portfolio.attention.tierColumn', { tier, share: percent(f.locale, data.tierRevenueShare[tier] ?? 0, 0) })}</Table.Th>)}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {groupPage.rows.map((g, i) => (
                    <Table.Tr key={('userId' in g ? g.userId : g.teamId) ?? `none-${i}`}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}><Text size="sm" fw={500}>{g.name ?? t('portfolio.attention.noTeam')}</Text></Table.Td>
                      <Table.Td ta="right" className="ok-stat" style={{ whiteSpace: 'nowrap' }}>{hours(g.minutes)}</Table.Td>
                      {tiers.map((tier) => <Table.Td key={tier} ta="right"><TierCell tt={g.tiers.find((x) => x.tier === tier)} name={g.name ?? t('portfolio.attention.noTeam')} /></Table.Td>)}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager {...groupPage.pager} testId="attention-pager" />
          </>
        )}
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <AccountList title={t('portfolio.attention.tooLittle', { count: lists.little.length })} rows={lists.little} testId="attention-too-little" />
        <AccountList title={t('portfolio.attention.tooMuch', { count: lists.much.length })} rows={lists.much} testId="attention-too-much" />
      </SimpleGrid>
    </Stack>
  );
}
