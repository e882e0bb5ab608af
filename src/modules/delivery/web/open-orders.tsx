/** The open orders of an account: order lines not yet delivered in full, soonest promise first, with due or overdue days and where the order came from (a signed VMI order links to its draft). */
import { Anchor, Badge, Card, Group, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { isEnglish } from '../../../web/names.js';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import { type OpenLine, useOpenLines } from './delivery-api.js';
import { Pager } from './otif-ui.js';

const PAGE = 20;
const wholeLabel = { label: { overflow: 'visible' } } as const;

function DueBadge({ line }: { line: OpenLine }) {
  const { t } = useTranslation();
  const d = line.daysToPromise;
  if (line.due === 'unscheduled' || d === null) return <Badge styles={wholeLabel} size="sm" variant="light" color="gray" tt="none">{t('delivery.openOrders.unscheduled')}</Badge>;
  if (line.due === 'overdue') return <Badge styles={wholeLabel} size="sm" variant="filled" color="red" tt="none">{t('delivery.badge.overdue', { count: -d })}</Badge>;
  return <Badge styles={wholeLabel} size="sm" variant="light" color={d <= 2 ? 'orange' : 'blue'} tt="none">{d === 0 ? t('delivery.openOrders.dueToday') : t('delivery.openOrders.dueIn', { count: d })}</Badge>;
}

function OrderNo({ line }: { line: OpenLine }) {
  const text = line.lineNo ? `${line.orderNo} / ${line.lineNo}` : line.orderNo;
  if (line.source?.kind === 'vmi' && line.source.draftId) {
    return <Anchor component={Link} to={`/vmi/drafts/${line.source.draftId}`} size="sm" fw={500} className="ok-code" style={{ whiteSpace: 'nowrap' }}>{text}</Anchor>;
  }
  return <Text size="sm" fw={500} className="ok-code" style={{ whiteSpace: 'nowrap' }}>{text}</Text>;
}

/** `accountId`: one account's (the Delivery tab); without it every visible account's, with `accountName` for the dealer column (the dashboard). */
export function OpenOrdersCard({ accountId, accountName }: { accountId?: string; accountName?: (id: string) => string }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const [offset, setOffset] = useState(0);
  const q = useOpenLines(accountId, { limit: PAGE, offset });
  const en = isEnglish(i18n.language);
  // On a phone each line is a short block (order and due first), not a table to scroll sideways.
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const qty = (l: OpenLine) => <>{f.number(l.delivered)} / {l.quantity === null ? '—' : f.number(l.quantity)}{l.unit ? <Text span size="xs" c="dimmed"> {l.unit}</Text> : null}</>;
  const source = (l: OpenLine) => t(l.source?.kind === 'vmi' ? 'delivery.openOrders.sourceVmi' : 'delivery.openOrders.sourceImport');
  const product = (l: OpenLine) => (l.productName ? (en ? l.productName.en : l.productName.zh) : l.item ?? l.productSku ?? '—');
  return (
    <Card withBorder data-testid="open-orders">
      <Group justify="space-between" mb={4} style={{ rowGap: 2 }}>
        <Text fw={600}>{t('delivery.openOrders.title')}</Text>
        {q.data && q.data.total > 0 && <Text size="sm" c="dimmed">{t('delivery.openOrders.count', { count: q.data.total })}</Text>}
      </Group>
      <Text size="xs" c="dimmed" mb="xs">{t('delivery.openOrders.hint')}</Text>
      {q.isLoading ? <Loading /> : q.error ? <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        : !q.data!.items.length ? <Text size="sm" c="dimmed" data-testid="open-orders-empty">{t('delivery.openOrders.empty')}</Text>
          : phone ? (
            <>
              <Stack gap={0} data-testid="open-orders-table">
                {q.data!.items.map((l, i) => (
                  <div key={l.id} data-testid="open-orders-line" style={{ padding: '8px 4px', borderTop: i ? '1px solid var(--mantine-color-gray-2)' : undefined, background: l.due === 'overdue' ? 'var(--mantine-color-red-0)' : undefined }}>
                    <Group justify="space-between" gap="xs" wrap="nowrap"><OrderNo line={l} /><DueBadge line={l} /></Group>
                    {accountName && <Text size="sm" fw={600} lineClamp={1}>{accountName(l.accountId)}</Text>}
                    <Text size="sm" lineClamp={1}>{product(l)}</Text>
                    <Text size="xs" c="dimmed" className="ok-stat">{qty(l)} · {t('delivery.cols.promised')} {l.promisedDate ? f.monthDay(l.promisedDate) : '—'} · {source(l)}</Text>
                  </div>
                ))}
              </Stack>
              <Pager offset={offset} limit={PAGE} count={q.data!.items.length} total={q.data!.total} onOffset={setOffset} />
            </>
          ) : (
            <>
              <ScrollArea type="auto" offsetScrollbars>
                <Table verticalSpacing={6} miw={accountName ? 780 : 640} data-testid="open-orders-table">
                  <Table.Thead>
                    <Table.Tr>
                      {accountName && <Table.Th>{t('delivery.cols.dealer')}</Table.Th>}
                      <Table.Th>{t('delivery.cols.orderLine')}</Table.Th>
                      <Table.Th>{t('delivery.openOrders.product')}</Table.Th>
                      <Table.Th ta="right">{t('delivery.cols.deliveredOf')}</Table.Th>
                      <Table.Th>{t('delivery.cols.promised')}</Table.Th>
                      <Table.Th>{t('delivery.cols.status')}</Table.Th>
                      <Table.Th>{t('delivery.openOrders.source')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {q.data!.items.map((l) => (
                      <Table.Tr key={l.id} bg={l.due === 'overdue' ? 'red.0' : undefined}>
                        {accountName && <Table.Td><Text size="sm" lineClamp={2}>{accountName(l.accountId)}</Text></Table.Td>}
                        <Table.Td><OrderNo line={l} /></Table.Td>
                        <Table.Td><Text size="sm" lineClamp={accountName ? 2 : 1}>{product(l)}</Text></Table.Td>
                        <Table.Td ta="right" className="ok-stat" style={{ whiteSpace: 'nowrap' }}>
                          {qty(l)}
                        </Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{l.promisedDate ? f.monthDay(l.promisedDate) : '—'}</Table.Td>
                        <Table.Td><DueBadge line={l} /></Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}><Text size="sm" c={l.source ? undefined : 'dimmed'}>{source(l)}</Text></Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea>
              <Pager offset={offset} limit={PAGE} count={q.data!.items.length} total={q.data!.total} onOffset={setOffset} />
            </>
          )}
    </Card>
  );
}
