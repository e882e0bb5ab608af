import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PortalCard } from '../../platform/contributions.contract.js';
import { api } from '../api/client.js';
import { ErrorState } from '../ui/states.js';
import { useContributionText } from './contribution-text.js';
import { FactValueText, statusColor } from './fact-card.js';
import { AMBER_TEXT } from '../theme.js';

/** A line's value, a link when the module gave one (call or write from a phone); an unknown value says why. */
function LineValue({ line }: { line: PortalCard['lines'][number] }) {
  const { t } = useTranslation();
  if (line.value.kind === 'unknown') return <Text span size="sm" c="dimmed" fs="italic">{t(line.value.reasonKey)}</Text>;
  if (!line.href) return <FactValueText value={line.value} />;
  return line.href.startsWith('/')
    ? <Anchor component={Link} to={line.href} size="sm" c="inherit" underline="always"><FactValueText value={line.value} /></Anchor>
    : <Anchor href={line.href} size="sm" c="inherit" underline="always"><FactValueText value={line.value} /></Anchor>;
}

/**
 * What the modules tell the dealer about its own company: warnings over its sites (first, as the
 * server orders them: they are what to act on), its account manager, what waits for it.
 */
export function PortalCards() {
  const { t, i18n } = useTranslation();
  const text = useContributionText();
  // The language is part of the key: the cards' texts from the stored warnings follow the reader's language.
  const cards = useQuery({ queryKey: ['portal-cards', i18n.language], queryFn: () => api<{ items: PortalCard[]; unavailable: string[] }>('/portal/cards') });
  if (cards.isError) return <ErrorState error={cards.error} onRetry={() => void cards.refetch()} />;
  if (!cards.data?.items.length) return null;
  return (
    <Stack gap="sm" mb="lg" data-testid="portal-cards">
      {cards.data.items.map((c) => (
        <Alert key={c.id} color={statusColor[c.status]} variant={c.status === 'act' ? 'filled' : 'light'} data-testid="portal-card" data-status={c.status} data-card={c.id}
          icon={c.status === 'act' || c.status === 'watch' ? <IconAlertTriangle size={20} /> : <IconInfoCircle size={20} />}
          title={text(c.titleKey, c.params)} styles={c.status === 'watch' ? { title: { color: AMBER_TEXT }, icon: { color: AMBER_TEXT } } : undefined}>
          <Stack gap={4}>
            {c.lines.map((l, i) => (
              <Text key={i} size="sm"><Text span fw={600}>{t(l.labelKey)}</Text> <LineValue line={l} /></Text>
            ))}
          </Stack>
        </Alert>
      ))}
    </Stack>
  );
}
