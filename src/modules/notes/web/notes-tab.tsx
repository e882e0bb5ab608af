import { ActionIcon, Badge, Button, Card, Group, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPin, IconPinnedOff, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Note } from '../notes.contract.js';
import { api, etagOf } from '../../../web/api/client.js';
import { usePaged, useStaff } from '../../../web/api/queries.js';
import { useFormat } from '../../../web/format.js';
import { ConfirmDelete } from '../../../web/forms/kit.js';
import { capabilities, useSession } from '../../../web/session.js';
import { useProblemText } from '../../../web/ui/errors.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';

function invalidate(qc: ReturnType<typeof useQueryClient>) {
  for (const key of ['notes', 'account-timeline', 'account-audit']) void qc.invalidateQueries({ queryKey: [key] });
}

/** Internal notes on the account: write one, pin what everyone should read first; staff only. */
export function NotesTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { me } = useSession();
  const canWrite = capabilities(me?.role).activityWrite;
  const qc = useQueryClient();
  const staff = useStaff();
  const problemText = useProblemText();
  const [draft, setDraft] = useState('');
  const [deleting, setDeleting] = useState<Note | null>(null);
  const notes = usePaged<Note>('notes', '/notes', { accountId, limit: 50 });
  const add = useMutation({
    mutationFn: () => api<Note>('/notes', { method: 'POST', body: { accountId, body: draft } }),
    onSuccess: () => { setDraft(''); invalidate(qc); notifications.show({ color: 'teal', message: t('notes.saved') }); },
    onError: (err) => notifications.show({ color: 'red', message: problemText(err) }),
  });
  const pin = useMutation({
    mutationFn: (n: Note) => api<Note>(`/notes/${n.id}`, { method: 'PATCH', headers: { 'if-match': etagOf(n) }, body: { pinned: !n.pinned } }),
    onSuccess: () => invalidate(qc),
    onError: (err) => notifications.show({ color: 'red', message: problemText(err) }),
  });
  const mayModify = (n: Note) => canWrite && (n.authorId === me?.id || me?.role === 'director' || me?.role === 'admin');
  const nameOf = (id: string) => staff.data?.items.find((u) => u.id === id)?.name ?? '—';
  if (notes.isPending) return <Loading />;
  if (notes.isError) return <ErrorState error={notes.error} onRetry={() => void notes.refetch()} />;
  const rows = notes.data.pages.flatMap((p) => p.items).sort((a, b) => Number(b.pinned) - Number(a.pinned));
  return (
    <Card>
      {canWrite && (
        <Stack gap="xs" mb="md">
          <Textarea label={t('notes.write')} description={t('notes.internal')} autosize minRows={2} maxRows={8} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} maxLength={20_000} />
          <Group justify="flex-end"><Button size="sm" disabled={!draft.trim()} loading={add.isPending} onClick={() => add.mutate()}>{t('notes.add')}</Button></Group>
        </Stack>
      )}
      {rows.length === 0 ? <Empty title={t('notes.empty')} /> : (
        <Stack gap="sm">
          {rows.map((n) => (
            <Card key={n.id} withBorder padding="sm" data-testid="note">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Text size="xs" c="dimmed">{nameOf(n.authorId)} · {f.dateTime(n.createdAt)} {n.pinned && <Badge size="xs" variant="light" ml={4}>{t('notes.pinned')}</Badge>}</Text>
                {mayModify(n) && (
                  <Group gap={2} wrap="nowrap">
                    <ActionIcon variant="subtle" color="gray" aria-label={t(n.pinned ? 'notes.unpin' : 'notes.pin')} onClick={() => pin.mutate(n)}>{n.pinned ? <IconPinnedOff size={16} /> : <IconPin size={16} />}</ActionIcon>
                    <ActionIcon variant="subtle" color="gray" aria-label={t('notes.delete')} onClick={() => setDeleting(n)}><IconTrash size={16} /></ActionIcon>
                  </Group>
                )}
              </Group>
              <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>{n.body}</Text>
            </Card>
          ))}
        </Stack>
      )}
      <ConfirmDelete opened={!!deleting} onClose={() => setDeleting(null)} title={t('notes.deleteTitle')} message={t('notes.deleteBody')}
        onConfirm={() => api(`/notes/${deleting!.id}`, { method: 'DELETE', headers: { 'if-match': etagOf(deleting!) } })} onDeleted={() => invalidate(qc)} />
    </Card>
  );
}
