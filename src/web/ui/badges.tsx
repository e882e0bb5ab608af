import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const tierColor = { A: 'grape', B: 'blue', C: 'gray' } as const;
const statusColor = { prospect: 'indigo', active: 'teal', dormant: 'red', closed: 'gray' } as const;
type Size = 'xs' | 'sm' | 'md' | 'lg';

/**
 * An account's tier. `short` ("A", in Chinese "A 级") fits a table column; `long` ("Tier A") is for a
 * badge that stands alone, as in a page header, where a lone letter reads as a coloured square.
 */
export function TierBadge({ tier, size = 'sm', label = 'short' }: { tier: 'A' | 'B' | 'C' | null; size?: Size; label?: 'short' | 'long' }) {
  const { t } = useTranslation();
  if (!tier) return null;
  return (
    <Badge color={tierColor[tier]} variant="filled" size={size} radius="sm" title={t(`tiers.${tier}`)} tt={label === 'long' ? 'none' : undefined} style={{ flexShrink: 0, maxWidth: 'none' }}>
      {t(label === 'long' ? 'accounts.tierLong' : 'accounts.tierShort', { tier })}
    </Badge>
  );
}

export function StatusBadge({ status, size = 'sm' }: { status: 'prospect' | 'active' | 'dormant' | 'closed'; size?: Size }) {
  const { t } = useTranslation();
  return <Badge color={statusColor[status]} variant="light" size={size} radius="sm" style={{ flexShrink: 0, maxWidth: 'none' }}>{t(`statuses.${status}`)}</Badge>;
}
