/** A settlement's credit note, printable (a print stylesheet hides the app's frame), in the reader's language; XLSX alongside. */
import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconDownload, IconPrinter } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useFormat } from '../../../web/format.js';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import { useSettlement } from './rebates-api.js';

// Printing shows the credit note alone: the navigation, header and buttons of the app are hidden.
const printCss = `@media print {
  body * { visibility: hidden !important; }
  .rebate-credit-note, .rebate-credit-note * { visibility: visible !important; }
  .rebate-credit-note { position: absolute; left: 0; top: 0; width: 100%; padding: 0 12mm; }
  .rebate-no-print { display: none !important; }
  @page { size: A4; margin: 15mm; }
}`;

export function CreditNotePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const q = useSettlement(id);
  if (q.isLoading) return <Loading />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const s = q.data!;
  const lastDay = new Date(Date.parse(`${s.cutoff}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const basis = (v: number) => (s.basisKind === 'quantity' ? f.number(v) : f.money(v, s.currency));
  return (
    <Stack className="rebate-credit-note" maw={860}>
      <style>{printCss}</style>
      <Group justify="space-between" className="rebate-no-print">
        <Anchor component={Link} to={`/rebates/${s.agreementId}`}>{s.agreementNumber}</Anchor>
        <Group>
          <Button variant="light" leftSection={<IconDownload size={16} />} component="a" href={`/api/v1/rebate-settlements/${s.id}/credit-note.xlsx`}>{t('rebates.xlsx')}</Button>
          <Button leftSection={<IconPrinter size={16} />} onClick={() => window.print()}>{t('rebates.print')}</Button>
        </Group>
      </Group>
      <Title order={2} data-testid="credit-note-number">{t('rebates.creditNote')} {s.number}</Title>
      <Text>{s.agreementNumber} {s.agreementName} · {t(`rebates.settlementKind.${s.kind}`)} · {t('rebates.col.cutoff')} {f.monthDay(lastDay)} · {t('rebates.issued', { date: f.date(s.createdAt) })}</Text>
      {s.status === 'reversed' && <Text c="red.8" fw={600}>{t('rebates.reversed', { reason: s.reversalReason })}</Text>}
      <Table withTableBorder>
        <Table.Tbody>
          <Table.Tr><Table.Td>{t('rebates.col.basis')}</Table.Td><Table.Td ta="right">{basis(s.basis)}</Table.Td></Table.Tr>
          <Table.Tr><Table.Td>{t('rebates.col.earned')}</Table.Td><Table.Td ta="right">{f.money(s.earnedToDateMinor, s.currency)}</Table.Td></Table.Tr>
          <Table.Tr><Table.Td>{t('rebates.col.paid')}</Table.Td><Table.Td ta="right">− {f.money(s.alreadyPaidMinor, s.currency)}</Table.Td></Table.Tr>
          <Table.Tr fw={700}><Table.Td>{t('rebates.col.amount')}</Table.Td><Table.Td ta="right" data-testid="credit-note-amount">{f.money(s.amountMinor, s.currency)}</Table.Td></Table.Tr>
        </Table.Tbody>
      </Table>
      <Table.ScrollContainer minWidth={420}>
        <Table withTableBorder striped>
          <Table.Thead><Table.Tr><Table.Th>{t('rebates.col.line')}</Table.Th><Table.Th>{t('rebates.col.account')}</Table.Th><Table.Th ta="right">{t('rebates.col.basis')}</Table.Th><Table.Th ta="right">{t('rebates.col.amount')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {s.lines.map((l) => (
              <Table.Tr key={l.lineNo}><Table.Td>{l.lineNo}</Table.Td><Table.Td>{l.accountCode} {l.accountName}</Table.Td><Table.Td ta="right">{basis(l.basis)}</Table.Td><Table.Td ta="right">{f.money(l.amountMinor, s.currency)}</Table.Td></Table.Tr>
            ))}
            <Table.Tr fw={700}><Table.Td colSpan={3}>{t('rebates.total')}</Table.Td><Table.Td ta="right">{f.money(s.lines.reduce((a, l) => a + l.amountMinor, 0), s.currency)}</Table.Td></Table.Tr>
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed">{t('rebates.rounding')}</Text>
    </Stack>
  );
}
