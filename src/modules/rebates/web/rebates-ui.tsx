/** Small pieces the rebates pages share: status badge, amounts, the next-tier sentence. */
import { Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const color = status === 'active' ? 'teal' : status === 'pending_approval' ? 'orange' : status === 'reversed' ? 'red' : 'gray';
  return <Badge color={color} variant="light">{t(`rebates.status.${status}`, { defaultValue: status })}</Badge>;
}

/** A basis: money in minor units, or a quantity. */
export function useBasis() {
  const f = useFormat();
  return (v: number, kind: 'value' | 'quantity', currency: string) => (kind === 'quantity' ? f.number(v) : f.money(v, currency));
}

export function NextTierLine({ next, basisKind, currency, periodEnd }: {
  next: { moreNeeded: number; ratePercent: number; rebateAtTierMinor: number } | null; basisKind: 'value' | 'quantity'; currency: string; periodEnd: string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const lastDay = new Date(Date.parse(`${periodEnd}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  if (!next) return <Text size="sm" fw={600} data-testid="next-tier">{t('rebates.topTier')}</Text>;
  return (
    <Text size="sm" fw={500} data-testid="next-tier">
      {basisKind === 'quantity'
        ? t('rebates.nextTierQuantity', { moreText: f.number(next.moreNeeded), date: f.monthDay(lastDay), rate: next.ratePercent, worth: f.money(next.rebateAtTierMinor, currency) })
        : t('rebates.nextTier', { more: f.money(next.moreNeeded, currency), date: f.monthDay(lastDay), rate: next.ratePercent, worth: f.money(next.rebateAtTierMinor, currency) })}
    </Text>
  );
}

/** A period [start, end) as its first and last day, with the year. */
export function usePeriod() {
  const f = useFormat();
  return (start: string, end: string) => `${f.date(`${start}T12:00:00Z`)} – ${f.date(new Date(Date.parse(`${end}T12:00:00Z`) - 86_400_000).toISOString())}`;
}
