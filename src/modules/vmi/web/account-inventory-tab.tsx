/**
 * The account page's Inventory tab (VMI): the dealer's stock per product (on hand, in transit, sold
 * a week), a product's forecast band, the account's drafted and signed orders, and the replay of
 * the last 12 months against what the dealer did, with its method and assumptions.
 */
import { Accordion, Alert, Anchor, Badge, Button, Card, Group, List, Pagination, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconClipboardList, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { allowedFor } from '../../../web/features.js';
import { useFormat } from '../../../web/format.js';
import { useSession } from '../../../web/session.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { VmiSettingsButton } from './settings-drawer.js';
import { ForecastBandChart, ReplayChart } from './vmi-charts.js';
import { type AccountInventory, useCreateDraft, useDrafts, useInventory, writeRoles } from './vmi-api.js';
import { DraftStatusBadge, useProductName, useVmiError } from './vmi-ui.js';

const PAGE = 20;

export function AccountInventoryTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const [page, setPage] = useState(1);
  const q = useInventory(accountId, (page - 1) * PAGE);
  const canWrite = allowedFor(me, writeRoles);
  return (
    <Stack gap="md" data-testid="vmi-inventory-tab">
      <Group gap="xs">
        <Button component={Link} to={`/vmi/accounts/${accountId}/count`} leftSection={<IconClipboardList size={16} />} data-testid="vmi-count-link">{t('vmi.count.open')}</Button>
        {canWrite && <NewDraftButton accountId={accountId} />}
        {canWrite && <VmiSettingsButton accountId={accountId} />}
      </Group>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : (
        <>
          <StockCard inv={q.data} page={page} setPage={setPage} />
          <ForecastCard inv={q.data} />
        </>
      )}
      <OrdersCard accountId={accountId} />
      {q.data && <ReplayCard inv={q.data} />}
    </Stack>
  );
}

function NewDraftButton({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const create = useCreateDraft(accountId);
  const err = useVmiError();
  return (
    <>
      <Button variant="light" leftSection={<IconPlus size={16} />} loading={create.isPending} onClick={() => create.mutate(undefined, { onSuccess: (d) => void nav(`/vmi/drafts/${d.id}`) })}>{t('vmi.draft.create')}</Button>
      {create.error && <Text c="red" size="sm">{err(create.error)}</Text>}
    </>
  );
}

function StockCard({ inv, page, setPage }: { inv: AccountInventory; page: number; setPage: (n: number) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const name = useProductName();
  return (
    <Card withBorder padding="md">
      <Title order={2} size="h4" mb="xs">{t('vmi.inventory.title')}</Title>
      {!inv.products.length ? <Empty title={t('vmi.inventory.none')}>{t('vmi.inventory.noneHint')}</Empty> : (
        <Table.ScrollContainer minWidth={340}>
          <Table striped verticalSpacing={6} data-testid="vmi-stock-table">
            <Table.Thead><Table.Tr>
              <Table.Th>{t('vmi.inventory.product')}</Table.Th>
              <Table.Th ta="right">{t('vmi.inventory.onHand')}</Table.Th>
              <Table.Th ta="right">{t('vmi.inventory.inTransit')}</Table.Th>
              <Table.Th ta="right">{t('vmi.inventory.perWeek')}</Table.Th>
            </Table.Tr></Table.Thead>
            <Table.Tbody>
              {inv.products.map((p) => (
                <Table.Tr key={p.productId}>
                  <Table.Td>
                    <Text size="sm" fw={500} lineClamp={2}>{name(p)}</Text><Text size="xs" c="dimmed" className="ok-code">{p.sku}</Text>
                    {p.transit.slice(0, 3).map((x) => (
                      <Text key={x.orderNo} size="xs" c="dimmed" data-testid="vmi-transit-order">
                        {t('vmi.inventory.transitLine', { quantity: f.number(x.quantity) })} <span className="ok-code" style={{ whiteSpace: 'nowrap' }}>{x.orderNo}</span>{x.promisedDate ? ` · ${t('vmi.inventory.due', { date: f.monthDay(x.promisedDate) })}` : ''}
                      </Text>
                    ))}
                    {p.transit.length > 3 && <Text size="xs" c="dimmed">{t('vmi.board.more', { count: p.transit.length - 3 })}</Text>}
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" fw={600} className="ok-stat">{p.onHand === null ? '—' : f.number(p.onHand)}</Text>
                    {p.onHandDate && <Text size="xs" c="dimmed">{f.monthDay(p.onHandDate)}</Text>}
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" className="ok-stat">{f.number(p.inTransit)}</Text>

                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" className="ok-stat">{p.sellThroughPerWeek === null ? '—' : f.number(p.sellThroughPerWeek)}</Text>
                    {p.sellThroughSource !== 'none' && <Text size="xs" c="dimmed">{t(`vmi.inventory.source.${p.sellThroughSource}`)}</Text>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {inv.total > PAGE && <Group justify="center" mt="sm"><Pagination size="sm" total={Math.ceil(inv.total / PAGE)} value={page} onChange={setPage} /></Group>}
      <Text size="xs" c="dimmed" mt="xs">{t('vmi.inventory.definition')}</Text>
    </Card>
  );
}

function ForecastCard({ inv }: { inv: AccountInventory }) {
  const { t } = useTranslation();
  const name = useProductName();
  const withData = inv.products.filter((p) => p.weeks.some((w) => w.sold !== null));
  const [picked, setPicked] = useState<string | null>(null);
  const product = withData.find((p) => p.productId === picked) ?? withData[0];
  if (!product) return null;
  return (
    <Card withBorder padding="md">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4">{t('vmi.chart.title')}</Title>
        <Select aria-label={t('vmi.chart.product')} size="xs" w={220} allowDeselect={false} value={product.productId} onChange={setPicked}
          data={withData.map((p) => ({ value: p.productId, label: `${p.sku} · ${name(p)}` }))} />
      </Group>
      <ForecastBandChart product={product} />
      <Text size="xs" c="dimmed" mt={4}>
        {product.forecast ? t('vmi.chart.note', { model: product.forecast.model }) : t('vmi.chart.noForecast')}
      </Text>
    </Card>
  );
}

function OrdersCard({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useDrafts({ accountId, limit: 20 });
  return (
    <Card withBorder padding="md">
      <Title order={2} size="h4" mb="xs">{t('vmi.orders.title')}</Title>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : !q.data.items.length ? <Text size="sm" c="dimmed">{t('vmi.orders.none')}</Text> : (
        <Stack gap={6}>
          {q.data.items.map((d) => (
            <Group key={d.id} justify="space-between" wrap="nowrap" gap="xs" data-testid="vmi-order-row">
              <div style={{ minWidth: 0 }}>
                <Anchor component={Link} to={`/vmi/drafts/${d.id}`} fw={600} size="sm" className="ok-code">{d.number}</Anchor>
                <Text size="xs" c="dimmed">{t('vmi.orders.line', { count: d.lineCount, quantity: f.number(d.totalQuantity), date: f.monthDay(d.arrival) })}{d.orderNo ? ` · ${t('vmi.orders.orderNo', { number: d.orderNo })}` : ''}</Text>
              </div>
              <Group gap={4} wrap="nowrap">{d.exceptionCount > 0 && <Badge color="red" variant="light" size="sm">{d.exceptionCount}</Badge>}<DraftStatusBadge status={d.status} /></Group>
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}

/** Why the replay left products out, or could not run, in the reader's language. */
function issueText(t: (k: string, o?: Record<string, unknown>) => string, issue: AccountInventory['replayIssue']): string {
  if (!issue) return '';
  return t(`vmi.replay.issue.${issue.kind}`, { skus: issue.skus.join(', '), days: issue.days, count: issue.skus.length });
}

const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)} %`;

function ReplayCard({ inv }: { inv: AccountInventory }) {
  const { t } = useTranslation();
  const f = useFormat();
  const r = inv.replay;
  return (
    <Card withBorder padding="md" data-testid="vmi-replay">
      <Title order={2} size="h4" mb={4}>{t('vmi.replay.title')}</Title>
      {!r ? <Text size="sm" c="dimmed">{t('vmi.replay.none')} {issueText(t, inv.replayIssue)}</Text> : (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">{t('vmi.replay.period', { from: f.date(`${r.from}T00:00:00Z`), to: f.date(`${r.to}T00:00:00Z`), count: r.days })}</Text>
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="xs">
            {(['fillRate', 'stockoutDays', 'averageStock'] as const).map((k) => (
              <Card key={k} withBorder padding="xs">
                <Text size="xs" c="dimmed">{t(`vmi.replay.${k}`)}</Text>
                <Group gap="xs" align="baseline" wrap="nowrap">
                  <Text fw={700} size="lg" c="green.8" className="ok-stat">{k === 'fillRate' ? pct(r.policy.fillRate) : f.number(Math.round(r.policy[k]))}</Text>
                  <Text size="sm" c="dimmed" className="ok-stat">{t('vmi.replay.vs', { value: k === 'fillRate' ? pct(r.actual.fillRate) : f.number(Math.round(r.actual[k])) })}</Text>
                </Group>
              </Card>
            ))}
          </SimpleGrid>
          <Text size="sm" fw={600}>{t('vmi.replay.fillRate')}</Text>
          <ReplayChart replay={r} />
          <Text size="xs" c="dimmed">{t('vmi.replay.settings', { min: r.settings.minDays, max: r.settings.maxDays, lead: r.settings.leadTimeDays })}</Text>
          {inv.replayIssue && <Alert color="gray" p="xs"><Text size="xs">{issueText(t, inv.replayIssue)}</Text></Alert>}
          <Accordion variant="contained" chevronPosition="right">
            <Accordion.Item value="method">
              <Accordion.Control>{t('vmi.replay.method')}</Accordion.Control>
              <Accordion.Panel>
                <Text size="xs" c="dimmed" mb={4}>{t('vmi.replay.untranslated')}</Text>
                <List size="sm" spacing={4}>{r.method.map((m, i) => <List.Item key={i}>{m}</List.Item>)}</List>
                <Text size="sm" fw={600} mt="sm">{t('vmi.replay.assumptions')}</Text>
                <List size="sm" spacing={4}>{r.assumptions.map((m, i) => <List.Item key={i}>{m}</List.Item>)}</List>
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>
        </Stack>
      )}
    </Card>
  );
}

