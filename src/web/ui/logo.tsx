import { Group, Text } from '@mantine/core';

export function Logo({ inverted = false }: { inverted?: boolean }) {
  return (
    <Group gap={8} wrap="nowrap">
      <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="7" fill={inverted ? '#fff' : '#1c4e80'} />
        <path d="M9 8v16M9 16l9-8M12 14l8 10" stroke={inverted ? '#1c4e80' : '#fff'} strokeWidth="3" fill="none" strokeLinecap="round" />
      </svg>
      <Text fw={700} size="lg" c={inverted ? 'white' : 'brand.9'} style={{ letterSpacing: -0.3 }}>OpenKAM</Text>
    </Group>
  );
}
