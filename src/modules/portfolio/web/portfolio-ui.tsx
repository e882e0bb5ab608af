/** Small shared pieces of the 80/20 pages: the account cell, the tier badge pair, the analysis controls. */
import { Anchor, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { presets, useCategories, type Filters, type Preset } from './portfolio-api.js';

export function AccountCell({ id, name, code }: { id: string; name: string; code: string }) {
  return (
    <Stack gap={0} style={{ minWidth: 0 }}>
      <Anchor component={Link} to={`/accounts/${id}`} size="sm" fw={500} lineClamp={1} style={{ overflowWrap: 'anywhere' }}>{name}</Anchor>
      <Text size="xs" c="dimmed" className="ok-code">{code}</Text>
    </Stack>
  );
}

/** A category's label: translated when known, else the catalogue's own word. */
export function useCategoryLabel() {
  const { t } = useTranslation();
  return (c: string) => t(`portfolio.categories.${c}`, { defaultValue: c });
}

/** "Dec 2025 – Nov 2026" */
export function useWindowLabel() {
  const f = useFormat();
  return (w: { from: string; to: string }) => (w.from === w.to ? f.month(w.from) : `${f.month(w.from)} – ${f.month(w.to)}`);
}

export function FiltersBar({ filters, onChange }: { filters: Filters; onChange: (patch: Partial<Filters>) => void }) {
  const { t } = useTranslation();
  const categories = useCategories();
  const label = useCategoryLabel();
  const pct = (v: string | number, fallback: number) => { const n = Number(v); return Number.isFinite(n) && n >= 1 && n <= 99 ? n / 100 : fallback; };
  return (
    <Stack gap="xs" mb="md">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: filters.preset === 'custom' ? 7 : 5 }} spacing="sm" verticalSpacing="xs">
        <Select
          label={t('portfolio.filters.window')} value={filters.preset} allowDeselect={false} comboboxProps={{ withinPortal: true }}
          data={presets.map((p) => ({ value: p, label: t(`portfolio.presets.${p}`) }))}
          onChange={(v) => onChange({ preset: (v ?? 'r12') as Preset })}
        />
        {filters.preset === 'custom' && (
          <>
            <TextInput type="month" label={t('portfolio.filters.from')} value={filters.from ?? ''} onChange={(e) => onChange({ from: e.currentTarget.value || undefined })} />
            <TextInput type="month" label={t('portfolio.filters.to')} value={filters.to ?? ''} onChange={(e) => onChange({ to: e.currentTarget.value || undefined })} />
          </>
        )}
        <Stack gap={4}>
          <Text component="span" size="sm" fw={500} id="portfolio-basis-label">{t('portfolio.filters.basis')}</Text>
          <SegmentedControl
            aria-labelledby="portfolio-basis-label" fullWidth value={filters.basis}
            onChange={(v) => onChange({ basis: v === 'margin' ? 'margin' : 'revenue' })}
            data={[{ value: 'revenue', label: t('portfolio.basis.revenue') }, { value: 'margin', label: t('portfolio.basis.margin') }]}
          />
        </Stack>
        <Select
          label={t('portfolio.filters.category')} value={filters.category ?? ''} allowDeselect={false}
          data={[{ value: '', label: t('portfolio.filters.allCategories') }, ...(categories.data ?? []).map((c) => ({ value: c, label: label(c) }))]}
          onChange={(v) => onChange({ category: v || undefined })}
        />
        <NumberInput
          label={t('portfolio.filters.thresholdA')} value={Math.round(filters.thresholdA * 100)} min={1} max={99} suffix="%" clampBehavior="blur"
          onChange={(v) => onChange({ thresholdA: pct(v, filters.thresholdA) })}
        />
        <NumberInput
          label={t('portfolio.filters.thresholdB')} value={Math.round(filters.thresholdB * 100)} min={1} max={99} suffix="%" clampBehavior="blur"
          error={filters.thresholdB < filters.thresholdA ? t('portfolio.filters.thresholdOrder') : undefined}
          onChange={(v) => onChange({ thresholdB: pct(v, filters.thresholdB) })}
        />
      </SimpleGrid>
      {filters.preset === 'custom' && (!filters.from || !filters.to || filters.from > filters.to) && (
        <Group><Text size="xs" c="dimmed">{t('portfolio.filters.customHint')}</Text></Group>
      )}
    </Stack>
  );
}
