import { Alert, Button, Group, Modal, Radio, Select, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../../web/ui/errors.js';
import { useNotify } from './notify.js';
import type { ChangeRequestBody } from '../visits.contract.js';
import { clockOf } from './visits-format.js';
import { type CallPlan, useAccountContacts, useRequestChange, type VisitRoute, WEEKDAYS, type Weekday } from './use-visits.js';
import { useNames } from '../../../web/names.js';

type Reason = ChangeRequestBody['reason'];
const reasons: Reason[] = ['customer_request', 'route_optimisation', 'manager_capacity', 'other'];
/** Start times offered, every 15 minutes from 06:00 to 21:45. */
const times = Array.from({ length: 64 }, (_, i) => clockOf(6 * 60 + i * 15));

export type MoveTarget = { weekday: Weekday; startTime: string };

/**
 * Moving a slot needs a reason: a customer's request names the contact who asked (and applies at
 * once); any other reason needs a note and goes to the director for approval.
 */
export function MoveSlotDialog({ plan, target, routes, onClose }: { plan: CallPlan | null; target: MoveTarget | null; routes: VisitRoute[]; onClose: () => void }) {
  const { t } = useTranslation();
  const n = useNames();
  const problem = useProblemText();
  const notify = useNotify();
  const [weekday, setWeekday] = useState<Weekday>('mon');
  const [startTime, setStartTime] = useState('09:00');
  const [reason, setReason] = useState<Reason>('customer_request');
  const [contactId, setContactId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ contact?: string; note?: string; slot?: string }>({});
  const contacts = useAccountContacts(plan?.accountId);
  const change = useRequestChange();

  useEffect(() => {
    if (!plan) return;
    setWeekday(target?.weekday ?? plan.weekday);
    setStartTime(target?.startTime ?? plan.startTime);
    setReason('customer_request');
    setContactId(null);
    setNote('');
    setErrors({});
  }, [plan, target]);

  if (!plan) return null;
  const needsApproval = reason !== 'customer_request';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof errors = {};
    if (weekday === plan.weekday && startTime === plan.startTime) errs.slot = t('visits.move.unchanged');
    if (reason === 'customer_request' && !contactId) errs.contact = t('visits.move.contactRequired');
    if (needsApproval && !note.trim()) errs.note = t('visits.move.noteRequired');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    const slot: ChangeRequestBody['slot'] = { startTime };
    if (weekday !== plan.weekday) {
      slot.weekday = weekday;
      // A route is one weekday: the slot joins the manager's route of the new day, if there is one.
      const route = routes.find((r) => r.managerId === plan.managerId && r.weekday === weekday && r.timeZone === plan.timeZone);
      if (plan.routeId || route) { slot.routeId = route?.id ?? null; slot.routePosition = null; }
    }
    change.mutate(
      { plan, body: { reason, slot, ...(reason === 'customer_request' && contactId ? { contactId } : {}), ...(note.trim() ? { note: note.trim() } : {}) } },
      {
        onSuccess: (r) => {
          notify.ok(r.change.status === 'pending' ? t('visits.move.sentForApproval') : t('visits.move.applied'));
          onClose();
        },
        onError: (err) => notify.fail(err),
      },
    );
  };

  return (
    <Modal className="ok-visits" closeButtonProps={{ 'aria-label': t('visits.close') }} opened onClose={onClose} title={t('visits.move.title', { account: n.primary(plan) })} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('visits.move.from', { day: t(`visits.weekdays.${plan.weekday}`), time: plan.startTime })}
          </Text>
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <Select label={t('visits.move.day')} value={weekday} allowDeselect={false} onChange={(v) => { if (v) { setWeekday(v as Weekday); setErrors((e) => ({ ...e, slot: undefined })); } }}
              data={WEEKDAYS.map((d) => ({ value: d, label: t(`visits.weekdays.${d}`) }))} />
            <Select label={t('visits.move.time')} value={startTime} allowDeselect={false} searchable onChange={(v) => { if (v) { setStartTime(v); setErrors((e) => ({ ...e, slot: undefined })); } }}
              data={[...new Set([startTime, ...times])].sort()} error={errors.slot} />
          </SimpleGrid>
          <Radio.Group label={t('visits.move.reason')} value={reason} onChange={(v) => setReason(v as Reason)} withAsterisk>
            <Stack gap="xs" mt={6}>
              {reasons.map((r) => <Radio key={r} value={r} label={t(`visits.reasons.${r}`)} />)}
            </Stack>
          </Radio.Group>
          {reason === 'customer_request' ? (
            <Select
              label={t('visits.move.contact')} placeholder={t('visits.move.contactPlaceholder')} withAsterisk value={contactId} onChange={(v) => { setContactId(v); setErrors((e) => ({ ...e, contact: undefined })); }}
              data={(contacts.data?.items ?? []).map((c) => ({ value: c.id, label: c.title ? `${n.primary(c)} · ${c.title}` : n.primary(c) }))}
              nothingFoundMessage={t('visits.move.noContacts')} disabled={contacts.isPending} error={errors.contact ?? (contacts.isError ? problem(contacts.error) : undefined)}
              description={t('visits.move.appliesAtOnce')}
            />
          ) : (
            <>
              <Textarea label={t('visits.move.note')} withAsterisk autosize minRows={2} maxLength={2000} value={note} onChange={(e) => { setNote(e.currentTarget.value); setErrors((x) => ({ ...x, note: undefined })); }} error={errors.note} />
              <Alert color="orange" variant="light" icon={<IconInfoCircle size={18} />}>{t('visits.move.needsApproval')}</Alert>
            </>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={change.isPending}>{needsApproval ? t('visits.move.submitForApproval') : t('visits.move.submit')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
