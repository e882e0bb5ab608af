/** The ABC view: tier summary, the Pareto chart, the ranked table with designations, apply tiers and exports. */
import { ActionIcon, Alert, Badge, Button, Card, Group, Menu, Modal, ScrollArea, SimpleGrid, Stack, Switch, Table, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconDownload, IconListCheck, IconStar, IconStarFilled } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';
import { useSession } from '../../../web/session.js';
import { TierBadge } from '../../../web/ui/badges.js';
import { useProblemText } from '../../../web/ui/errors.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import {
  applyTiersRoles, designateRoles, exportUrl, percent, tiers, useApplyTiers, useDesignate, useSegments, type Filters, type SegmentRow, type Segmentation,
} from './portfolio-api.js';
import { ParetoChart } from './portfolio-charts.js';
import { AccountCell } from './portfolio-ui.js';

const PAGE = 50;

function TierSummary({ data }: { data: Segmentation }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm" mb="md">
      {tiers.map((tier) => {
        const s = data.totals.tiers[tier] ?? { accounts: 0, valueMinor: 0, share: 0 };
        return (
          <Card key={tier} padding="sm" data-testid={`tier-summary-${tier}`}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <div>
                <Text size="xs" c="dimmed" fw={600}>{t(`tiers.${tier}`)}</Text>
                <Text fz={22} fw={700} className="ok-stat">{f.money(s.valueMinor, data.window.currency, true)}</Text>
                <Text size="xs" c="dimmed">{t('portfolio.summary.accounts', { count: s.accounts })} · {t('portfolio.summary.ofTotal', { share: percent(f.locale, s.share) })}</Text>
              </div>
              <TierBadge tier={tier} size="lg" />
            </Group>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}

function DesignateModal({ row, onClose }: { row: SegmentRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const problem = useProblemText();
  const designate = useDesignate();
  const [keyAccount, setKeyAccount] = useState(true);
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (row) { setKeyAccount(row.designationReason === null); setReason(''); designate.reset(); }
  }, [row]);
  const tooShort = reason.trim().length < 3;
  const save = async () => {
    if (!row || tooShort) return;
    await designate.mutateAsync({ accountId: row.accountId, keyAccount, reason: reason.trim() });
    notifications.show({ color: 'teal', message: t(keyAccount ? 'portfolio.designate.doneOn' : 'portfolio.designate.doneOff', { name: row.name }) });
    onClose();
  };
  return (
    <Modal opened={!!row} onClose={onClose} title={t('portfolio.designate.title')} centered>
      {row && (
        <Stack gap="sm">
          <Text fw={600}>{row.name} <Text span size="xs" c="dimmed" className="ok-code">{row.code}</Text></Text>
          <Text size="sm" c="dimmed">{t('portfolio.designate.intro')}</Text>
          {row.designationReason && <Text size="sm">{t('portfolio.designate.current', { reason: row.designationReason })}</Text>}
          <Switch checked={keyAccount} onChange={(e) => setKeyAccount(e.currentTarget.checked)} label={t('portfolio.designate.keyAccount')} />
          <Textarea
            label={t('portfolio.designate.reason')} description={t('portfolio.designate.reasonHint')} required autosize minRows={2} maxLength={500}
            value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus
          />
          {designate.isError && <Alert color="red" variant="light" role="alert">{problem(designate.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button onClick={() => void save().catch(() => undefined)} loading={designate.isPending} disabled={tooShort}>{t('common.save')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function ApplyTiersModal({ opened, filters, onClose }: { opened: boolean; filters: Filters; onClose: () => void }) {
  const { t } = useTranslation();
  const problem = useProblemText();
  const preview = useApplyTiers();
  const apply = useApplyTiers();
  useEffect(() => {
    if (opened) { apply.reset(); preview.mutate({ filters, dryRun: true }); }
  }, [opened]);
  const confirm = async () => {
    const r = await apply.mutateAsync({ filters, dryRun: false });
    notifications.show({ color: 'teal', message: t('portfolio.apply.done', { count: r.changed.length }) });
    onClose();
  };
  const changed = preview.data?.changed ?? [];
  return (
    <Modal opened={opened} onClose={onClose} title={t('portfolio.apply.title')} centered size="lg">
      <Stack gap="sm">
        <Text size="sm">{t('portfolio.apply.intro')}</Text>
        {preview.isPending && <Loading />}
        {preview.isError && <ErrorState error={preview.error} />}
        {preview.data && (
          changed.length === 0 ? <Text size="sm" fw={500}>{t('portfolio.apply.nothing')}</Text> : (
            <>
              <Text size="sm" fw={500}>{t('portfolio.apply.summary', { count: changed.length, unchanged: preview.data.unchanged })}</Text>
              <ScrollArea.Autosize mah={260} type="auto">
                <Table striped fz="sm">
                  <Table.Thead><Table.Tr><Table.Th>{t('portfolio.table.account')}</Table.Th><Table.Th>{t('portfolio.apply.from')}</Table.Th><Table.Th>{t('portfolio.apply.to')}</Table.Th></Table.Tr></Table.Thead>
                  <Table.Tbody>
                    {changed.map((c) => (
                      <Table.Tr key={c.accountId}>
                        <Table.Td className="ok-code">{c.code}</Table.Td>
                        <Table.Td>{c.from ? <TierBadge tier={c.from} size="xs" /> : <Text size="xs" c="dimmed">{t('portfolio.apply.none')}</Text>}</Table.Td>
                        <Table.Td><TierBadge tier={c.to} size="xs" /></Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            </>
          )
        )}
        {apply.isError && <Alert color="red" variant="light" role="alert">{problem(apply.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button color="red" onClick={() => void confirm().catch(() => undefined)} loading={apply.isPending} disabled={!preview.data || changed.length === 0}>
            {t('portfolio.apply.confirm', { count: changed.length })}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function ExportMenu({ items }: { items: { label: string; href: string }[] }) {
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="default" leftSection={<IconDownload size={16} />} rightSection={<IconChevronDown size={14} />}>{t('portfolio.export.button')}</Button>
      </Menu.Target>
      <Menu.Dropdown>
        {items.map((i) => <Menu.Item key={i.href} component="a" href={i.href} download>{i.label}</Menu.Item>)}
      </Menu.Dropdown>
    </Menu>
  );
}

export function AbcView({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { me } = useSession();
  const [keyOnly, setKeyOnly] = useState(false);
  const [shown, setShown] = useState(PAGE);
  const [designating, setDesignating] = useState<SegmentRow | null>(null);
  const [applying, setApplying] = useState(false);
  const all = useSegments(filters);
  const keys = useSegments(filters, true);
  const q = keyOnly ? keys : all;
  const canDesignate = !!me && designateRoles.includes(me.role);
  const canApply = !!me && applyTiersRoles.includes(me.role);

  if (all.isPending) return <Loading />;
  if (all.isError) return <ErrorState error={all.error} onRetry={() => void all.refetch()} />;
  const data = all.data;
  const currency = data.window.currency;
  const rows = (q.data ?? data).items;
  const valueLabel = t(filters.basis === 'margin' ? 'portfolio.basis.margin' : 'portfolio.basis.revenue');

  return (
    <Stack gap="md">
      <TierSummary data={data} />
      <Card padding="md">
        <Group justify="space-between" mb="xs" gap="xs">
          <Title order={2} size="h4">{t('portfolio.chart.paretoTitle')}</Title>
          <Text size="xs" c="dimmed">{t('portfolio.chart.paretoHint', { a: percent(f.locale, data.window.thresholdA, 0), b: percent(f.locale, data.window.thresholdB, 0) })}</Text>
        </Group>
        {data.totals.positiveValueMinor > 0
          ? <ParetoChart rows={data.items} currency={currency} thresholdA={data.window.thresholdA} thresholdB={data.window.thresholdB} valueLabel={valueLabel} />
          : <Empty title={t('portfolio.empty.noSales')}>{t('portfolio.empty.noSalesHint')}</Empty>}
      </Card>
      <Card padding="md">
        <Group justify="space-between" mb="sm" gap="sm">
          <Title order={2} size="h4">{t('portfolio.table.title')}</Title>
          <Group gap="xs">
            <Switch checked={keyOnly} onChange={(e) => { setKeyOnly(e.currentTarget.checked); setShown(PAGE); }} label={t('portfolio.table.keyOnly')} />
            {canApply && <Button variant="light" leftSection={<IconListCheck size={16} />} onClick={() => setApplying(true)}>{t('portfolio.apply.button')}</Button>}
            <ExportMenu items={[
              { label: t('portfolio.export.abc'), href: exportUrl('segments', filters) },
              { label: t('portfolio.export.keyAccounts'), href: exportUrl('key-accounts', filters) },
            ]} />
          </Group>
        </Group>
        {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : rows.length === 0 ? (
          <Empty title={t(keyOnly ? 'portfolio.empty.noKeyAccounts' : 'portfolio.empty.noAccounts')} />
        ) : (
          <>
            <Table.ScrollContainer minWidth={520}>
              <Table verticalSpacing={6} highlightOnHover data-testid="abc-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th ta="right" w={48}>{t('portfolio.table.rank')}</Table.Th>
                    <Table.Th>{t('portfolio.table.account')}</Table.Th>
                    <Table.Th visibleFrom="md">{t('portfolio.table.owner')}</Table.Th>
                    <Table.Th ta="right">{valueLabel}</Table.Th>
                    <Table.Th ta="right" visibleFrom="sm">{t('portfolio.table.share')}</Table.Th>
                    <Table.Th ta="right">{t('portfolio.table.cumulative')}</Table.Th>
                    <Table.Th>{t('portfolio.table.tier')}</Table.Th>
                    <Table.Th>{t('portfolio.table.key')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.slice(0, shown).map((r) => (
                    <Table.Tr key={r.accountId} data-testid="abc-row" data-code={r.code} data-rank={r.rank}>
                      <Table.Td ta="right" className="ok-stat">{r.rank}</Table.Td>
                      <Table.Td maw={280}><AccountCell id={r.accountId} name={r.name} code={r.code} /></Table.Td>
                      <Table.Td visibleFrom="md"><Text size="sm">{r.ownerName ?? '–'}</Text></Table.Td>
                      <Table.Td ta="right" className="ok-stat" style={{ whiteSpace: 'nowrap' }} c={r.valueMinor < 0 ? 'red.8' : undefined}>{f.money(r.valueMinor, currency)}</Table.Td>
                      <Table.Td ta="right" className="ok-stat" visibleFrom="sm">{percent(f.locale, r.share)}</Table.Td>
                      <Table.Td ta="right" className="ok-stat">{percent(f.locale, r.cumulativeShare)}</Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <TierBadge tier={r.tier} />
                          {r.currentTier !== r.tier && (
                            <Tooltip label={t('portfolio.table.storedHint')}>
                              <Badge variant="outline" color="gray" size="xs" radius="sm">{r.currentTier ? t('portfolio.table.stored', { tier: r.currentTier }) : t('portfolio.table.storedNone')}</Badge>
                            </Tooltip>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={2} wrap="nowrap">
                          {r.keyAccount ? (
                            <Tooltip label={r.designationReason ? t('portfolio.table.designated', { reason: r.designationReason }) : t('portfolio.table.computedKey')} multiline maw={280}>
                              <IconStarFilled size={16} color={r.designationReason ? '#e8590c' : '#9c36b5'} aria-label={r.designationReason ? t('portfolio.table.designatedShort') : t('portfolio.table.computedKey')} role="img" />
                            </Tooltip>
                          ) : <Text size="xs" c="dimmed" aria-hidden="true">·</Text>}
                          {canDesignate && (
                            <ActionIcon variant="subtle" size="sm" color="gray" onClick={() => setDesignating(r)} aria-label={t('portfolio.designate.action', { name: r.name })}>
                              <IconStar size={14} />
                            </ActionIcon>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {rows.length > shown && (
              <Group justify="center" mt="sm"><Button variant="default" onClick={() => setShown((n) => n + PAGE)}>{t('common.showMore')}</Button></Group>
            )}
          </>
        )}
      </Card>
      <DesignateModal row={designating} onClose={() => setDesignating(null)} />
      {canApply && <ApplyTiersModal opened={applying} filters={filters} onClose={() => setApplying(false)} />}
    </Stack>
  );
}
