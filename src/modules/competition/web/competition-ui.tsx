/** Small shared pieces of the competition pages. */
import { Badge, Group, Text } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isEnglish } from '../../../web/names.js';

/** A product's name in the reader's language. */
export function useProductName() {
  const { i18n } = useTranslation();
  return useCallback((p: { nameEn?: string; nameZh?: string; productNameEn?: string; productNameZh?: string }) =>
    (isEnglish(i18n.language) ? p.nameEn ?? p.productNameEn : p.nameZh ?? p.productNameZh) ?? '', [i18n.language]);
}

/** A product's unit (stored in English: t, bag, roll) in the reader's language; an unknown one as stored. */
export function useUnitLabel() {
  const { t } = useTranslation();
  return useCallback((unit: string | null | undefined) => (unit ? t(`competition.productUnit.${unit}`, { defaultValue: unit }) : '—'), [t]);
}

/** A service kind's name in the reader's language. */
export function useServiceName() {
  const { i18n } = useTranslation();
  return useCallback((s: { name: string; nameEn: string }) => (isEnglish(i18n.language) ? s.nameEn : s.name), [i18n.language]);
}

const recColor = { hold: 'gray', match: 'blue', value: 'teal', decline: 'red' } as const;
export function RecommendationBadge({ rec }: { rec: keyof typeof recColor }) {
  const { t } = useTranslation();
  return <Badge color={recColor[rec]} variant="light" size="lg" data-testid="recommendation">{t(`competition.recommendation.${rec}`)}</Badge>;
}

/** One line of figures: a label and its value, the value right-aligned on the same line. */
export function Line({ label, value, strong, testId }: { label: string; value: string; strong?: boolean; testId?: string }) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start" data-testid={testId}>
      <Text size="sm" c={strong ? undefined : 'dimmed'} fw={strong ? 600 : 400} style={{ minWidth: 0 }}>{label}</Text>
      <Text size="sm" fw={strong ? 700 : 500} className="ok-stat" style={{ whiteSpace: 'nowrap' }}>{value}</Text>
    </Group>
  );
}
