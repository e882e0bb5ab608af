import { Card, Group, SimpleGrid, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AccountFact, AgendaFigure, FactStatus, FactValue } from '../../platform/contributions.contract.js';
import { useFormat } from '../format.js';
import { TierBadge } from '../ui/badges.js';
import { useContributionText } from './contribution-text.js';

export const statusColor: Record<FactStatus, string> = { ok: 'teal', watch: 'orange', act: 'red', info: 'gray' };

/** A figure as its kind says: money, count, share, date, tier and rank; unknown is a dash with its reason, never zero. */
export function FactValueText({ value }: { value: FactValue }) {
  const f = useFormat();
  const { t } = useTranslation();
  const text = useContributionText();
  switch (value.kind) {
    case 'money': return <>{f.money(value.amountMinor, value.currency, Math.abs(value.amountMinor) >= 10_000_000)}</>;
    case 'count': return <>{f.number(value.value)}</>;
    case 'percent': return <>{t('facts.percent', { value: f.number(value.value) })}</>;
    case 'date': return <span title={f.dateTime(value.at)}>{value.at.length > 10 ? f.dateTime(value.at) : f.date(value.at)}</span>;
    case 'tier': return (
      <Group gap={8} wrap="wrap" component="span" style={{ rowGap: 2 }}>
        {value.tier ? <TierBadge tier={value.tier} size="lg" label="long" /> : <span>—</span>}
        {value.rank !== null && <Text span size="sm" c="dimmed">{t('facts.rankOf', { rank: f.number(value.rank), of: f.number(value.of ?? 0) })}</Text>}
      </Group>
    );
    case 'text': return <>{text(value.key, value.params)}</>;
    case 'unknown': return <Text span c="dimmed" title={t(value.reasonKey)}>—</Text>;
  }
}

/**
 * One figure as a card: label, value, note, its status as a coloured edge; a link or an account tab
 * when it has one. `lines`: how many lines the label may take (the note one more).
 */
export function FactCard({ fact, onTab, lines = 1 }: { fact: AgendaFigure; onTab?: (tab: string) => void; lines?: number }) {
  const { t } = useTranslation();
  const text = useContributionText();
  const note = fact.value.kind === 'unknown' ? t(fact.value.reasonKey) : fact.noteKey ? text(fact.noteKey, fact.noteParams) : null;
  const body = (
    <Card padding="sm" h="100%" className="ok-fact" data-status={fact.status} data-testid={`fact-${fact.id}`}
      style={{ borderInlineStart: `4px solid var(--mantine-color-${statusColor[fact.status]}-${fact.status === 'info' ? 3 : 6})` }}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" lineClamp={lines}>{t(fact.labelKey)}</Text>
      <Text component="div" fw={700} fz="lg" mt={2} className="ok-stat"><FactValueText value={fact.value} /></Text>
      {note && <Text size="xs" c={fact.status === 'act' ? 'red.8' : 'dimmed'} lineClamp={lines + 1}>{note}</Text>}
      <span className="visually-hidden">{t(`facts.status.${fact.status}`)}</span>
    </Card>
  );
  if (fact.link?.to) return <UnstyledButton component={Link} to={fact.link.to} h="100%">{body}</UnstyledButton>;
  if (fact.link?.tab && onTab) return <UnstyledButton onClick={() => onTab(fact.link!.tab!)} h="100%">{body}</UnstyledButton>;
  return body;
}

/** The account header's figures, from every module the reader may read, in the modules' order. */
export function FactGrid({ facts, onTab }: { facts: AccountFact[]; onTab: (tab: string) => void }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 4, xl: 6 }} spacing="sm" mb="lg" data-testid="account-facts">
      {facts.map((fact) => <FactCard key={fact.id} fact={fact} onTab={onTab} />)}
    </SimpleGrid>
  );
}
