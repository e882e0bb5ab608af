/** Tier moves between two periods, and the ranking of top accounts with their growth. */
import { Badge, Box, Card, Group, Paper, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconArrowDownRight, IconArrowRight, IconArrowUpRight } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';
import { usePhone } from '../../../web/forms/kit.js';
import { TierBadge } from '../../../web/ui/badges.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { signedPercent, useMoves, type Filters, type Move, type Moves } from './portfolio-api.js';
import { AccountCell, Pager, useClientPage, useWindowLabel } from './portfolio-ui.js';

function Periods({ data }: { data: Moves }) {
  const { t } = useTranslation();
  const w = useWindowLabel();
  return <Text size="sm" c="dimmed" mb="sm">{t('portfolio.moves.periods', { before: w(data.before), after: w(data.after) })}</Text>;
}

function Change({ minor, currency }: { minor: number; currency: string }) {
  const f = useFormat();
  return <Text size="sm" className="ok-stat" c={minor > 0 ? 'teal.9' : minor < 0 ? 'red.8' : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>{minor > 0 ? '+' : ''}{f.money(minor, currency, true)}</Text>;
}

function MoveTable({ title, moves, currency, color, testId }: { title: string; moves: Move[]; currency: string; color: string; testId: string }) {
  const { t } = useTranslation();
  const page = useClientPage(moves, 15);
  return (
    <Card padding="md" data-testid={testId}>
      <Group gap="xs" mb="sm"><Title order={3} size="h5">{title}</Title><Badge color={color} variant="light" radius="sm">{moves.length}</Badge></Group>
      {moves.length === 0 ? <Text size="sm" c="dimmed">{t('portfolio.moves.none')}</Text> : (
        <>
          <Table.ScrollContainer minWidth={300}>
            <Table verticalSpacing={6}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('portfolio.table.account')}</Table.Th>
                  <Table.Th>{t('portfolio.table.tier')}</Table.Th>
                  <Table.Th ta="right" visibleFrom="xs" title={t('portfolio.table.rankHint')}>{t('portfolio.table.rank')}</Table.Th>
                  <Table.Th ta="right">{t('portfolio.moves.change')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.rows.map((m) => (
                  <Table.Tr key={m.accountId}>
                    <Table.Td maw={220}><AccountCell id={m.accountId} name={m.name} nameEn={m.nameEn} code={m.code} /></Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" aria-label={t('portfolio.moves.tierChange', { before: m.tierBefore, after: m.tierAfter })}>
                        <TierBadge tier={m.tierBefore} size="xs" /><IconArrowRight size={12} aria-hidden="true" /><TierBadge tier={m.tierAfter} size="xs" />
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right" className="ok-stat" visibleFrom="xs" style={{ whiteSpace: 'nowrap' }}>{m.rankBefore ?? '–'} → {m.rankAfter ?? '–'}</Table.Td>
                    <Table.Td ta="right"><Change minor={m.valueChangeMinor} currency={currency} /></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager {...page.pager} testId={`${testId}-pager`} />
        </>
      )}
    </Card>
  );
}

export function MovesView({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const q = useMoves(filters);
  const sorted = useMemo(() => {
    if (!q.data) return null;
    const by = (a: Move, b: Move) => Math.abs(b.steps) - Math.abs(a.steps) || Math.abs(b.valueChangeMinor) - Math.abs(a.valueChangeMinor);
    return { rose: [...q.data.rose].sort(by), fell: [...q.data.fell].sort(by) };
  }, [q.data]);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const currency = q.data.after.currency;
  return (
    <Stack gap="sm">
      <Periods data={q.data} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <MoveTable title={t('portfolio.moves.rose')} moves={sorted!.rose} currency={currency} color="teal" testId="moves-rose" />
        <MoveTable title={t('portfolio.moves.fell')} moves={sorted!.fell} currency={currency} color="red" testId="moves-fell" />
      </SimpleGrid>
      <Text size="xs" c="dimmed">{t('portfolio.moves.same', { count: q.data.same.length })}</Text>
    </Stack>
  );
}

/** The rank now, and how many places it moved since the previous period. */
function RankCell({ m }: { m: Move }) {
  const { t } = useTranslation();
  const moved = m.rankBefore !== null ? m.rankBefore - m.rankAfter! : null;
  const label = moved ? t(moved > 0 ? 'portfolio.ranking.up' : 'portfolio.ranking.down', { n: Math.abs(moved) }) : '';
  return (
    <Stack gap={0} align="flex-end">
      <Text size="sm" className="ok-stat">{m.rankAfter}</Text>
      {moved !== null && moved !== 0 && (
        <Text size="xs" c={moved > 0 ? 'teal.9' : 'red.8'} title={label} aria-label={label} style={{ whiteSpace: 'nowrap' }}>{moved > 0 ? '▲' : '▼'}{Math.abs(moved)}</Text>
      )}
    </Stack>
  );
}

/** The change on the previous period as a signed percentage, or "New" when there was nothing before; the figures in a tooltip. */
function GrowthCell({ m, currency }: { m: Move; currency: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const growth = m.valueBeforeMinor > 0 ? m.valueChangeMinor / m.valueBeforeMinor : null;
  if (growth === null) {
    return (
      <Tooltip label={t('portfolio.ranking.newHint')} multiline maw={260} events={{ hover: true, focus: true, touch: true }}>
        <Badge variant="light" color="teal" size="sm" radius="sm" tt="none" tabIndex={0} data-testid="ranking-new">{t('portfolio.ranking.new')}</Badge>
      </Tooltip>
    );
  }
  return (
    <Tooltip label={t('portfolio.ranking.growthHint', { before: f.money(m.valueBeforeMinor, currency), after: f.money(m.valueAfterMinor, currency) })} events={{ hover: true, focus: true, touch: true }}>
      <Group gap={2} justify="flex-end" wrap="nowrap" tabIndex={0} data-testid="ranking-growth">
        {growth >= 0 ? <IconArrowUpRight size={14} color="#087f5b" aria-hidden="true" /> : <IconArrowDownRight size={14} color="#c92a2a" aria-hidden="true" />}
        <Text size="sm" className="ok-stat" c={growth >= 0 ? 'teal.9' : 'red.8'}>{signedPercent(f.locale, growth)}</Text>
      </Group>
    </Tooltip>
  );
}

/** Top accounts of the window by value, with the previous period's value and the growth. */
export function RankingView({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const f = useFormat();
  const phone = usePhone();
  const q = useMoves(filters);
  const rows = useMemo(() => (q.data ? [...q.data.rose, ...q.data.fell, ...q.data.same].filter((m) => m.rankAfter !== null && m.valueAfterMinor > 0).sort((a, b) => a.rankAfter! - b.rankAfter!) : []), [q.data]);
  const page = useClientPage(rows, 25);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const currency = q.data.after.currency;
  const valueLabel = t(filters.basis === 'margin' ? 'portfolio.basis.margin' : 'portfolio.basis.revenue');
  return (
    <Stack gap="sm">
      <Periods data={q.data} />
      <Card padding="md">
        {rows.length === 0 ? <Empty title={t('portfolio.empty.noSales')}>{t('portfolio.empty.noSalesHint')}</Empty> : (
          <>
            {phone ? (
              <Stack gap="xs" data-testid="ranking-table" data-layout="cards">
                {page.rows.map((m) => (
                  <Paper key={m.accountId} withBorder radius="sm" p="xs">
                    <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                      <Group gap="xs" wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
                        <Box miw={32}><RankCell m={m} /></Box>
                        <AccountCell id={m.accountId} name={m.name} nameEn={m.nameEn} code={m.code} />
                      </Group>
                      <GrowthCell m={m} currency={currency} />
                    </Group>
                    <Text size="sm" fw={600} className="ok-stat" ta="right" mt={2}>{f.money(m.valueAfterMinor, currency)}</Text>
                    <Text size="xs" c="dimmed" ta="right">{t('portfolio.ranking.previous')}: {f.money(m.valueBeforeMinor, currency)}</Text>
                  </Paper>
                ))}
              </Stack>
            ) : (
              <Table.ScrollContainer minWidth={480}>
                <Table verticalSpacing={6} highlightOnHover data-testid="ranking-table" data-layout="table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th ta="right" w={56} title={t('portfolio.table.rankHint')}>{t('portfolio.table.rank')}</Table.Th>
                      <Table.Th>{t('portfolio.table.account')}</Table.Th>
                      <Table.Th ta="right">{valueLabel}</Table.Th>
                      <Table.Th ta="right" visibleFrom="sm">{t('portfolio.ranking.previous')}</Table.Th>
                      <Table.Th ta="right" title={t('portfolio.ranking.growthHeader', { basis: t(`portfolio.basis.${filters.basis}Lower`) })}>{t('portfolio.ranking.growth')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.rows.map((m) => (
                      <Table.Tr key={m.accountId}>
                        <Table.Td ta="right"><RankCell m={m} /></Table.Td>
                        <Table.Td maw={260}><AccountCell id={m.accountId} name={m.name} nameEn={m.nameEn} code={m.code} /></Table.Td>
                        <Table.Td ta="right" className="ok-stat" style={{ whiteSpace: 'nowrap' }}>{f.money(m.valueAfterMinor, currency)}</Table.Td>
                        <Table.Td ta="right" className="ok-stat" visibleFrom="sm" style={{ whiteSpace: 'nowrap' }}>{f.money(m.valueBeforeMinor, currency)}</Table.Td>
                        <Table.Td ta="right"><GrowthCell m={m} currency={currency} /></Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            <Pager {...page.pager} testId="ranking-pager" />
          </>
        )}
      </Card>
    </Stack>
  );
}
