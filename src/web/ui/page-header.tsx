import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function PageHeader({ title, subtitle, actions, badge }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; badge?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" mb="lg" gap="sm">
      <Stack gap={2} style={{ minWidth: 0, flex: '1 1 260px' }}>
        {/* Badges wrap under a long title (a phone) instead of being squeezed beside it. */}
        <Group gap="sm" wrap="wrap" align="center" style={{ rowGap: 4 }}>
          <Title order={1} size="h2" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>{title}</Title>
          {badge && <span style={{ flexShrink: 0, display: 'inline-flex' }}>{badge}</span>}
        </Group>
        {subtitle && <Text c="dimmed" size="sm">{subtitle}</Text>}
      </Stack>
      {actions && <Group gap="xs">{actions}</Group>}
    </Group>
  );
}
