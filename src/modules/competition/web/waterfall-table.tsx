/** The waterfall's figures as a table: every step, total and per unit, with how it was worked out. */
import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useContributionText } from '../../../web/contributions/contribution-text.js';
import { useFormat } from '../../../web/format.js';
import type { Waterfall } from './competition-api.js';
import { useUnitLabel } from './competition-ui.js';

export function WaterfallTable({ w }: { w: Waterfall }) {
  const { t } = useTranslation();
  const f = useFormat();
  const text = useContributionText();
  const unit = useUnitLabel()(w.productUnit);
  const m = (v: number | null) => (v === null ? '—' : f.money(v, w.currency));
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table fz="sm" verticalSpacing={4} data-testid="waterfall-table">
        <Table.Thead>
          <Table.Tr><Table.Th>{t('competition.waterfall.step')}</Table.Th><Table.Th ta="right">{t('competition.waterfall.perUnit', { unit })}</Table.Th><Table.Th ta="right">{t('competition.waterfall.total', { qty: f.number(w.quantity), unit })}</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {w.rows.map((r) => r.state === 'known' ? (
            <Table.Tr key={r.id}>
              <Table.Td>
                <Text size="sm">{text(r.labelKey, r.params)}</Text>
                {r.basisKey && <Text size="xs" c="dimmed">{text(r.basisKey, { ...(r.basisParams ?? {}) })}</Text>}
              </Table.Td>
              <Table.Td ta="right" className="ok-stat">{m(r.perUnitMinor)}</Table.Td>
              <Table.Td ta="right" className="ok-stat">{m(r.amountMinor)}</Table.Td>
            </Table.Tr>
          ) : (
            <Table.Tr key={r.id} data-testid={`missing-${r.kind}`}>
              <Table.Td><Text size="sm">{t(`competition.kind.${r.kind}`)}</Text></Table.Td>
              <Table.Td ta="right" colSpan={2}><Text size="xs" c="dimmed">{t(r.reasonKey)}</Text></Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Td><Text size="sm" fw={700}>{t('competition.waterfall.pocket')}</Text></Table.Td>
            <Table.Td ta="right" fw={700} className="ok-stat" data-testid="pocket-per-unit">{m(w.pocketPerUnitMinor)}</Table.Td>
            <Table.Td ta="right" fw={700} className="ok-stat">{m(w.pocketMinor)}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">{t(w.quantityBasis === 'sold' ? 'competition.waterfall.basisSold' : 'competition.waterfall.basisOne', { from: f.date(`${w.from}T00:00:00+08:00`), to: f.date(`${w.to}T00:00:00+08:00`) })}</Text>
    </Table.ScrollContainer>
  );
}
