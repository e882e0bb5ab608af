/** The ABC view: tier summary, the Pareto chart, the ranked table with designations, apply tiers and exports. */
import { ActionIcon, Alert, Badge, Box, Button, Card, Group, Menu, Modal, Paper, ScrollArea, SimpleGrid, Stack, Switch, Table, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconDownload, IconListCheck, IconStar, IconStarFilled } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';
import { useNames } from '../../../web/names.js';
import { usePhone } from '../../../web/forms/kit.js';
import { useSession } from '../../../web/session.js';
import { TierBadge } from '../../../web/ui/badges.js';
import { useProblemText } from '../../../web/ui/errors.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import {
  applyTiersRoles, designateRoles, exportUrl, percent, segmentQuery, TABLE_PAGE, tiers, useApplyTiers, useDesignate, useSegments, type Filters, type SegmentRow, type Segmentation,
} from './portfolio-api.js';
import { ParetoChart } from './portfolio-charts.js';
import { AccountCell, Pager } from './portfolio-ui.js';

/** Whose accounts the page adds up: "Your 27 accounts", "Your teams' 130 accounts", "All 400 accounts". */
function ScopeHeading({ data, basis }: { data: Segmentation; basis: 'revenue' | 'margin' }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { kind, accounts, companyAccounts } = data.scope;
  return (
    <div data-testid="portfolio-scope" data-scope={kind} data-accounts={accounts}>
      <Title order={2} size="h4">{t(`portfolio.scope.${kind}`, { count: accounts, n: f.number(accounts) })}</Title>
      <Text size="sm" c="dimmed">
        {t('portfolio.scope.total', { value: f.money(data.totals.positiveValueMinor, data.window.currency, true), basis: t(`portfolio.basis.${basis}Lower`) })}
        {' · '}
        {kind === 'all' ? t('portfolio.scope.noteAll') : t('portfolio.scope.note', { company: f.number(companyAccounts) })}
      </Text>
    </div>
  );
}

function TierSummary({ data }: { data: Segmentation }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
      {tiers.map((tier) => {
        const s = data.totals.tiers[tier] ?? { accounts: 0, valueMinor: 0, share: 0 };
        return (
          <Card key={tier} padding="sm" data-testid={`tier-summary-${tier}`} data-accounts={s.accounts} data-value={s.valueMinor}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <div>
                <Text size="xs" c="dimmed" fw={600}>{t(`tiers.${tier}`)}</Text>
                <Text fz={22} fw={700} className="ok-stat">{f.money(s.valueMinor, data.window.currency, true)}</Text>
                <Text size="xs" c="dimmed">{t('portfolio.summary.accounts', { count: s.accounts })} · {t('portfolio.summary.ofTotal', { share: percent(f.locale, s.share) })}</Text>
              </div>
              <TierBadge tier={tier} size="lg" label="long" />
            </Group>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}

/** The computed tier, and the tier on record when it differs (what "Apply tiers" would change). */
function TierCell({ r }: { r: SegmentRow }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="wrap">
      <TierBadge tier={r.tier} />
      {r.currentTier !== r.tier && (
        <Tooltip
          label={r.currentTier ? t('portfolio.table.recordedHint', { recorded: r.currentTier, computed: r.tier }) : t('portfolio.table.recordedNoneHint', { computed: r.tier })}
          multiline maw={280} events={{ hover: true, focus: true, touch: true }}
        >
          <Badge variant="outline" color="gray" size="sm" radius="sm" tt="none" fw={500} tabIndex={0} data-testid="abc-recorded-tier">
            {r.currentTier ? t('portfolio.table.recorded', { tier: r.currentTier }) : t('portfolio.table.recordedNone')}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}

function DesignateModal({ row, onClose }: { row: SegmentRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const n = useNames();
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
    notifications.show({ color: 'teal', message: t(keyAccount ? 'portfolio.designate.doneOn' : 'portfolio.designate.doneOff', { name: n.primary(row) }) });
    onClose();
  };
  return (
    <Modal opened={!!row} onClose={onClose} title={t('portfolio.designate.title')} centered>
      {row && (
        <Stack gap="sm">
          <Text fw={600}>{n.primary(row)} <Text span size="xs" c="dimmed" className="ok-code">{row.code}</Text></Text>
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

function KeyCell({ r, canDesignate, onDesignate }: { r: SegmentRow; canDesignate: boolean; onDesignate: (r: SegmentRow) => void }) {
  const { t } = useTranslation();
  const n = useNames();
  return (
    <Group gap={2} wrap="nowrap">
      {r.keyAccount ? (
        <Tooltip label={r.designationReason ? t('portfolio.table.designated', { reason: r.designationReason }) : t('portfolio.table.computedKey')} multiline maw={280}>
          <IconStarFilled size={16} color={r.designationReason ? '#e8590c' : '#9c36b5'} aria-label={r.designationReason ? t('portfolio.table.designatedShort') : t('portfolio.table.computedKey')} role="img" />
        </Tooltip>
      ) : <Text size="xs" c="dimmed" aria-hidden="true">·</Text>}
      {canDesignate && (
        <ActionIcon variant="subtle" size="sm" color="gray" onClick={() => onDesignate(r)} aria-label={t('portfolio.designate.action', { name: n.primary(r) })}>
          <IconStar size={14} />
        </ActionIcon>
      )}
    </Group>
  );
}

/** On a phone: one card per account, rank, account, tier and value always in sight; nothing scrolls sideways. */
function AbcCards({ rows, currency, canDesignate, onDesignate }: { rows: SegmentRow[]; currency: string; canDesignate: boolean; onDesignate: (r: SegmentRow) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Stack gap="xs" data-testid="abc-table" data-layout="cards">
      {rows.map((r) => (
        <Paper key={r.accountId} withBorder radius="sm" p="xs" data-testid="abc-row" data-code={r.code} data-rank={r.rank}>
          <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
            <Group gap="xs" wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
              <Text size="sm" fw={600} className="ok-stat" miw={28} ta="right" aria-label={t('portfolio.table.rankOf', { rank: r.rank })}>{r.rank}</Text>
              <AccountCell id={r.accountId} name={r.name} nameEn={r.nameEn} code={r.code} />
            </Group>
            <KeyCell r={r} canDesignate={canDesignate} onDesignate={onDesignate} />
          </Group>
          <Group justify="space-between" wrap="wrap" gap={4} mt={4} pl={36}>
            <TierCell r={r} />
            <Text size="sm" fw={600} className="ok-stat" c={r.valueMinor < 0 ? 'red.8' : undefined} style={{ whiteSpace: 'nowrap' }}>{f.money(r.valueMinor, currency)}</Text>
          </Group>
          <Text size="xs" c="dimmed" pl={36} mt={2}>
            {t('portfolio.table.cardShares', { share: percent(f.locale, r.scopeShare), cumulative: percent(f.locale, r.scopeCumulativeShare) })}
            {r.ownerName && <> · <span style={{ whiteSpace: 'nowrap' }}>{r.ownerName}</span></>}
          </Text>
        </Paper>
      ))}
    </Stack>
  );
}

export function AbcView({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { me } = useSession();
  const phone = usePhone();
  const [keyOnly, setKeyOnly] = useState(false);
  const [designating, setDesignating] = useState<SegmentRow | null>(null);
  const [applying, setApplying] = useState(false);
  // Keyset pages: the cursors of the pages walked so far; a change of the analysis starts again at page one.
  const pageKey = JSON.stringify([segmentQuery(filters), keyOnly]);
  const [paging, setPaging] = useState<{ key: string; cursors: (string | undefined)[] }>({ key: pageKey, cursors: [undefined] });
  const cursors = paging.key === pageKey ? paging.cursors : [undefined];
  const q = useSegments(filters, { keyOnly, cursor: cursors[cursors.length - 1] });
  const canDesignate = !!me && designateRoles.includes(me.role);
  const canApply = !!me && applyTiersRoles.includes(me.role);

  if (q.isPending) return <Loading />;
  if (q.isError && !q.data) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const data = q.data!;
  const currency = data.window.currency;
  const rows = data.items;
  const valueLabel = t(filters.basis === 'margin' ? 'portfolio.basis.margin' : 'portfolio.basis.revenue');
  const from = (cursors.length - 1) * TABLE_PAGE + 1;
  const turn = (next: (string | undefined)[]) => { setPaging({ key: pageKey, cursors: next }); document.getElementById('abc-table-title')?.scrollIntoView({ block: 'start' }); };

  return (
    <Stack gap="md">
      <ScopeHeading data={data} basis={filters.basis} />
      <TierSummary data={data} />
      <Card padding="md">
        <Group justify="space-between" mb="xs" gap="xs">
          <Title order={2} size="h4">{t('portfolio.chart.paretoTitle')}</Title>
          <Text size="xs" c="dimmed">{t('portfolio.chart.paretoHint', { a: percent(f.locale, data.window.thresholdA, 0), b: percent(f.locale, data.window.thresholdB, 0) })}</Text>
        </Group>
        {data.totals.positiveValueMinor > 0
          ? <ParetoChart curve={data.curve} positiveTotal={data.totals.positiveValueMinor} currency={currency} thresholdA={data.window.thresholdA} thresholdB={data.window.thresholdB} basis={filters.basis} />
          : <Empty title={t('portfolio.empty.noSales')}>{t('portfolio.empty.noSalesHint')}</Empty>}
      </Card>
      <Card padding="md">
        <Group justify="space-between" mb="sm" gap="sm">
          <div>
            <Title order={2} size="h4" id="abc-table-title" style={{ scrollMarginTop: 80 }}>{t('portfolio.table.title')}</Title>
            {data.scope.kind !== 'all' && <Text size="xs" c="dimmed">{t('portfolio.table.scopeHint')}</Text>}
          </div>
          <Group gap="xs">
            <Switch checked={keyOnly} onChange={(e) => setKeyOnly(e.currentTarget.checked)} label={t('portfolio.table.keyOnly')} />
            {canApply && <Button variant="light" leftSection={<IconListCheck size={16} />} onClick={() => setApplying(true)}>{t('portfolio.apply.button')}</Button>}
            <ExportMenu items={[
              { label: t('portfolio.export.abc'), href: exportUrl('segments', filters) },
              { label: t('portfolio.export.keyAccounts'), href: exportUrl('key-accounts', filters) },
            ]} />
          </Group>
        </Group>
        {q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : rows.length === 0 ? (
          <Empty title={t(keyOnly ? 'portfolio.empty.noKeyAccounts' : 'portfolio.empty.noAccounts')} />
        ) : (
          <Box style={{ opacity: q.isPlaceholderData ? 0.6 : 1 }}>
            {phone ? <AbcCards rows={rows} currency={currency} canDesignate={canDesignate} onDesignate={setDesignating} /> : (
              <Table.ScrollContainer minWidth={560}>
                <Table verticalSpacing={6} highlightOnHover data-testid="abc-table" data-layout="table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th ta="right" w={56} title={t('portfolio.table.rankHint')}>{t('portfolio.table.rank')}</Table.Th>
                      <Table.Th>{t('portfolio.table.account')}</Table.Th>
                      <Table.Th>{t('portfolio.table.tier')}</Table.Th>
                      <Table.Th ta="right">{valueLabel}</Table.Th>
                      <Table.Th ta="right" visibleFrom="sm" title={t('portfolio.table.shareHint')}>{t('portfolio.table.share')}</Table.Th>
                      <Table.Th ta="right" title={t('portfolio.table.cumulativeHint')}>{t('portfolio.table.cumulative')}</Table.Th>
                      <Table.Th visibleFrom="md">{t('portfolio.table.owner')}</Table.Th>
                      <Table.Th>{t('portfolio.table.key')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((r) => (
                      <Table.Tr key={r.accountId} data-testid="abc-row" data-code={r.code} data-rank={r.rank}>
                        <Table.Td ta="right" className="ok-stat">{r.rank}</Table.Td>
                        <Table.Td maw={280}><AccountCell id={r.accountId} name={r.name} nameEn={r.nameEn} code={r.code} /></Table.Td>
                        <Table.Td><TierCell r={r} /></Table.Td>
                        <Table.Td ta="right" className="ok-stat" style={{ whiteSpace: 'nowrap' }} c={r.valueMinor < 0 ? 'red.8' : undefined}>{f.money(r.valueMinor, currency)}</Table.Td>
                        <Table.Td ta="right" className="ok-stat" visibleFrom="sm">{percent(f.locale, r.scopeShare)}</Table.Td>
                        <Table.Td ta="right" className="ok-stat">{percent(f.locale, r.scopeCumulativeShare)}</Table.Td>
                        <Table.Td visibleFrom="md"><Text size="sm">{r.ownerName ?? '–'}</Text></Table.Td>
                        <Table.Td><KeyCell r={r} canDesignate={canDesignate} onDesignate={setDesignating} /></Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            <Pager
              testId="abc-pager" from={from} count={rows.length} total={data.total} loading={q.isFetching}
              hasPrevious={cursors.length > 1} hasNext={!!data.nextCursor}
              onPrevious={() => turn(cursors.slice(0, -1))} onNext={() => data.nextCursor && turn([...cursors, data.nextCursor])}
            />
          </Box>
        )}
      </Card>
      <DesignateModal row={designating} onClose={() => setDesignating(null)} />
      {canApply && <ApplyTiersModal opened={applying} filters={filters} onClose={() => setApplying(false)} />}
    </Stack>
  );
}
