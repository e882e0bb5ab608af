/** The pieces the delivery screens share: rates shown as "no data" rather than 100 %, the definitions, the charts and the shipment lists with late flags. */
import { ActionIcon, Badge, Button, Group, List, Popover, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight, IconInfoCircle } from '@tabler/icons-react';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../../web/charts/echart.js';
import { localDateOf } from '../../../shared/time.js';
import { useFormat } from '../../../web/format.js';
import type { DeliveryTerms, OtifGroup, OtifResult, OverdueLine, Shipment, Tolerances } from './delivery-api.js';
import { useModeName, useModeNames } from './transport-mode.js';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent]);

const axisLabel = { color: '#495057' };
export const rateColors = { onTime: '#2267c1', inFull: '#0ca678', otif: '#e8590c' } as const;
export type Basis = 'lines' | 'orders' | 'volume';

/** A share 0–1 as a percentage in the reader's language, or null. */
export function usePercent() {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const fmt = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 });
    return (share: number | null | undefined) => (share == null ? null : fmt.format(share));
  }, [i18n.language]);
}

/** The three shares of a group on one basis (per line, per order, by volume); null is no data. */
export function sharesOf(g: OtifGroup | undefined, basis: Basis): { onTime: number | null; inFull: number | null; otif: number | null; counted: number } {
  if (!g) return { onTime: null, inFull: null, otif: null, counted: 0 };
  if (basis === 'volume') return { onTime: g.volume?.onTimeShare ?? null, inFull: g.volume?.inFullShare ?? null, otif: g.volume?.otifShare ?? null, counted: g.lines.counted };
  const b = g[basis];
  return { onTime: b.onTime.share, inFull: b.inFull?.share ?? null, otif: b.otif?.share ?? null, counted: b.counted };
}

/** A share, or "no data" in grey: an empty group is never 100 %. */
export function Share({ share, count, of }: { share: number | null; count?: number; of?: number }) {
  const { t } = useTranslation();
  const pct = usePercent();
  if (share === null) return <Text span size="sm" c="dimmed" fs="italic">{t('delivery.noData')}</Text>;
  return (
    <Text span size="sm" className="ok-stat">
      {pct(share)}{count !== undefined && of !== undefined && <Text span size="xs" c="dimmed"> {t('delivery.countOf', { count, of })}</Text>}
    </Text>
  );
}

/** "How is this computed?": decision 018 in a few lines, beside the figures, with the tolerances in use. */
export function HowComputed({ tolerances, terms }: { tolerances?: Tolerances | null; terms?: DeliveryTerms }) {
  const { t } = useTranslation();
  const points = [t('delivery.definitions.points.p1'), t('delivery.definitions.points.p2'), t('delivery.definitions.points.p3'), t('delivery.definitions.points.p4'), t('delivery.definitions.points.p5'), t('delivery.definitions.points.p6')];
  return (
    <Popover width={360} position="bottom-end" withArrow shadow="md">
      <Popover.Target>
        <Button variant="subtle" size="compact-sm" leftSection={<IconInfoCircle size={16} />} data-testid="otif-definitions">{t('delivery.definitions.button')}</Button>
      </Popover.Target>
      <Popover.Dropdown maw="calc(100vw - 24px)">
        <Stack gap="xs">
          <Text fw={600} size="sm">{t('delivery.definitions.title')}</Text>
          <List size="xs" spacing={4}>{points.map((p) => <List.Item key={p}>{p}</List.Item>)}</List>
          {tolerances && <Text size="xs" c="dimmed">{t('delivery.definitions.inUse', tolerances)}</Text>}
          {tolerances === null && !terms && <Text size="xs" c="dimmed">{t('delivery.definitions.dealerTerms')}</Text>}
          {terms && (
            <Text size="xs" c="dimmed" data-testid="delivery-terms">
              {t(terms.agreed ? 'delivery.definitions.agreed' : 'delivery.definitions.notAgreed', { ...terms, calendar: t(`delivery.calendar.${terms.calendar}`) })}
            </Text>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

/**
 * On time, in full and OTIF by month as grouped bars. A month without a counted line has no bar
 * and "no data" under its name.
 */
export function MonthChart({ groups, basis = 'lines', height = 240, onPick }: { groups: OtifGroup[]; basis?: Basis; height?: number; onPick?: (month: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const pct = usePercent();
  const narrow = typeof window !== 'undefined' && window.innerWidth < 600;
  const emptyMonths = groups.filter((g) => g.lines.counted === 0).map((g) => f.month(g.key[0] ?? ''));
  const option = useMemo(() => {
    const months = groups.map((g) => g.key[0] ?? '');
    const empty = new Set(groups.filter((g) => g.lines.counted === 0).map((g) => g.key[0]));
    // "26年10月" takes the room of eight Latin letters, "Oct 26" of six: twelve of the longer ones overlap in a half-width card.
    const wideLabels = months.some((m) => [...f.month(m)].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0) > 6);
    const series = (['onTime', 'inFull', 'otif'] as const).map((k) => ({
      name: t(`delivery.rates.${k}`), type: 'bar', barMaxWidth: 14, itemStyle: { color: rateColors[k] },
      data: groups.map((g) => { const s = sharesOf(g, basis)[k]; return s === null ? '-' : Math.round(s * 1000) / 10; }),
    }));
    return {
      animation: false,
      grid: { left: 8, right: 8, top: 28, bottom: 4, containLabel: true },
      legend: { top: 0, left: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number | string) => (typeof v === 'number' ? pct(v / 100) : t('delivery.noData')) },
      xAxis: {
        type: 'category', data: months, axisTick: { show: false }, axisLine: { lineStyle: { color: '#ced4da' } },
        // Every month named (a gap must be read as "no data", not guessed): turned on a narrow screen.
        axisLabel: { ...axisLabel, fontSize: 10, interval: 0, rotate: (narrow || wideLabels) && months.length > 6 ? 45 : 0, formatter: (m: string) => (empty.has(m) ? `${f.month(m)}\n{nd|${t('delivery.noData')}}` : f.month(m)), rich: { nd: { color: '#868e96', fontSize: 9, fontStyle: 'italic' } } },
      },
      yAxis: { type: 'value', min: 0, max: 100, splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel: { ...axisLabel, formatter: '{value} %' } },
      series,
    };
  }, [groups, basis, f, t, pct, narrow]);
  return (
    <>
      <EChart option={option} height={height} ariaLabel={t('delivery.charts.byMonth')} {...(onPick ? { onCategoryClick: (i: number) => { const m = groups[i]?.key[0]; if (m) onPick(m); } } : {})} />
      {emptyMonths.length > 0 && <Text size="xs" c="dimmed" mt={4} data-testid="no-data-months">{t('delivery.noDataMonths', { months: emptyMonths.join(', ') })}</Text>}
    </>
  );
}

/** The three rates by transport mode, horizontal bars; a mode without counted lines says so. */
export function ModeChart({ groups, basis = 'lines', onPick }: { groups: OtifGroup[]; basis?: Basis; onPick?: (mode: string) => void }) {
  const { t } = useTranslation();
  const pct = usePercent();
  const modeNames = useModeNames();
  const option = useMemo(() => {
    const labels = modeNames(groups.map((g) => g.key[0]));
    const names = groups.map((g, i) => `${labels[i]}${g.lines.counted === 0 ? `\n(${t('delivery.noData')})` : ''}`);
    return {
      animation: false,
      grid: { left: 8, right: 16, top: 28, bottom: 4, containLabel: true },
      legend: { top: 0, left: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number | string) => (typeof v === 'number' ? pct(v / 100) : t('delivery.noData')) },
      yAxis: { type: 'category', data: names, inverse: true, axisTick: { show: false }, axisLabel },
      xAxis: { type: 'value', min: 0, max: 100, splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel: { ...axisLabel, formatter: '{value} %' } },
      series: (['onTime', 'inFull', 'otif'] as const).map((k) => ({
        name: t(`delivery.rates.${k}`), type: 'bar', barMaxWidth: 10, itemStyle: { color: rateColors[k] },
        data: groups.map((g) => { const s = sharesOf(g, basis)[k]; return s === null ? '-' : Math.round(s * 1000) / 10; }),
      })),
    };
  }, [groups, basis, t, pct, modeNames]);
  return <EChart option={option} height={Math.max(140, 60 + groups.length * 48)} ariaLabel={t('delivery.charts.byMode')}
    {...(onPick ? { onCategoryClick: (i: number) => { const g = groups[i]; if (g) onPick(g.key[0] ?? ''); } } : {})} />;
}

/** The lateness histogram (decision 018's buckets), early in blue, on the day in green, late in orange to red; p50, p90 and the maximum above it. */
export function LatenessChart({ group, buckets, height = 220 }: { group: OtifGroup | undefined; buckets: OtifResult['latenessBuckets']; height?: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const lat = group?.lateness;
  const option = useMemo(() => {
    const h = (lat?.histogram ?? []).map((count, i) => ({ ...buckets[i]!, count }));
    const color = (from: number | null, to: number | null) => ((to ?? 1) < 0 ? '#74c0fc' : from === 0 && to === 0 ? '#40c057' : (from ?? 0) > 5 ? '#e03131' : '#f59f00');
    return {
      animation: false,
      grid: { left: 8, right: 8, top: 12, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: h.map((b) => b.label), axisTick: { show: false }, axisLabel: { ...axisLabel, fontSize: 10, interval: 0, rotate: 40 } },
      yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#f1f3f5' } }, axisLabel },
      series: [{ name: t('delivery.lateness.lines'), type: 'bar', barMaxWidth: 28, data: h.map((b) => ({ value: b.count, itemStyle: { color: color(b.from, b.to) } })) }],
    };
  }, [lat, buckets, t]);
  if (!lat || lat.measured === 0) return <Text size="sm" c="dimmed" fs="italic" py="md">{t('delivery.lateness.none')}</Text>;
  const days = (n: number | null) => (n === null ? '—' : t('delivery.days', { count: n, n: f.signed(n) }));
  return (
    <Stack gap={4}>
      <Group gap="md" style={{ rowGap: 2 }}>
        <Text size="sm">{t('delivery.lateness.p50')}: <b>{days(lat.p50)}</b></Text>
        <Text size="sm">{t('delivery.lateness.p90')}: <b>{days(lat.p90)}</b></Text>
        <Text size="sm">{t('delivery.lateness.max')}: <b>{days(lat.max)}</b></Text>
      </Group>
      <EChart option={option} height={height} ariaLabel={t('delivery.charts.lateness')} />
      <Text size="xs" c="dimmed">{t('delivery.lateness.note', { measured: lat.measured, overdue: group!.failures.overdueOpen + group!.failures.cancelledLate })}</Text>
    </Stack>
  );
}

/** A badge's label is cut with an ellipsis by default: in a narrow table column "2 days late" became "2 day…". */
const wholeLabel = { label: { overflow: 'visible' } } as const;

/** A shipment's standing: days late, on time, early, on the way, or overdue when it is on the way past its promise. */
export function LateBadge({ s, today }: { s: Pick<Shipment, 'daysLate' | 'deliveredDate' | 'promisedDate'>; today: string }) {
  const { t } = useTranslation();
  if (!s.deliveredDate) {
    const overdue = s.promisedDate && s.promisedDate < today;
    return <Badge styles={wholeLabel} size="sm" variant="light" color={overdue ? 'red' : 'blue'} tt="none">{t(overdue ? 'delivery.badge.onTheWayLate' : 'delivery.badge.onTheWay')}</Badge>;
  }
  if (s.daysLate === null) return <Badge styles={wholeLabel} size="sm" variant="light" color="gray" tt="none">{t('delivery.badge.noPromise')}</Badge>;
  if (s.daysLate > 0) return <Badge styles={wholeLabel} size="sm" variant="filled" color={s.daysLate > 3 ? 'red' : 'orange'} tt="none" data-testid="late-badge">{t('delivery.badge.late', { count: s.daysLate })}</Badge>;
  if (s.daysLate < 0) return <Badge styles={wholeLabel} size="sm" variant="light" color="cyan" tt="none">{t('delivery.badge.early', { count: -s.daysLate })}</Badge>;
  return <Badge styles={wholeLabel} size="sm" variant="light" color="teal" tt="none">{t('delivery.badge.onTime')}</Badge>;
}

const orderLine = (s: { orderNo: string; lineNo: string | null }) => (s.lineNo ? `${s.orderNo} / ${s.lineNo}` : s.orderNo);

/** Shipments with their late flags; `accountName` adds the dealer column (lists across accounts). */
export function ShipmentsTable({ items, today, accountName, showMode = true }: { items: Shipment[]; today: string; accountName?: (id: string) => string; showMode?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const modeName = useModeName();
  const d = (x: string | null) => (x ? f.monthDay(x) : '—');
  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Table striped verticalSpacing={6} miw={accountName ? 720 : 600} data-testid="shipments-table">
        <Table.Thead>
          <Table.Tr>
            {accountName && <Table.Th>{t('delivery.cols.dealer')}</Table.Th>}
            <Table.Th>{t('delivery.cols.orderLine')}</Table.Th>
            <Table.Th>{t('delivery.cols.status')}</Table.Th>
            <Table.Th>{t('delivery.cols.item')}</Table.Th>
            <Table.Th>{t('delivery.cols.promised')}</Table.Th>
            <Table.Th>{t('delivery.cols.delivered')}</Table.Th>
            <Table.Th ta="right">{t('delivery.cols.quantity')}</Table.Th>
            {showMode && <Table.Th>{t('delivery.cols.mode')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((s) => (
            <Table.Tr key={s.id} bg={!s.deliveredDate && s.promisedDate && s.promisedDate < today ? 'red.0' : undefined}>
              {accountName && <Table.Td><Text size="sm" lineClamp={1}>{accountName(s.accountId)}</Text></Table.Td>}
              <Table.Td><Text size="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>{orderLine(s)}</Text></Table.Td>
              {/* The late flag right after the order: on a phone it shows before the table scrolls. */}
              <Table.Td><LateBadge s={s} today={today} /></Table.Td>
              <Table.Td><Text size="sm" lineClamp={1}>{s.item ?? '—'}</Text></Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{d(s.promisedDate)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{s.deliveredDate ? d(s.deliveredDate) : s.shippedDate ? <Text span size="sm" c="dimmed">{t('delivery.shippedOn', { date: d(s.shippedDate) })}</Text> : '—'}</Table.Td>
              <Table.Td ta="right" className="ok-stat">{s.quantity === null ? '—' : f.number(s.quantity)}</Table.Td>
              {showMode && <Table.Td style={{ whiteSpace: 'nowrap' }}>{s.mode ? modeName(s.mode) : '—'}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

/** Open lines past their promise: the failures no shipment shows, highlighted. */
export function OverdueTable({ items, accountName }: { items: OverdueLine[]; accountName?: (id: string) => string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Table verticalSpacing={6} miw={accountName ? 640 : 520} data-testid="overdue-table">
        <Table.Thead>
          <Table.Tr>
            {accountName && <Table.Th>{t('delivery.cols.dealer')}</Table.Th>}
            <Table.Th>{t('delivery.cols.orderLine')}</Table.Th>
            <Table.Th>{t('delivery.cols.status')}</Table.Th>
            <Table.Th>{t('delivery.cols.item')}</Table.Th>
            <Table.Th>{t('delivery.cols.promised')}</Table.Th>
            <Table.Th ta="right">{t('delivery.cols.deliveredOf')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((l) => (
            <Table.Tr key={l.id} bg="red.0">
              {accountName && <Table.Td><Text size="sm" lineClamp={1}>{accountName(l.accountId)}</Text></Table.Td>}
              <Table.Td><Text size="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>{orderLine(l)}</Text></Table.Td>
              <Table.Td><Badge styles={wholeLabel} size="sm" color="red" variant="filled" tt="none">{t('delivery.badge.overdue', { count: l.daysOverdue })}</Badge></Table.Td>
              <Table.Td><Text size="sm" lineClamp={1}>{l.item ?? '—'}</Text></Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{f.monthDay(l.promisedDate)}</Table.Td>
              <Table.Td ta="right" className="ok-stat" style={{ whiteSpace: 'nowrap' }}>{f.number(l.delivered)} / {l.quantity === null ? '—' : f.number(l.quantity)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

/** Previous / next for offset paging; "next" only when the page was full (the lists carry no total). */
export function Pager({ offset, limit, count, total, onOffset }: { offset: number; limit: number; count: number; total?: number; onOffset: (o: number) => void }) {
  const { t } = useTranslation();
  const hasNext = total !== undefined ? offset + limit < total : count === limit;
  if (offset === 0 && !hasNext) return null;
  return (
    <Group gap="xs" justify="flex-end">
      <ActionIcon variant="default" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))} aria-label={t('delivery.pager.previous')}><IconChevronLeft size={16} /></ActionIcon>
      <Text size="sm" c="dimmed">{t('delivery.pager.page', { page: Math.floor(offset / limit) + 1 })}</Text>
      <ActionIcon variant="default" disabled={!hasNext} onClick={() => onOffset(offset + limit)} aria-label={t('delivery.pager.next')}><IconChevronRight size={16} /></ActionIcon>
    </Group>
  );
}

/** Today (YYYY-MM-DD) on the user's calendar, not UTC's: what "overdue" and "the last 12 months" count from. */
export function useToday(): string {
  const f = useFormat();
  return localDateOf(new Date(), f.timeZone);
}
