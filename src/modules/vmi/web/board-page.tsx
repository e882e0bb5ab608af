/**
 * The VMI board (/vmi): the exceptions of the drafted orders by date (stock-out, below min, above
 * max, slow mover), filtered by kind and period, a page at a time; and the drafts that wait — to
 * send, to be signed by the dealer, expired.
 */
import { Anchor, Card, Group, Pagination, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { useNames } from '../../../web/names.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { vmiExceptionKinds } from '../vmi.contract.js';
import { useDrafts, useExceptions, type VmiDraftStatus } from './vmi-api.js';
import { DraftStatusBadge, ExceptionBadge, useProductName } from './vmi-ui.js';

const PAGE = 25;
const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

export function VmiBoardPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="md" maw={1100}>
      <PageHeader title={t('vmi.board.title')} subtitle={t('vmi.board.subtitle')} />
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <Waiting status="draft" title={t('vmi.board.toSend')} />
        <Waiting status="sent" title={t('vmi.board.toSign')} />
        <Waiting status="expired" title={t('vmi.board.expired')} />
      </SimpleGrid>
      <Exceptions />
    </Stack>
  );
}

function Waiting({ status, title }: { status: VmiDraftStatus; title: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const q = useDrafts({ status, limit: 8 });
  return (
    <Card withBorder padding="sm" data-testid={`vmi-waiting-${status}`}>
      <Group justify="space-between" mb={6}><Title order={2} size="h5">{title}</Title><Text fw={700} className="ok-stat">{q.data ? f.number(q.data.total) : ''}</Text></Group>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : !q.data.items.length ? <Text size="sm" c="dimmed">{t('vmi.board.noneWaiting')}</Text> : (
        <Stack gap={6}>
          {q.data.items.map((d) => (
            <div key={d.id}>
              <Anchor component={Link} to={`/vmi/drafts/${d.id}`} size="sm" fw={600}><span className="ok-code">{d.number}</span> · {n.primary(d)}</Anchor>
              <Text size="xs" c="dimmed">
                {t('vmi.orders.line', { count: d.lineCount, quantity: f.number(d.totalQuantity), date: f.monthDay(d.arrival) })}
                {status === 'sent' && d.expiresAt ? ` · ${t('vmi.board.expiresAt', { time: f.dateTime(d.expiresAt) })}` : ''}
              </Text>
            </div>
          ))}
          {q.data.total > q.data.items.length && <Text size="xs" c="dimmed">{t('vmi.board.more', { count: q.data.total - q.data.items.length })}</Text>}
        </Stack>
      )}
    </Card>
  );
}

function Exceptions() {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const name = useProductName();
  const [kind, setKind] = useState('all');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  // The kind is filtered by the server, so the pages and their count are of that kind only.
  const q = useExceptions({ ...(isDay(from) ? { from } : {}), ...(isDay(to) ? { to } : {}), ...(kind !== 'all' ? { kind } : {}), offset: (page - 1) * PAGE, limit: PAGE });
  const rows = q.data?.items ?? [];
  return (
    <Card withBorder padding="sm">
      <Title order={2} size="h4" mb="xs">{t('vmi.board.exceptions')}</Title>
      <Group gap="xs" mb="sm" wrap="wrap" align="flex-end">
        <SegmentedControl size="xs" value={kind} onChange={(v) => { setKind(v); setPage(1); }} data={[{ value: 'all', label: t('vmi.board.all') }, ...vmiExceptionKinds.map((k) => ({ value: k, label: t(`vmi.exception.${k}`) }))]}
          style={{ maxWidth: '100%', overflowX: 'auto' }} />
        <TextInput type="date" size="xs" label={t('vmi.board.from')} value={from} onChange={(e) => { setFrom(e.currentTarget.value); setPage(1); }} w={150} />
        <TextInput type="date" size="xs" label={t('vmi.board.to')} value={to} onChange={(e) => { setTo(e.currentTarget.value); setPage(1); }} w={150} />
      </Group>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : !rows.length ? (
        <Empty title={t('vmi.board.none')}>{t('vmi.board.noneHint')}</Empty>
      ) : (
        <Stack gap={0} data-testid="vmi-exceptions">
          {rows.map((r, i) => (
            <Group key={`${r.draftId}/${r.product.id}/${r.kind}/${i}`} gap="sm" wrap="nowrap" align="flex-start" py={8} style={{ borderTop: i ? '1px solid var(--mantine-color-gray-2)' : undefined }} data-testid="vmi-exception-row">
              <Text size="sm" fw={700} w={64} style={{ flexShrink: 0 }}>{f.monthDay(r.date)}</Text>
              <div style={{ minWidth: 0, flex: 1 }}>
                <Group gap={6} wrap="wrap">
                  <ExceptionBadge kind={r.kind} />
                  <Anchor component={Link} to={`/accounts/${r.account.id}?tab=inventory`} size="sm" fw={600}>{n.primary(r.account)}</Anchor>
                </Group>
                <Text size="sm" c="dimmed">{name(r.product)}</Text>
              </div>
              <Stack gap={2} align="flex-end" style={{ flexShrink: 0 }}>
                <Anchor component={Link} to={`/vmi/drafts/${r.draftId}`} size="xs" className="ok-code">{r.draftNumber}</Anchor>
                <DraftStatusBadge status={r.draftStatus} />
              </Stack>
            </Group>
          ))}
        </Stack>
      )}
      {(q.data?.total ?? 0) > PAGE && <Group justify="center" mt="sm"><Pagination size="sm" total={Math.ceil(q.data!.total / PAGE)} value={page} onChange={setPage} /></Group>}
    </Card>
  );
}
