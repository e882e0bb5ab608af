import { Alert, Button, Center, Group, Loader, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconInbox } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isNotFound, isRetryable, useProblemText } from './errors.js';

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

/**
 * A failed load. "Try again" only where trying again can help (network, server); a record that is
 * not there offers the way home instead, and a refusal offers nothing.
 */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const text = useProblemText();
  const missing = isNotFound(error);
  return (
    <Alert color={missing ? 'gray' : 'red'} variant="light" icon={<IconAlertTriangle size={18} />} title={t(missing ? 'errors.notFoundTitle' : 'errors.title')} role="alert" data-testid="error-state">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{text(error)}</Text>
        <Group gap="xs">
          {onRetry && isRetryable(error) && <Button size="xs" variant="white" color="red" onClick={onRetry}>{t('common.retry')}</Button>}
          {missing && <Button size="xs" variant="white" color="gray" component={Link} to="/">{t('notFound.home')}</Button>}
        </Group>
      </Stack>
    </Alert>
  );
}
