import { ActionIcon, Alert, Button, Card, CopyButton, Group, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconCalendarShare, IconCheck, IconCopy, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api/client.js';
import { ScrollX, useNotify } from './notify.js';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import { type CreatedFeed, useFeeds } from './use-visits.js';
import { useVisitFormat } from './visits-format.js';

/** Secret iCalendar feed URLs of the user's plan and visits: created (the URL shown once), listed, revoked. */
export function CalendarFeedsCard() {
  const { t } = useTranslation();
  const f = useVisitFormat();
  const notify = useNotify();
  const qc = useQueryClient();
  const feeds = useFeeds();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedFeed | null>(null);
  const create = useMutation({
    mutationFn: (n: string) => api<CreatedFeed>('/calendar/feeds', { method: 'POST', body: { name: n } }),
    onSuccess: (feed) => { setCreated(feed); setName(''); void qc.invalidateQueries({ queryKey: ['visits', 'feeds'] }); },
    onError: (err) => notify.fail(err),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/calendar/feeds/${id}`, { method: 'DELETE' }),
    onSuccess: (_, id) => { if (created?.id === id) setCreated(null); notify.ok(t('visits.feeds.revoked')); },
    onError: (err) => notify.fail(err),
    onSettled: () => { void qc.invalidateQueries({ queryKey: ['visits', 'feeds'] }); },
  });
  const submit = (e: FormEvent) => { e.preventDefault(); create.mutate(name.trim() || t('visits.feeds.defaultName')); };
  const active = (feeds.data?.items ?? []).filter((x) => !x.revokedAt);
  const url = created?.url ?? '';
  return (
    <Card>
      <Group gap="xs" mb={4}><IconCalendarShare size={20} aria-hidden="true" /><Title order={2} size="h4">{t('visits.feeds.title')}</Title></Group>
      <Text size="sm" c="dimmed" mb="md">{t('visits.feeds.intro')}</Text>
      <Stack>
        <form onSubmit={submit}>
          <Group align="flex-end" gap="xs">
            <TextInput style={{ flex: '1 1 200px' }} label={t('visits.feeds.name')} placeholder={t('visits.feeds.defaultName')} maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Button type="submit" loading={create.isPending}>{t('visits.feeds.create')}</Button>
          </Group>
        </form>
        {created && (
          <Alert color="teal" variant="light" title={t('visits.feeds.createdTitle')} withCloseButton closeButtonLabel={t('common.done')} onClose={() => setCreated(null)}>
            <Stack gap="xs">
              <Text size="sm">{t('visits.feeds.shownOnce')}</Text>
              <Group gap="xs" wrap="nowrap">
                <TextInput readOnly value={url} aria-label={t('visits.feeds.url')} style={{ flex: 1, minWidth: 0 }} data-testid="feed-url" onFocus={(e) => e.currentTarget.select()} />
                <CopyButton value={url}>
                  {({ copied, copy }) => (
                    <Button onClick={copy} color={copied ? 'teal' : undefined} leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}>{copied ? t('common.copied') : t('common.copy')}</Button>
                  )}
                </CopyButton>
              </Group>
            </Stack>
          </Alert>
        )}
        {feeds.isPending ? <Loading /> : feeds.isError ? <ErrorState error={feeds.error} onRetry={() => void feeds.refetch()} /> : active.length === 0 ? (
          <Text size="sm" c="dimmed">{t('visits.feeds.empty')}</Text>
        ) : (
          <ScrollX label={t('visits.feeds.title')} minWidth={420}>
            <Table verticalSpacing="xs">
              <Table.Thead><Table.Tr><Table.Th>{t('visits.feeds.name')}</Table.Th><Table.Th>{t('visits.feeds.created')}</Table.Th><Table.Th>{t('visits.feeds.lastUsed')}</Table.Th><Table.Th><span className="visually-hidden">{t('common.actions')}</span></Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {active.map((x) => (
                  <Table.Tr key={x.id}>
                    <Table.Td><Text size="sm">{x.name}</Text></Table.Td>
                    <Table.Td><Text size="sm">{f.dateTime(x.createdAt)}</Text></Table.Td>
                    <Table.Td><Text size="sm">{x.lastUsedAt ? f.relative(x.lastUsedAt) : t('visits.feeds.never')}</Text></Table.Td>
                    <Table.Td>
                      <Tooltip label={t('visits.feeds.revoke')}>
                        <ActionIcon variant="subtle" color="red" aria-label={t('visits.feeds.revokeNamed', { name: x.name })} loading={revoke.isPending && revoke.variables === x.id} onClick={() => revoke.mutate(x.id)}><IconTrash size={16} /></ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollX>
        )}
      </Stack>
    </Card>
  );
}
