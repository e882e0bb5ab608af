/** The tier table: thresholds (half-open bands) and rates, edited in major units and percent, sent in minor units. */
import { ActionIcon, Button, Group, NumberInput, Stack, Table, Text } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

export type TierRow = { from: number; ratePercent: number };

/** Thresholds are typed in major units (¥) for value terms and units for quantity terms. */
export function TierTable({ tiers, onChange, quantity }: { tiers: TierRow[]; onChange: (t: TierRow[]) => void; quantity: boolean }) {
  const { t } = useTranslation();
  const scale = quantity ? 1 : 100;
  const set = (i: number, patch: Partial<TierRow>) => onChange(tiers.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">{t('rebates.tiersHint')}</Text>
      <Table>
        <Table.Thead><Table.Tr><Table.Th>{t('rebates.col.from')}</Table.Th><Table.Th>{t('rebates.col.to')}</Table.Th><Table.Th>{quantity ? t('rebates.col.perUnit') : t('rebates.col.rate')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {tiers.map((row, i) => (
            <Table.Tr key={i}>
              <Table.Td><NumberInput aria-label={`${t('rebates.col.from')} ${i + 1}`} min={0} decimalScale={quantity ? 0 : 2} thousandSeparator="," value={row.from / scale} onChange={(v) => set(i, { from: Math.round(Number(v || 0) * scale) })} /></Table.Td>
              <Table.Td><Text size="sm">{i + 1 < tiers.length ? (tiers[i + 1]!.from / scale).toLocaleString() : '∞'}</Text></Table.Td>
              <Table.Td><NumberInput aria-label={`${t('rebates.col.rate')} ${i + 1}`} min={0} decimalScale={4} value={row.ratePercent} onChange={(v) => set(i, { ratePercent: Number(v || 0) })} /></Table.Td>
              <Table.Td>{tiers.length > 1 && <ActionIcon variant="subtle" color="red" aria-label={t('rebates.removeTier')} onClick={() => onChange(tiers.filter((_, j) => j !== i))}><IconTrash size={16} /></ActionIcon>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group><Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => onChange([...tiers, { from: (tiers[tiers.length - 1]?.from ?? 0) + 100_000 * scale, ratePercent: (tiers[tiers.length - 1]?.ratePercent ?? 0) + 1 }])}>{t('rebates.addTier')}</Button></Group>
    </Stack>
  );
}
