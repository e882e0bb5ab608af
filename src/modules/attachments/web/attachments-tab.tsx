import { ActionIcon, Badge, Box, Button, Card, CloseButton, FileButton, Group, Progress, Stack, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconFile, IconFileSpreadsheet, IconFileText, IconFileTypePdf, IconPaperclip, IconPhoto, IconPresentation, IconTrash, IconUpload } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type ComponentType, type DragEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api/client.js';
import { useFormat } from '../../../web/format.js';
import { ConfirmDelete } from '../../../web/forms/kit.js';
import { capabilities, useSession } from '../../../web/session.js';
import { useProblemText } from '../../../web/ui/errors.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { type Attachment, contentUrl, invalidateAttachments, UploadError, uploadAttachment, useAttachments } from './attachments-api.js';

type Kind = 'pdf' | 'image' | 'word' | 'excel' | 'powerpoint' | 'csv' | 'text' | 'other';
const kindOf = (type: string): Kind => {
  if (type === 'application/pdf') return 'pdf';
  if (type.startsWith('image/')) return 'image';
  if (type.includes('wordprocessingml')) return 'word';
  if (type.includes('spreadsheetml')) return 'excel';
  if (type.includes('presentationml')) return 'powerpoint';
  if (type === 'text/csv') return 'csv';
  if (type.startsWith('text/')) return 'text';
  return 'other';
};
const kindIcon: Record<Kind, ComponentType<{ size?: number }>> = {
  pdf: IconFileTypePdf, image: IconPhoto, word: IconFileText, excel: IconFileSpreadsheet, powerpoint: IconPresentation, csv: IconFileSpreadsheet, text: IconFileText, other: IconFile,
};
const kindColor: Record<Kind, string> = { pdf: 'red', image: 'grape', word: 'blue', excel: 'teal', powerpoint: 'orange', csv: 'teal', text: 'gray', other: 'gray' };

/** A size the way people read it: bytes, KB or MB, in the reader's number format. */
export function useBytes() {
  const { i18n } = useTranslation();
  return useCallback((n: number) => {
    const fmt = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
    if (n < 1024) return `${fmt.format(n)} B`;
    if (n < 1024 ** 2) return `${fmt.format(Math.max(1, Math.round(n / 1024)))} KB`;
    return `${fmt.format(n / 1024 ** 2)} MB`;
  }, [i18n.language]);
}

type Upload = { key: number; file: File; progress: number; state: 'waiting' | 'sending' | 'failed'; error?: string; abort?: AbortController };

/** What went wrong with one upload, in the reader's language. */
function useUploadProblem() {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const bytes = useBytes();
  return (err: unknown, maxBytes: number): string => {
    if (err instanceof UploadError) {
      if (err.code === 'attachment_too_large') return t('attachments.errors.tooLarge', { max: bytes(Number(err.problem.maxBytes ?? maxBytes)) });
      if (err.code === 'attachment_empty') return t('attachments.errors.empty');
      if (err.code === 'attachment_type_refused') return t(`attachments.errors.refused.${String(err.problem.refused ?? 'unknown')}`, { defaultValue: t('attachments.errors.refused.unknown') });
    }
    return problemText(err);
  };
}

/** The files of an account: upload (with progress), download, delete after a confirmation; staff only. */
export function AttachmentsTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const bytes = useBytes();
  const { me } = useSession();
  const canWrite = capabilities(me?.role).accountWrite;
  const qc = useQueryClient();
  const list = useAttachments(accountId);
  const uploadProblem = useUploadProblem();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [deleting, setDeleting] = useState<Attachment | null>(null);
  const [dragging, setDragging] = useState(false);
  const nextKey = useRef(1);
  const busy = useRef(false);
  const resetPicker = useRef<() => void>(null);
  const first = list.data?.pages[0];
  const maxBytes = first?.maxBytes ?? 0;

  const patch = (key: number, p: Partial<Upload>) => setUploads((us) => us.map((u) => (u.key === key ? { ...u, ...p } : u)));

  // One file at a time, in the order chosen.
  useEffect(() => {
    const next = uploads.find((u) => u.state === 'waiting');
    if (!next || busy.current || uploads.some((u) => u.state === 'sending')) return;
    busy.current = true;
    const abort = new AbortController();
    patch(next.key, { state: 'sending', abort });
    uploadAttachment(accountId, next.file, me?.csrfToken ?? null, (share) => patch(next.key, { progress: share }), abort.signal)
      .then((a) => {
        setUploads((us) => us.filter((u) => u.key !== next.key));
        notifications.show({ color: 'teal', message: t('attachments.uploaded', { name: a.fileName }) });
        invalidateAttachments(qc);
      })
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') setUploads((us) => us.filter((u) => u.key !== next.key));
        else patch(next.key, { state: 'failed', error: uploadProblem(err, maxBytes) });
      })
      .finally(() => { busy.current = false; setUploads((us) => [...us]); });
  }, [uploads]); // eslint-disable-line react-hooks/exhaustive-deps

  const add = (files: File[]) => {
    resetPicker.current?.();
    setUploads((us) => [...us, ...files.map((file): Upload => {
      const key = nextKey.current++;
      // Said before a byte is sent; the server checks the size and the content again.
      if (maxBytes && file.size > maxBytes) return { key, file, progress: 0, state: 'failed', error: t('attachments.errors.tooLarge', { max: bytes(maxBytes) }) };
      if (file.size === 0) return { key, file, progress: 0, state: 'failed', error: t('attachments.errors.empty') };
      return { key, file, progress: 0, state: 'waiting' };
    })]);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (canWrite && e.dataTransfer.files.length) add([...e.dataTransfer.files]);
  };

  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  const rows = list.data.pages.flatMap((p) => p.items);
  const accept = first!.extensions.map((x) => `.${x}`).join(',');

  return (
    <Card>
      {canWrite && (
        <Box mb="md" p="md" data-testid="attachment-drop" onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)} onDrop={onDrop}
          style={{ border: `1px dashed var(--mantine-color-${dragging ? 'blue-5' : 'default-border'})`, borderRadius: 'var(--mantine-radius-md)', background: dragging ? 'var(--mantine-color-blue-light)' : undefined }}>
          <Group justify="space-between" gap="sm" wrap="wrap">
            <div style={{ flex: '1 1 240px', minWidth: 0 }}>
              <Text size="sm" fw={600}>{t('attachments.attach')}<Text span size="sm" fw={400} c="dimmed" visibleFrom="sm"> · {t('attachments.dropHere')}</Text></Text>
              <Text size="xs" c="dimmed">{t('attachments.accepted', { max: bytes(maxBytes) })}</Text>
              <Text size="xs" c="dimmed">{t('attachments.internal')}</Text>
            </div>
            <FileButton onChange={(files) => add(files)} multiple accept={accept} resetRef={resetPicker}>
              {(props) => <Button {...props} size="sm" leftSection={<IconUpload size={16} />}>{t('attachments.choose')}</Button>}
            </FileButton>
          </Group>
          {uploads.length > 0 && (
            <Stack gap={6} mt="sm" aria-live="polite">
              {uploads.map((u) => (
                <div key={u.key} data-testid="attachment-upload" data-state={u.state}>
                  <Group justify="space-between" wrap="nowrap" gap="xs">
                    <Text size="sm" truncate="end" style={{ minWidth: 0 }}>{u.file.name}</Text>
                    <Group gap={4} wrap="nowrap">
                      <Text size="xs" c={u.state === 'failed' ? 'red.8' : 'dimmed'}>
                        {u.state === 'failed' ? t('attachments.failed') : u.state === 'waiting' ? t('attachments.waiting') : `${Math.round(u.progress * 100)}%`}
                      </Text>
                      <CloseButton size="sm" aria-label={t(u.state === 'failed' ? 'attachments.dismiss' : 'attachments.cancel', { name: u.file.name })}
                        onClick={() => { if (u.state === 'sending') u.abort?.abort(); else setUploads((us) => us.filter((x) => x.key !== u.key)); }} />
                    </Group>
                  </Group>
                  {u.state === 'failed'
                    ? <Text size="xs" c="red.8" role="alert">{u.error}</Text>
                    : <Progress value={u.progress * 100} size="sm" animated={u.state === 'sending'} aria-label={t('attachments.progress', { name: u.file.name })} />}
                </div>
              ))}
            </Stack>
          )}
        </Box>
      )}
      {rows.length === 0 ? (
        <Empty title={t('attachments.empty')} icon={<IconPaperclip size={22} />}>{canWrite ? t('attachments.emptyHint') : t('attachments.emptyRead')}</Empty>
      ) : (
        <Stack gap={0}>
          {rows.map((a) => {
            const kind = kindOf(a.contentType);
            const Icon = kindIcon[kind];
            return (
              <Group key={a.id} wrap="nowrap" align="center" py={8} gap="sm" data-testid="attachment-row" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
                <ThemeIcon variant="light" color={kindColor[kind]} size={36} radius="md"><Icon size={20} /></ThemeIcon>
                <div style={{ flex: 1, minWidth: 0 }}>
                  <Text fw={600} size="sm" truncate="end" title={a.fileName}>
                    <a href={contentUrl(a)} download={a.fileName} style={{ color: 'inherit', textDecoration: 'none' }}>{a.fileName}</a>
                  </Text>
                  <Group gap={6} mt={2} wrap="wrap">
                    <Badge size="sm" variant="light" color={kindColor[kind]} tt="none">{t(`attachments.types.${kind}`)}</Badge>
                    <Text size="xs" c="dimmed">{bytes(a.sizeBytes)} · {a.uploadedBy.name} · {f.dateTime(a.createdAt)}</Text>
                  </Group>
                </div>
                <Group gap={2} wrap="nowrap">
                  <Tooltip label={t('attachments.download')} withArrow>
                    <ActionIcon component="a" href={contentUrl(a)} download={a.fileName} variant="subtle" color="gray" aria-label={t('attachments.downloadNamed', { name: a.fileName })}>
                      <IconDownload size={16} />
                    </ActionIcon>
                  </Tooltip>
                  {canWrite && (
                    <Tooltip label={t('attachments.delete')} withArrow>
                      <ActionIcon variant="subtle" color="gray" aria-label={t('attachments.deleteNamed', { name: a.fileName })} onClick={() => setDeleting(a)}><IconTrash size={16} /></ActionIcon>
                    </Tooltip>
                  )}
                </Group>
              </Group>
            );
          })}
        </Stack>
      )}
      {list.hasNextPage && <Group justify="center" mt="sm"><Button variant="light" size="xs" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>{t('common.showMore')}</Button></Group>}
      {canWrite && (
        <ConfirmDelete opened={!!deleting} onClose={() => setDeleting(null)} title={t('attachments.deleteTitle')} message={t('attachments.deleteBody', { name: deleting?.fileName ?? '' })}
          confirmLabel={t('attachments.delete')} doneMessage={t('attachments.deleted')}
          onConfirm={() => api(`/attachments/${deleting!.id}`, { method: 'DELETE' })} onDeleted={() => invalidateAttachments(qc)} />
      )}
    </Card>
  );
}
