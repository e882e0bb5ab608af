import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const tierColor = { A: 'grape', B: 'blue', C: 'gray' } as const;
const statusColor = { prospect: 'indigo', active: 'teal', dormant: 'red', closed: 'gray' } as const;

export function TierBadge({ tier, size = 'sm' }: { tier: 'A' | 'B' | 'C' | null; size?: 'xs' | 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  if (!tier) return null;
  return <Badge color={tierColor[tier]} variant="filled" size={size} radius="sm" title={t(`tiers.${tier}`)}>{t('accounts.tierShort', { tier })}</Badge>;
}

export function StatusBadge({ status }: { status: 'prospect' | 'active' | 'dormant' | 'closed' }) {
  const { t } = useTranslation();
  return <Badge color={statusColor[status]} variant="light" size="sm" radius="sm">{t(`statuses.${status}`)}</Badge>;
}
