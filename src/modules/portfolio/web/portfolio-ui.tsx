/** Small shared pieces of the 80/20 pages: the account cell, the tier badge pair, the analysis controls. */
import { Anchor, Button, Group, NumberInput, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { useNames } from '../../../web/names.js';
import { presets, useCategories, type Filters, type Preset } from './portfolio-api.js';

/** An account in a table: its name by the one rule (web/names.ts), and under it the code and, in English and where there is room, the stored name. */
export function AccountCell({ id, name, nameEn = null, code }: { id: string; name: string; nameEn?: string | null; code: string }) {
  const n = useNames();
  const other = n.secondary({ name, nameEn });
  return (
    <Stack gap={0} style={{ minWidth: 0 }}>
      <Anchor component={Link} to={`/accounts/${id}`} size="sm" fw={500} lineClamp={other ? 2 : 1} style={{ overflowWrap: 'anywhere' }}>{n.primary({ name, nameEn })}</Anchor>
      <Text size="xs" c="dimmed" lineClamp={1}><span className="ok-code">{code}</span>{other && <Text span inherit visibleFrom="sm" lang="zh-CN"> · {other}</Text>}</Text>
    </Stack>
  );
}

/** A category's label: translated when known, else the catalogue's own word. */
export function useCategoryLabel() {
  const { t } = useTranslation();
  return (c: string) => t(`portfolio.categories.${c}`, { defaultValue: c });
}

/** "Dec 2025 – Nov 2026" (the year in full: "Jan 26" reads as a day). */
export function useWindowLabel() {
  const f = useFormat();
  const fmt = useMemo(() => new Intl.DateTimeFormat(f.locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }), [f.locale]);
  const month = (ym: string) => fmt.format(new Date(`${ym}-01T00:00:00Z`));
  return (w: { from: string; to: string }) => (w.from === w.to ? month(w.from) : `${month(w.from)} – ${month(w.to)}`);
}

/**
 * Previous / next under a table, with "26–50 of 130": the page stays one page long however many
 * rows there are.
 */
export function Pager({ from, count, total, hasPrevious, hasNext, onPrevious, onNext, loading, testId }: {
  from: number; count: number; total: number; hasPrevious: boolean; hasNext: boolean; onPrevious: () => void; onNext: () => void; loading?: boolean; testId?: string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!hasPrevious && !hasNext) return null;
  return (
    <Group justify="space-between" mt="sm" gap="xs" wrap="nowrap" data-testid={testId}>
      <Button variant="default" size="xs" leftSection={<IconChevronLeft size={14} />} disabled={!hasPrevious || loading} onClick={onPrevious}>{t('portfolio.pager.previous')}</Button>
      <Text size="sm" c="dimmed" className="ok-stat" ta="center" aria-live="polite" data-testid={testId ? `${testId}-range` : undefined}>
        {t('portfolio.pager.range', { from: f.number(from), to: f.number(from + count - 1), total: f.number(total) })}
      </Text>
      <Button variant="default" size="xs" rightSection={<IconChevronRight size={14} />} disabled={!hasNext || loading} loading={loading && hasNext} onClick={onNext}>{t('portfolio.pager.next')}</Button>
    </Group>
  );
}

/** A page of rows already loaded (the analysis came whole), for `Pager`. Back to the first page when the rows change. */
export function useClientPage<T>(rows: T[], size: number) {
  const [page, setPage] = useState(0);
  useEffect(() => setPage(0), [rows]);
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const p = Math.min(page, pages - 1);
  return {
    rows: rows.slice(p * size, (p + 1) * size),
    pager: { from: p * size + 1, count: Math.min(size, rows.length - p * size), total: rows.length, hasPrevious: p > 0, hasNext: p < pages - 1, onPrevious: () => setPage(p - 1), onNext: () => setPage(p + 1) },
  };
}

export function FiltersBar({ filters, onChange }: { filters: Filters; onChange: (patch: Partial<Filters>) => void }) {
  const { t } = useTranslation();
  const categories = useCategories();
  const label = useCategoryLabel();
  const item = { flex: '1 1 150px', minWidth: 0 };
  const pct = (v: string | number, fallback: number) => { const n = Number(v); return Number.isFinite(n) && n >= 1 && n <= 99 ? n / 100 : fallback; };
  return (
    <Stack gap="xs" mb="md">
      {/* Controls wrap by their own width: two a row on a phone, where "Gross margin" gets a row to itself. */}
      <Group gap="sm" align="flex-start" wrap="wrap" style={{ rowGap: 'var(--mantine-spacing-xs)' }}>
        <Select
          style={item} label={t('portfolio.filters.window')} value={filters.preset} allowDeselect={false} comboboxProps={{ withinPortal: true }}
          data={presets.map((p) => ({ value: p, label: t(`portfolio.presets.${p}`) }))}
          onChange={(v) => onChange({ preset: (v ?? 'r12') as Preset })}
        />
        {filters.preset === 'custom' && (
          <>
            <TextInput style={item} type="month" label={t('portfolio.filters.from')} value={filters.from ?? ''} onChange={(e) => onChange({ from: e.currentTarget.value || undefined })} />
            <TextInput style={item} type="month" label={t('portfolio.filters.to')} value={filters.to ?? ''} onChange={(e) => onChange({ to: e.currentTarget.value || undefined })} />
          </>
        )}
        <Stack gap={4} style={{ flex: '1 1 230px' }}>
          <Text component="span" size="sm" fw={500} id="portfolio-basis-label">{t('portfolio.filters.basis')}</Text>
          <SegmentedControl
            aria-labelledby="portfolio-basis-label" fullWidth value={filters.basis}
            onChange={(v) => onChange({ basis: v === 'margin' ? 'margin' : 'revenue' })}
            data={[{ value: 'revenue', label: t('portfolio.basis.revenue') }, { value: 'margin', label: t('portfolio.basis.margin') }]}
          />
        </Stack>
        <Select
          style={item} label={t('portfolio.filters.category')} value={filters.category ?? ''} allowDeselect={false}
          data={[{ value: '', label: t('portfolio.filters.allCategories') }, ...(categories.data ?? []).map((c) => ({ value: c, label: label(c) }))]}
          onChange={(v) => onChange({ category: v || undefined })}
        />
        <NumberInput
          style={item} label={t('portfolio.filters.thresholdA')} value={Math.round(filters.thresholdA * 100)} min={1} max={99} suffix="%" clampBehavior="blur"
          onChange={(v) => onChange({ thresholdA: pct(v, filters.thresholdA) })}
        />
        <NumberInput
          style={item} label={t('portfolio.filters.thresholdB')} value={Math.round(filters.thresholdB * 100)} min={1} max={99} suffix="%" clampBehavior="blur"
          error={filters.thresholdB < filters.thresholdA ? t('portfolio.filters.thresholdOrder') : undefined}
          onChange={(v) => onChange({ thresholdB: pct(v, filters.thresholdB) })}
        />
      </Group>
      {filters.preset === 'custom' && (!filters.from || !filters.to || filters.from > filters.to) && (
        <Group><Text size="xs" c="dimmed">{t('portfolio.filters.customHint')}</Text></Group>
      )}
    </Stack>
  );
}
