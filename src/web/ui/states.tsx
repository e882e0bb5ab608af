import { Alert, Button, Center, Loader, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconInbox } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemText } from './errors.js';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader size="sm" />
        <Text size="sm" c="dimmed">{label ?? t('common.loading')}</Text>
      </Stack>
    </Center>
  );
}

export function Empty({ title, children, icon }: { title: string; children?: ReactNode; icon?: ReactNode }) {
  return (
    <Center py="xl">
      <Stack align="center" gap={6} maw={360} ta="center">
        <ThemeIcon variant="light" color="gray" size={44} radius="xl">{icon ?? <IconInbox size={22} />}</ThemeIcon>
        <Text fw={600}>{title}</Text>
        {children && <Text size="sm" c="dimmed">{children}</Text>}
      </Stack>
    </Center>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const text = useProblemText();
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={t('errors.title')} role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{text(error)}</Text>
        {onRetry && <Button size="xs" variant="white" color="red" onClick={onRetry}>{t('common.retry')}</Button>}
      </Stack>
    </Alert>
  );
}
