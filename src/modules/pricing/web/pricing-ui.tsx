/** Pieces of the price pages: a product picker, the break table (shown and edited), the scope badge, a quote with its reason. */
import { ActionIcon, Badge, Button, Card, Group, NumberInput, Select, type SelectProps, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, toQuery } from '../../../web/api/client.js';
import { useFormat } from '../../../web/format.js';
import { useNames } from '../../../web/names.js';
import { parseAmountToMinor } from '../../../shared/money.js';
import type { BreakMode, BreakProblem, PriceBreak, ScopeKind } from '../pricing.domain.js';
import { validateBreaks } from '../pricing.domain.js';
import type { PriceList, PriceQuote } from './pricing-api.js';

/** Price lists follow the company's calendar (the server's default zone). */
export const companyToday = (): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

const scopeColor: Record<ScopeKind, string> = { account: 'grape', group: 'indigo', territory: 'cyan', all: 'gray' };

export function ScopeBadge({ list }: { list: Pick<PriceList, 'scopeKind' | 'scopeLabel' | 'scopeLabelEn'> }) {
  const { t } = useTranslation();
  const n = useNames();
  const label = list.scopeLabel ? n.primary({ name: list.scopeLabel, nameEn: list.scopeLabelEn }) : null;
  return (
    <Badge color={scopeColor[list.scopeKind]} variant="light" size="sm" tt="none" styles={{ root: { maxWidth: 'none' } }} data-testid="scope-badge">
      {t(`pricing.scope.${list.scopeKind}`)}{list.scopeKind !== 'all' && label ? ` · ${label}` : ''}
    </Badge>
  );
}

/** Whether a list is in force today, over, or yet to start. */
export function ValidityText({ list }: { list: Pick<PriceList, 'validFrom' | 'validTo'> }) {
  const { t } = useTranslation();
  const f = useFormat();
  const today = companyToday();
  const state = list.validFrom > today ? 'future' : list.validTo !== null && list.validTo <= today ? 'over' : 'current';
  return (
    <Text size="sm" c={state === 'current' ? undefined : 'dimmed'}>
      {list.validTo ? t('pricing.validity.range', { from: f.date(list.validFrom), to: f.date(list.validTo) }) : t('pricing.validity.from', { from: f.date(list.validFrom) })}
      {state !== 'current' && ` · ${t(`pricing.validity.${state}`)}`}
    </Text>
  );
}

type ProductOption = { id: string; sku: string; nameEn: string; nameZh: string; unit: string };

/** Picks a product by searching its SKU or names on the server. */
export function ProductPicker({ value, onChange, ...props }: Omit<SelectProps, 'data' | 'value' | 'onChange'> & { value: string | null; onChange: (id: string | null, p: ProductOption | null) => void }) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.includes(' · ') ? '' : search.trim(), 250);
  const found = useQuery({ queryKey: ['pricing', 'product-picker', q], queryFn: () => api<{ items: ProductOption[] }>(`/products${toQuery({ q, limit: 30 })}`), staleTime: 60_000 });
  const [picked, setPicked] = useState<ProductOption | null>(null);
  const name = (p: ProductOption) => (i18n.language.startsWith('en') ? p.nameEn : p.nameZh);
  const data = useMemo(() => {
    const rows = [...(picked ? [picked] : []), ...(found.data?.items ?? [])];
    const seen = new Set<string>();
    return rows.filter((p) => (seen.has(p.id) ? false : (seen.add(p.id), true))).map((p) => ({ value: p.id, label: `${p.sku} · ${name(p)}` }));
  }, [found.data, picked, i18n.language]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <Select {...props} searchable clearable value={value} data={data} searchValue={search} onSearchChange={setSearch} filter={({ options }) => options}
      nothingFoundMessage={found.isFetching ? t('pricing.picker.searching') : t('pricing.picker.none')}
      onChange={(v) => { const p = [...(found.data?.items ?? []), ...(picked ? [picked] : [])].find((x) => x.id === v) ?? null; setPicked(p); onChange(v, p); }} />
  );
}

/** Minor units as the decimal text a person types (2 decimals for CNY). */
export const majorText = (minor: number) => (minor / 100).toFixed(2);

/** The breaks of one product, read-only: quantity band and unit price. */
export function BreaksTable({ breaks, currency, mode, compact = false }: { breaks: PriceBreak[]; currency: string; mode?: BreakMode; compact?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Table withRowBorders={!compact} verticalSpacing={compact ? 2 : 4} fz="sm" data-testid="breaks-table">
      {!compact && (
        <Table.Thead><Table.Tr><Table.Th>{t('pricing.breaks.band')}</Table.Th><Table.Th ta="right">{t('pricing.breaks.unitPrice')}</Table.Th></Table.Tr></Table.Thead>
      )}
      <Table.Tbody>
        {breaks.map((b, i) => {
          const next = breaks[i + 1];
          return (
            <Table.Tr key={i}>
              <Table.Td>{next ? t('pricing.breaks.range', { from: f.number(b.from), to: f.number(next.from) }) : t('pricing.breaks.andUp', { from: f.number(b.from) })}</Table.Td>
              <Table.Td ta="right" className="ok-stat">{f.money(b.unitPriceMinor, currency)}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
      {mode && !compact && <Table.Caption>{t(`pricing.mode.${mode}Help`)}</Table.Caption>}
    </Table>
  );
}

export type BreakRow = { from: number | string; price: string };

/** The rows typed into the break editor as breaks, with the problems of each (by row). */
export function readBreaks(rows: BreakRow[], currency: string): { breaks: PriceBreak[]; problems: BreakProblem[] } {
  const problems: BreakProblem[] = [];
  const breaks = rows.map((r, i) => {
    const minor = parseAmountToMinor(r.price, currency);
    if (r.price.trim() === '' || minor === null) problems.push({ index: i, field: 'unitPriceMinor', reason: 'price' });
    if (r.from === '' || typeof r.from !== 'number') problems.push({ index: i, field: 'from', reason: 'from' });
    return { from: typeof r.from === 'number' ? r.from : Number.NaN, unitPriceMinor: minor ?? 0 };
  });
  if (!problems.length) problems.push(...validateBreaks(breaks));
  return { breaks, problems };
}

/** Edits the break table of a product: quantity from, unit price; rows added and removed. */
export function BreaksEditor({ rows, onChange, currency, problems }: { rows: BreakRow[]; onChange: (rows: BreakRow[]) => void; currency: string; problems: BreakProblem[] }) {
  const { t } = useTranslation();
  const problemOf = (i: number, field: 'from' | 'unitPriceMinor') => {
    const p = problems.find((x) => x.index === i && x.field === field);
    if (!p) return undefined;
    if (p.reason === 'price') return t('pricing.breaks.badPrice');
    if (p.reason === 'from') return t('pricing.breaks.badFrom');
    if (p.reason.startsWith('overlaps')) return t('pricing.breaks.overlap');
    if (p.reason.startsWith('breaks must be in increasing')) return t('pricing.breaks.order');
    if (p.reason.includes('negative')) return t('pricing.breaks.negative');
    return p.reason;
  };
  const set = (i: number, patch: Partial<BreakRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack gap={6} data-testid="breaks-editor">
      {rows.map((r, i) => (
        <Group key={i} gap="xs" align="flex-start" wrap="nowrap" data-testid="break-row">
          <NumberInput label={i === 0 ? t('pricing.breaks.from') : undefined} aria-label={t('pricing.breaks.fromRow', { n: i + 1 })} min={0} decimalScale={6} value={r.from}
            onChange={(v) => set(i, { from: v })} error={problemOf(i, 'from')} style={{ flex: 1 }} data-testid="break-from" />
          <TextInput label={i === 0 ? t('pricing.breaks.unitPriceIn', { currency }) : undefined} aria-label={t('pricing.breaks.priceRow', { n: i + 1 })} inputMode="decimal" value={r.price}
            onChange={(e) => set(i, { price: e.currentTarget.value })} error={problemOf(i, 'unitPriceMinor')} style={{ flex: 1 }} data-testid="break-price" />
          <Tooltip label={t('pricing.breaks.remove')}>
            <ActionIcon variant="subtle" color="red" size="lg" mt={i === 0 ? 24 : 0} aria-label={t('pricing.breaks.removeRow', { n: i + 1 })} disabled={rows.length === 1}
              onClick={() => onChange(rows.filter((_, j) => j !== i))}><IconTrash size={16} /></ActionIcon>
          </Tooltip>
        </Group>
      ))}
      <Group>
        <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} />} data-testid="add-break"
          onClick={() => { const last = rows[rows.length - 1]; onChange([...rows, { from: typeof last?.from === 'number' ? last.from + 100 : 0, price: last?.price ?? '' }]); }}>
          {t('pricing.breaks.add')}
        </Button>
      </Group>
    </Stack>
  );
}

/** A quote and why: the list that won (and on which rule), the break reached, each band. */
export function QuoteCard({ quote }: { quote: PriceQuote }) {
  const { t } = useTranslation();
  const f = useFormat();
  const m = (minor: number) => f.money(minor, quote.currency);
  return (
    <Card withBorder padding="md" data-testid="quote-result">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <div>
            <Text size="xs" c="dimmed" fw={600}>{t('pricing.quote.total')}</Text>
            <Text fz={26} fw={700} className="ok-stat" data-testid="quote-total">{m(quote.totalMinor)}</Text>
            <Text size="sm" data-testid="quote-unit">{t('pricing.quote.effective', { price: m(quote.unitPriceMinor), quantity: f.number(quote.quantity) })}</Text>
          </div>
          <Stack gap={4} align="flex-end">
            <Badge variant="light" tt="none">{t(`pricing.mode.${quote.breakMode}`)}</Badge>
            <Text size="xs" c="dimmed">{t('pricing.quote.listPrice', { price: m(quote.baseUnitPriceMinor) })}</Text>
          </Stack>
        </Group>
        <Text size="sm" data-testid="quote-why">
          {t('pricing.quote.why', { list: quote.listName, scope: t(`pricing.scope.${quote.scope.kind}`) })}{' '}
          {t(`pricing.rule.${quote.why.rule}`)}
        </Text>
        <Text size="sm">
          {quote.why.break.to === null
            ? t('pricing.quote.breakOpen', { n: quote.why.break.index + 1, from: f.number(quote.why.break.from) })
            : t('pricing.quote.break', { n: quote.why.break.index + 1, from: f.number(quote.why.break.from), to: f.number(quote.why.break.to) })}
        </Text>
        <Table fz="sm" verticalSpacing={4} data-testid="quote-bands">
          <Table.Thead>
            <Table.Tr><Table.Th>{t('pricing.breaks.band')}</Table.Th><Table.Th ta="right">{t('pricing.quote.qty')}</Table.Th><Table.Th ta="right">{t('pricing.breaks.unitPrice')}</Table.Th><Table.Th ta="right">{t('pricing.quote.amount')}</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {quote.bands.map((b, i) => (
              <Table.Tr key={i}>
                <Table.Td>{b.to === null ? t('pricing.breaks.andUp', { from: f.number(b.from) }) : t('pricing.breaks.range', { from: f.number(b.from), to: f.number(b.to) })}</Table.Td>
                <Table.Td ta="right">{f.number(b.quantity)}</Table.Td>
                <Table.Td ta="right">{m(b.unitPriceMinor)}</Table.Td>
                <Table.Td ta="right" className="ok-stat">{m(b.amountMinor)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {quote.why.losers.length > 0 && (
          <Stack gap={2} data-testid="quote-losers">
            <Text size="xs" c="dimmed" fw={600}>{t('pricing.quote.alsoApplied')}</Text>
            {quote.why.losers.map((l) => (
              <Text size="xs" key={l.listId}>{t('pricing.quote.lost', { list: l.listName, scope: t(`pricing.scope.${l.scopeKind}`), rule: t(`pricing.lostOn.${l.lostOn}`) })}</Text>
            ))}
          </Stack>
        )}
        <Text size="xs" c="dimmed">{t('pricing.quote.rounding')}</Text>
      </Stack>
    </Card>
  );
}
