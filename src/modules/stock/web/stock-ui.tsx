/** Pieces shared by the stock pages: a product's name, the stock-outs list with its spells and causing lines, the latest stock. */
import { Accordion, Badge, Group, Stack, Table, Text } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';
import { isEnglish, useNames } from '../../../web/names.js';
import { Empty } from '../../../web/ui/states.js';
import type { LatestStock, Spell, StockOutRow } from './stock-api.js';

/** A product in the reader's language; an item not in the catalogue as the source wrote it. */
export function useProductLabel() {
  const { i18n } = useTranslation();
  return useCallback((p: Pick<StockOutRow, 'productNameEn' | 'productNameZh' | 'item' | 'sku'>) =>
    (isEnglish(i18n.language) ? p.productNameEn : p.productNameZh) ?? p.item ?? p.sku ?? '', [i18n.language]);
}

/** A unit as stored (t, bag, roll) in the reader's language; an unknown one as stored. */
export function useUnit() {
  const { t } = useTranslation();
  return useCallback((unit: string | null | undefined) => (unit ? t(`stock.unit.${unit}`, { defaultValue: unit }) : ''), [t]);
}

function Causes({ spell }: { spell: Spell }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!spell.causes.length) return <Text size="sm" c="dimmed">{t('stock.spell.noCause')}</Text>;
  return (
    <Stack gap={4} data-testid="stock-causes">
      {spell.causes.map((c) => (
        <Group key={c.lineId} gap="xs" wrap="wrap">
          <Badge size="sm" color={c.reason === 'late' ? 'orange' : 'red'} variant="light">{t(`stock.cause.${c.reason}`)}</Badge>
          <Text size="sm">
            {t('stock.cause.line', { order: c.lineNo ? `${c.orderNo}/${c.lineNo}` : c.orderNo, promised: f.monthDay(c.promisedDate) })}
            {' · '}
            {c.deliveredDate ? t('stock.cause.delivered', { date: f.monthDay(c.deliveredDate), count: c.daysLate }) : t('stock.cause.daysLate', { count: c.daysLate })}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

/** The last day out of a closed spell: the day before stock was back. */
const lastDay = (end: string) => new Date(Date.parse(`${end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

function SpellBlock({ spell, unit, internal, currency }: { spell: Spell; unit: string | null; internal: boolean; currency: string | null | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  const u = useUnit();
  return (
    <Stack gap={4} py="xs" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }} data-testid="stock-spell">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text fw={600} size="sm">
          {spell.end ? t('stock.spell.range', { from: f.monthDay(spell.start), to: f.monthDay(lastDay(spell.end)) }) : t('stock.spell.open', { from: f.monthDay(spell.start) })}
        </Text>
        <Badge variant="light" color={spell.end ? 'gray' : 'red'}>{t('stock.days', { count: spell.daysOut })}</Badge>
      </Group>
      <Text size="sm" c="dimmed">
        {spell.rate
          ? t('stock.spell.lost', { quantity: f.number(spell.lostQuantity ?? 0), unit: u(unit), rate: f.number(Math.round((spell.rate.sold / spell.rate.days) * 100) / 100), days: spell.rate.days })
          : t('stock.spell.unknown')}
        {internal && spell.lostValueMinor != null && currency ? ` · ${f.money(spell.lostValueMinor, currency)}` : ''}
      </Text>
      <Causes spell={spell} />
    </Stack>
  );
}

/** Stock-outs per dealer and product: a row each, opened to its spells and the lines that caused them. */
export function StockOutsList({ items, showDealer, internal }: { items: StockOutRow[]; showDealer: boolean; internal: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const product = useProductLabel();
  const n = useNames();
  const u = useUnit();
  if (!items.length) return <Empty title={t('stock.outs.none')}>{t('stock.outs.noneHint')}</Empty>;
  return (
    <Accordion variant="separated" multiple data-testid="stock-outs">
      {items.map((r) => (
        <Accordion.Item key={`${r.accountId}|${r.productId ?? r.item}`} value={`${r.accountId}|${r.productId ?? r.item}`}>
          <Accordion.Control>
            <Group justify="space-between" wrap="wrap" gap="xs" pr="xs">
              <Stack gap={0} style={{ minWidth: 0, flex: '1 1 200px' }}>
                <Text fw={600} style={{ overflowWrap: 'anywhere' }}>{product(r)}</Text>
                {showDealer && <Text size="sm" c="dimmed">{r.accountCode} · {n.primary(r)}</Text>}
              </Stack>
              <Group gap="xs" wrap="wrap">
                {r.outNow && <Badge color="red">{t('stock.outNow')}</Badge>}
                <Badge variant="light" color="orange">{t('stock.days', { count: r.daysOut })}</Badge>
                <Text size="sm" fw={600} miw={90} ta="right">
                  {internal && r.lostValueMinor != null && r.currency ? f.money(r.lostValueMinor, r.currency) : r.lostQuantity !== null ? `${f.number(r.lostQuantity)} ${u(r.unit)}` : t('stock.unknown')}
                </Text>
              </Group>
            </Group>
          </Accordion.Control>
          <Accordion.Panel>
            {r.daysUnknown > 0 && <Text size="xs" c="dimmed" mb={4}>{t('stock.outs.daysUnknown', { count: r.daysUnknown })}</Text>}
            {r.spells.map((s) => <SpellBlock key={s.start} spell={s} unit={r.unit} internal={internal} currency={r.currency} />)}
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}

/** The latest report per product, those out of stock first. */
export function LatestTable({ latest }: { latest: LatestStock[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const product = useProductLabel();
  const u = useUnit();
  if (!latest.length) return <Empty title={t('stock.latest.none')}>{t('stock.latest.noneHint')}</Empty>;
  return (
    <Table.ScrollContainer minWidth={340}>
      <Table verticalSpacing={6} data-testid="stock-latest">
        <Table.Thead>
          <Table.Tr><Table.Th>{t('stock.latest.product')}</Table.Th><Table.Th ta="right">{t('stock.latest.onHand')}</Table.Th><Table.Th>{t('stock.latest.date')}</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {latest.map((l) => (
            <Table.Tr key={l.productId ?? l.item}>
              <Table.Td>
                <Text size="sm" fw={500}>{product(l)}</Text>
                {l.outSince && <Badge size="xs" color="red" mt={2}>{t('stock.outSince', { date: f.monthDay(l.outSince) })}</Badge>}
              </Table.Td>
              <Table.Td ta="right"><Text size="sm" c={l.onHand <= 0 ? 'red' : undefined} fw={l.onHand <= 0 ? 700 : 400}>{f.number(l.onHand)} {u(l.unit)}</Text></Table.Td>
              <Table.Td><Text size="sm">{f.monthDay(l.reportDate)}</Text></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The method in one paragraph (decision 025), shown beside the figures. */
export function Definition() {
  const { t } = useTranslation();
  return <Text size="xs" c="dimmed" data-testid="stock-definition">{t('stock.definition')}</Text>;
}
