import { Alert, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PortalCard } from '../../platform/contributions.contract.js';
import { api } from '../api/client.js';
import { ErrorState } from '../ui/states.js';
import { useContributionText } from './contribution-text.js';
import { FactValueText, statusColor } from './fact-card.js';

/** What the modules tell the dealer about its own company: warnings over its sites, its contacts, what waits for it. */
export function PortalCards() {
  const { t } = useTranslation();
  const text = useContributionText();
  const cards = useQuery({ queryKey: ['portal-cards'], queryFn: () => api<{ items: PortalCard[]; unavailable: string[] }>('/portal/cards') });
  if (cards.isError) return <ErrorState error={cards.error} onRetry={() => void cards.refetch()} />;
  if (!cards.data?.items.length) return null;
  return (
    <Stack gap="sm" mb="lg" data-testid="portal-cards">
      {cards.data.items.map((c) => (
        <Alert key={c.id} color={statusColor[c.status]} variant={c.status === 'act' ? 'filled' : 'light'} data-testid="portal-card" data-status={c.status}
          icon={c.status === 'act' || c.status === 'watch' ? <IconAlertTriangle size={20} /> : <IconInfoCircle size={20} />}
          title={text(c.titleKey, c.params)}>
          <Stack gap={2}>
            {c.lines.map((l, i) => (
              <Text key={i} size="sm"><Text span fw={600}>{t(l.labelKey)}</Text> <FactValueText value={l.value} /></Text>
            ))}
          </Stack>
        </Alert>
      ))}
    </Stack>
  );
}
