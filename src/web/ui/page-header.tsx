import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function PageHeader({ title, subtitle, actions, badge }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; badge?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" mb="lg" gap="sm" data-testid="page-header">
      <Stack gap={2} style={{ minWidth: 0, flex: '1 1 260px' }}>
        {/* Badges wrap under a long title (a phone) instead of being squeezed beside it, and wrap among themselves: never cut. */}
        <Group gap="sm" wrap="wrap" align="center" style={{ rowGap: 4, minWidth: 0 }}>
          <Title order={1} size="h2" style={{ minWidth: 0, maxWidth: '100%', overflowWrap: 'anywhere' }}>{title}</Title>
          {badge && <span data-testid="page-header-badges" style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 6, maxWidth: '100%' }}>{badge}</span>}
        </Group>
        {subtitle && <Text c="dimmed" size="sm" style={{ overflowWrap: 'anywhere' }}>{subtitle}</Text>}
      </Stack>
      {actions && <Group gap="xs">{actions}</Group>}
    </Group>
  );
}
