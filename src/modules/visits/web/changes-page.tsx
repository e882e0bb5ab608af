import { Button, Card, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allowedFor } from '../../../web/features.js';
import { useSession } from '../../../web/session.js';
import { ShowMore, ToneBadge, useNotify } from './notify.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { ChangeSummary } from './slot-history-drawer.js';
import { approverRoles, type PlanChange, useChanges, useDecide } from './use-visits.js';
import { useVisitFormat } from './visits-format.js';

type Decision = { change: PlanChange; decision: 'approve' | 'reject' };

/** Slot changes waiting for the director: approve or reject, with an optional note. */
export function ChangesPage() {
  const { t } = useTranslation();
  const f = useVisitFormat();
  const { me } = useSession();
  const notify = useNotify();
  const canDecide = allowedFor(me, approverRoles);
  const changes = useChanges({ status: 'pending', limit: 20 });
  const decide = useDecide();
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [note, setNote] = useState('');
  const items = changes.items;

  const confirm = () => {
    if (!deciding) return;
    decide.mutate({ id: deciding.change.id, decision: deciding.decision, note: note.trim() || undefined }, {
      onSuccess: () => { notify.ok(deciding.decision === 'approve' ? t('visits.changes.approved') : t('visits.changes.rejected')); setDeciding(null); },
      onError: (err) => notify.fail(err),
    });
  };

  let body;
  if (changes.isPending) body = <Loading />;
  else if (changes.isError) body = <ErrorState error={changes.error} onRetry={() => void changes.refetch()} />;
  else if (items.length === 0) body = <Empty title={t('visits.changes.empty')}>{canDecide ? t('visits.changes.emptyHint') : undefined}</Empty>;
  else {
    body = (
      <Stack gap="sm">
        {items.map((c) => {
          return (
            <Card key={c.id} padding="md" data-testid="pending-change">
              <Group justify="space-between" align="flex-start" gap="sm">
                <Stack gap={4} style={{ minWidth: 0, flex: '1 1 320px' }}>
                  <Group gap="xs">
                    <Text fw={700}>{c.accountName}</Text>
                    <ToneBadge variant="light" color="orange">{t(`visits.reasons.${c.reason}`)}</ToneBadge>
                  </Group>
                  <ChangeSummary change={c} />
                  {c.note && <Text size="sm">“{c.note}”</Text>}
                  <Text size="xs" c="dimmed">
                    {t('visits.changes.managerLine', { manager: c.managerName })} · {t('visits.history.requested', { name: c.requestedByName, when: f.dateTime(c.requestedAt) })}
                  </Text>
                </Stack>
                {canDecide ? (
                  <Group gap="xs">
                    <Button size="sm" leftSection={<IconCheck size={16} />} onClick={() => { setNote(''); setDeciding({ change: c, decision: 'approve' }); }}>{t('visits.changes.approve')}</Button>
                    <Button size="sm" variant="light" color="red" leftSection={<IconX size={16} />} onClick={() => { setNote(''); setDeciding({ change: c, decision: 'reject' }); }}>{t('visits.changes.reject')}</Button>
                  </Group>
                ) : <ToneBadge variant="light" color="orange">{t('visits.changes.awaiting')}</ToneBadge>}
              </Group>
            </Card>
          );
        })}
        <ShowMore query={changes} />
      </Stack>
    );
  }

  return (
    <>
      <PageHeader title={t('visits.changes.title')} subtitle={t(canDecide ? 'visits.changes.subtitleDirector' : 'visits.changes.subtitleManager')} />
      {body}
      <Modal className="ok-visits" closeButtonProps={{ 'aria-label': t('visits.close') }} opened={!!deciding} onClose={() => setDeciding(null)} title={deciding?.decision === 'approve' ? t('visits.changes.approveTitle') : t('visits.changes.rejectTitle')}>
        <Stack>
          {deciding && <ChangeSummary change={deciding.change} />}
          <Textarea label={t('visits.changes.decisionNote')} autosize minRows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeciding(null)}>{t('common.cancel')}</Button>
            <Button color={deciding?.decision === 'approve' ? 'teal' : 'red'} loading={decide.isPending} onClick={confirm}>
              {deciding?.decision === 'approve' ? t('visits.changes.approve') : t('visits.changes.reject')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
