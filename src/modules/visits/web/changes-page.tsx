import { Button, Card, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { IconCheck, IconChecks, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../web/api/client.js';
import { useTranslation } from 'react-i18next';
import { allowedFor } from '../../../web/features.js';
import { useSession } from '../../../web/session.js';
import { ShowMore, ToneBadge, useNotify } from './notify.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { ChangeSummary } from './slot-history-drawer.js';
import { approverRoles, type PlanChange, useChanges, useDecide } from './use-visits.js';
import { useVisitFormat } from './visits-format.js';
import { AccountName } from '../../../web/ui/account-name.js';

type Decision = { change: PlanChange; decision: 'approve' | 'reject' };

/** Slot changes waiting for the director: approve or reject, with an optional note. */
export function ChangesPage() {
  const { t } = useTranslation();
  const f = useVisitFormat();
  const { me } = useSession();
  const notify = useNotify();
  const canDecide = allowedFor(me, approverRoles);
  const [params, setParams] = useSearchParams();
  const managerId = params.get('managerId') ?? undefined;
  const changes = useChanges({ status: 'pending', limit: 50, ...(managerId ? { managerId } : {}) });
  const decide = useDecide();
  const qc = useQueryClient();
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [group, setGroup] = useState<{ managerName: string; ids: string[] } | null>(null);
  const [note, setNote] = useState('');
  const items = changes.items;
  // A director decides a manager's requests together (e.g. one route optimisation): grouped by manager.
  const groups = [...items.reduce((m, c) => m.set(c.managerId, [...(m.get(c.managerId) ?? []), c]), new Map<string, PlanChange[]>()).values()];
  const approveAll = useMutation({
    mutationFn: (g: { ids: string[] }) => api('/call-plan-changes/approve', { method: 'POST', body: { ids: g.ids, ...(note.trim() ? { note: note.trim() } : {}) } }),
    onSuccess: (_r, g) => { notify.ok(t('visits.changes.approvedAll', { count: g.ids.length })); setGroup(null); },
    onError: (err) => notify.fail(err),
    onSettled: () => { void qc.invalidateQueries({ queryKey: ['visits'] }); void qc.invalidateQueries({ queryKey: ['my-day'] }); },
  });

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
      <Stack gap="lg">
        {groups.map((g) => (
          <Stack key={g[0]!.managerId} gap="sm" component="section" aria-label={g[0]!.managerName} data-testid="change-group">
            <Group justify="space-between">
              <Text fw={700}>{t('visits.changes.groupTitle', { manager: g[0]!.managerName, count: g.length })}</Text>
              {canDecide && g.length > 1 && (
                <Button size="sm" variant="light" color="teal" leftSection={<IconChecks size={16} />} onClick={() => { setNote(''); setGroup({ managerName: g[0]!.managerName, ids: g.map((c) => c.id) }); }}>
                  {t('visits.changes.approveAll', { count: g.length })}
                </Button>
              )}
            </Group>
        {g.map((c) => {
          return (
            <Card key={c.id} padding="md" data-testid="pending-change">
              <Group justify="space-between" align="flex-start" gap="sm">
                <Stack gap={4} style={{ minWidth: 0, flex: '1 1 320px' }}>
                  <Group gap="xs">
                    <Text fw={700}><AccountName account={c} secondary /></Text>
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
          </Stack>
        ))}
        <ShowMore query={changes} />
      </Stack>
    );
  }

  return (
    <>
      <PageHeader title={t('visits.changes.title')} subtitle={t(canDecide ? 'visits.changes.subtitleDirector' : 'visits.changes.subtitleManager')} />
      {managerId && <Group mb="sm"><Button size="xs" variant="subtle" onClick={() => { const p = new URLSearchParams(params); p.delete('managerId'); setParams(p); }}>{t('visits.changes.allManagers')}</Button></Group>}
      {body}
      <Modal className="ok-visits" closeButtonProps={{ 'aria-label': t('visits.close') }} opened={!!group} onClose={() => setGroup(null)} title={t('visits.changes.approveAllTitle', { manager: group?.managerName ?? '', count: group?.ids.length ?? 0 })}>
        <Stack>
          <Text size="sm">{t('visits.changes.approveAllBody', { count: group?.ids.length ?? 0 })}</Text>
          <Textarea label={t('visits.changes.decisionNote')} autosize minRows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setGroup(null)}>{t('common.cancel')}</Button>
            <Button color="teal" loading={approveAll.isPending} onClick={() => group && approveAll.mutate(group)} data-testid="approve-all-confirm">{t('visits.changes.approveAll', { count: group?.ids.length ?? 0 })}</Button>
          </Group>
        </Stack>
      </Modal>
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
