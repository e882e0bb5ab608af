/**
 * The rep's stock count during a visit, phone first: the account's products with big numeric
 * inputs (Enter goes to the next), saved to the phone's outbox first and sent when there is a
 * connection (decision 035): "waiting to send (n)" until the server has it, then "sent". The
 * product list is kept on the phone too, so the page opens again without a connection.
 */
import { Alert, Anchor, Badge, Button, Card, Group, NumberInput, Stack, Text } from '@mantine/core';
import { IconCloudOff, IconCloudUpload, IconCircleCheck } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../../web/api/client.js';
import { useFormat } from '../../../web/format.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { CountOutbox, type OutboxEntry } from './count-outbox.js';
import { type AccountInventory, type InventoryProduct, sendCount } from './vmi-api.js';
import { useProductName } from './vmi-ui.js';

/** One outbox per browser tab, on local storage. */
let shared: CountOutbox | null = null;
const outbox = () => (shared ??= new CountOutbox(window.localStorage, sendCount));
const RETRY_MS = 10_000;
const productsKey = (accountId: string) => `openkam.vmi.countProducts.${accountId}`;

type CountProduct = Pick<InventoryProduct, 'productId' | 'sku' | 'nameEn' | 'nameZh' | 'unit' | 'onHand' | 'onHandDate'>;

/** The account's products to count: from the server, or the copy this phone kept when it has no connection. */
function useCountProducts(accountId: string) {
  return useQuery({
    queryKey: ['vmi', 'count-products', accountId],
    retry: 1,
    queryFn: async (): Promise<CountProduct[]> => {
      try {
        const inv = await api<AccountInventory>(`/vmi/accounts/${accountId}/inventory?limit=50`);
        const list = inv.products.map(({ productId, sku, nameEn, nameZh, unit, onHand, onHandDate }) => ({ productId, sku, nameEn, nameZh, unit, onHand, onHandDate }));
        try { localStorage.setItem(productsKey(accountId), JSON.stringify(list)); } catch { /* storage full: the list is only a convenience */ }
        return list;
      } catch (err) {
        const kept = localStorage.getItem(productsKey(accountId));
        if (kept) return JSON.parse(kept) as CountProduct[];
        throw err;
      }
    },
  });
}

/** The outbox's entries of the account, kept current, and sending on load, when the browser comes online, and every 10 s while any wait. */
function useOutbox(accountId: string) {
  const qc = useQueryClient();
  const [entries, setEntries] = useState<OutboxEntry[]>(() => outbox().entries());
  const [online, setOnline] = useState(() => navigator.onLine);
  const flush = useCallback(() => {
    void outbox().flush().then(() => qc.invalidateQueries({ queryKey: ['vmi'] }));
  }, [qc]);
  useEffect(() => {
    const box = outbox();
    const off = box.subscribe(() => setEntries(box.entries()));
    const up = () => { setOnline(true); flush(); };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    flush();
    const timer = setInterval(() => { if (box.entries().some((e) => e.state === 'waiting')) flush(); }, RETRY_MS);
    return () => { off(); window.removeEventListener('online', up); window.removeEventListener('offline', down); clearInterval(timer); };
  }, [flush]);
  const mine = entries.filter((e) => e.accountId === accountId);
  return { entries: mine, online, flush };
}

export function CountPage() {
  const { accountId = '' } = useParams();
  const { t } = useTranslation();
  const q = useCountProducts(accountId);
  const box = useOutbox(accountId);
  const waiting = box.entries.filter((e) => e.state === 'waiting');
  const failed = box.entries.filter((e) => e.state === 'failed');
  const lastSent = box.entries.filter((e) => e.state === 'sent').at(-1);
  return (
    <Stack gap="md" maw={720}>
      <Anchor component={Link} to={`/accounts/${accountId}?tab=inventory`} size="sm">← {t('vmi.count.back')}</Anchor>
      <PageHeader title={t('vmi.count.title')} subtitle={t('vmi.count.subtitle')} />
      <OutboxStatus waiting={waiting.length} online={box.online} lastSent={lastSent} failed={failed} onRetry={box.flush} />
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : !q.data.length ? <Empty title={t('vmi.count.none')}>{t('vmi.count.noneHint')}</Empty> : (
        <CountForm products={q.data} accountId={accountId} onSaved={box.flush} />
      )}
    </Stack>
  );
}

function OutboxStatus({ waiting, online, lastSent, failed, onRetry }: { waiting: number; online: boolean; lastSent: OutboxEntry | undefined; failed: OutboxEntry[]; onRetry: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Stack gap="xs" aria-live="polite">
      {!online && <Alert color="gray" icon={<IconCloudOff size={18} />} p="xs" data-testid="vmi-offline">{t('vmi.count.offline')}</Alert>}
      {waiting > 0 && (
        <Alert color="orange" icon={<IconCloudUpload size={18} />} p="xs" data-testid="vmi-outbox-waiting">
          <Group justify="space-between" gap="xs"><Text size="sm" fw={600}>{t('vmi.count.waiting', { count: waiting })}</Text>{online && <Button size="compact-sm" variant="white" onClick={onRetry}>{t('vmi.count.retry')}</Button>}</Group>
        </Alert>
      )}
      {waiting === 0 && lastSent && (
        <Alert color="green" icon={<IconCircleCheck size={18} />} p="xs" data-testid="vmi-outbox-sent">
          <Group justify="space-between" gap="xs">
            <Text size="sm" fw={600}>{t('vmi.count.sent', { time: f.time(lastSent.sentAt ?? lastSent.queuedAt) })}</Text>
            {lastSent.draftId && <Button component={Link} to={`/vmi/drafts/${lastSent.draftId}`} size="compact-sm" data-testid="vmi-review-draft">{t('vmi.count.review')}</Button>}
          </Group>
        </Alert>
      )}
      {failed.map((e) => (
        <Alert key={e.clientId} color="red" p="xs" withCloseButton closeButtonLabel={t('vmi.count.discard')} onClose={() => outbox().discard(e.clientId)}>
          {t('vmi.count.failed', { time: f.time(e.queuedAt), error: e.error ?? '' })}
        </Alert>
      ))}
    </Stack>
  );
}

function CountForm({ products, accountId, onSaved }: { products: CountProduct[]; accountId: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const name = useProductName();
  const [values, setValues] = useState<Record<string, number | ''>>({});
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const filled = useMemo(() => products.filter((p) => typeof values[p.productId] === 'number'), [products, values]);
  const save = () => {
    if (!filled.length) return;
    outbox().add(accountId, filled.map((p) => ({ productId: p.productId, onHand: values[p.productId] as number })));
    setValues({});
    onSaved();
  };
  return (
    <Stack gap="sm">
      {products.map((p, i) => (
        <Card key={p.productId} withBorder padding="sm" data-testid="vmi-count-row">
          <Group justify="space-between" wrap="nowrap" align="center" gap="sm">
            <div style={{ minWidth: 0, flex: 1 }}>
              <Text fw={600} size="md" lineClamp={2}>{name(p)}</Text>
              <Text size="xs" c="dimmed"><span className="ok-code">{p.sku}</span>{p.onHand !== null && p.onHandDate ? ` · ${t('vmi.count.last', { quantity: f.number(p.onHand), date: f.monthDay(p.onHandDate) })}` : ''}</Text>
            </div>
            <NumberInput
              ref={(el) => { inputs.current[i] = el; }}
              aria-label={t('vmi.count.inputLabel', { product: name(p), unit: p.unit })}
              data-testid={`vmi-count-input-${p.sku}`}
              size="xl" w={130} min={0} max={1_000_000_000} allowDecimal={false} allowNegative={false} hideControls
              inputMode="numeric" enterKeyHint={i === products.length - 1 ? 'done' : 'next'}
              placeholder={p.onHand === null ? '0' : String(p.onHand)}
              rightSection={<Text size="xs" c="dimmed" pr={6}>{p.unit}</Text>} rightSectionWidth={44}
              value={values[p.productId] ?? ''}
              onChange={(v) => setValues((s) => ({ ...s, [p.productId]: typeof v === 'number' ? v : v === '' ? '' : Number(v) }))}
              onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); const next = inputs.current[i + 1]; if (next) next.focus(); else save(); } }}
            />
          </Group>
        </Card>
      ))}
      <Group justify="space-between" style={{ position: 'sticky', bottom: 0, background: 'var(--mantine-color-body)', paddingBlock: 8 }}>
        <Badge variant="light" size="lg" tt="none">{t('vmi.count.filled', { count: filled.length, total: products.length })}</Badge>
        <Button size="lg" onClick={save} disabled={!filled.length} data-testid="vmi-count-save">{t('vmi.count.save')}</Button>
      </Group>
    </Stack>
  );
}
