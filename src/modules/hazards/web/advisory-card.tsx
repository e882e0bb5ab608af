/** An advisory as a card, with the next step (record contact, decision, outcome) in a modal form. */
import { Alert, Anchor, Badge, Button, Card, Group, Modal, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowRight } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../../web/api/client.js';
import { useFormat } from '../../../web/format.js';
import { useProblemText } from '../../../web/ui/errors.js';
import { contactChannels, dealerDecisions, useAdvisoryStep, yuanToFen, type Advisory, type AdvisoryStep } from './hazards-api.js';
import { isoToZoned, useCanWrite, useDistance, useTimeZone, zonedToIso } from './hazards-ui.js';
import { AccountName } from '../../../web/ui/account-name.js';

const statusColor: Record<Advisory['status'], string> = { open: 'red.8', contacted: 'orange.4', actioned: 'blue.7', closed: 'gray.7' };

export function AdvisoryStatusBadge({ status }: { status: Advisory['status'] }) {
  const { t } = useTranslation();
  return <Badge color={statusColor[status]} variant="filled" autoContrast size="sm" radius="sm">{t(`hazards.advisories.status.${status}`)}</Badge>;
}

const nextStep: Record<Advisory['status'], AdvisoryStep['kind'] | null> = { open: 'contact', contacted: 'decision', actioned: 'outcome', closed: null };

/** On the board the column (or the phone's filter) already says the state, so the card shows it only elsewhere. */
export function AdvisoryCard({ advisory: a, highlight = false, showAccount = true, showStatus = false }: { advisory: Advisory; highlight?: boolean; showAccount?: boolean; showStatus?: boolean }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const dist = useDistance();
  const canWrite = useCanWrite();
  const [open, setOpen] = useState(false);
  const step = nextStep[a.status];
  const proposal = i18n.language.startsWith('zh') ? a.proposal.textZh : a.proposal.text;
  return (
    <Card padding="sm" withBorder data-testid="advisory-card" data-status={a.status} data-advisory={a.id}
      style={highlight ? { outline: '2px solid var(--mantine-color-brand-5)' } : undefined}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
          <div style={{ minWidth: 0 }}>
            {showAccount && <Anchor component={Link} to={`/accounts/${a.accountId}?tab=risk`} fw={600} size="sm"><AccountName account={a} /></Anchor>}
            <Text size="sm" fw={showAccount ? 400 : 600}>{a.siteName}</Text>
          </div>
          {showStatus && <AdvisoryStatusBadge status={a.status} />}
        </Group>
        {a.headline && <Text size="xs" c="dimmed" lineClamp={2}>{a.headline}</Text>}
        <Group gap={6}>
          <Badge size="xs" color={a.inside ? 'red.8' : 'orange.4'} variant="filled" autoContrast>{a.inside ? t('hazards.exposure.inside') : t('hazards.advisories.near', { distance: dist(a.distanceM) })}</Badge>
          {a.hazardState !== 'active' && <Badge size="xs" color="gray" variant="outline">{t(`hazards.advisories.hazardState.${a.hazardState}`)}</Badge>}
        </Group>
        <Group justify="space-between" gap="xs">
          <Text size="xs" c="dimmed">{t('hazards.advisories.valueAtRisk')}</Text>
          {a.valueAtRisk ? <Text size="sm" fw={700} className="ok-stat">{f.money(a.valueAtRisk.amountMinor, a.valueAtRisk.currency)}</Text> : <Text size="xs" c="dimmed">{t('hazards.advisories.valueUnknown')}</Text>}
        </Group>
        <Text size="sm" style={{ background: 'var(--mantine-color-gray-0)', borderRadius: 6, padding: 6 }}>
          <Text span size="xs" fw={600} c="dimmed">{t('hazards.advisories.proposal')}: </Text>{proposal}
        </Text>
        {a.managerName && <Text size="xs" c="dimmed">{t('hazards.advisories.manager')}: {a.managerName}</Text>}
        {a.contact && <Text size="xs">{t('hazards.advisories.contactedLine', { when: f.dateTime(a.contact.at), channel: t(`hazards.channels.${a.contact.channel}`, { defaultValue: a.contact.channel }) })}{a.contact.notes ? ` — ${a.contact.notes}` : ''}</Text>}
        {a.decision && <Text size="xs">{t('hazards.advisories.decidedLine', { decision: t(`hazards.decisions.${a.decision.decision}`, { defaultValue: a.decision.decision }) })}: {a.decision.actionTaken}</Text>}
        {a.outcome && (
          <Text size="xs" data-testid="advisory-outcome">
            {t('hazards.advisories.outcomeLine', { saved: f.money(a.outcome.valueSaved.amountMinor, a.outcome.valueSaved.currency), losses: f.money(a.outcome.losses.amountMinor, a.outcome.losses.currency), cost: f.money(a.outcome.movingCost.amountMinor, a.outcome.movingCost.currency) })}
          </Text>
        )}
        {a.status === 'closed' && a.closedReason === 'hazard-ended' && <Text size="xs" c="dimmed">{t('hazards.advisories.closedHazardEnded')}</Text>}
        <Text size="xs" c="dimmed">{t('hazards.advisories.opened', { when: f.relative(a.createdAt) })}</Text>
        {step && canWrite && (
          <Button size="xs" variant="light" rightSection={<IconArrowRight size={14} />} onClick={() => setOpen(true)} data-testid={`advisory-${step}`}>
            {t(`hazards.advisories.actions.${step}`)}
          </Button>
        )}
      </Stack>
      {step && <StepModal advisory={a} step={step} opened={open} onClose={() => setOpen(false)} />}
    </Card>
  );
}

function StepModal({ advisory, step, opened, onClose }: { advisory: Advisory; step: AdvisoryStep['kind']; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700}>{t(`hazards.advisories.actions.${step}`)} · {advisory.siteName}</Text>} closeButtonProps={{ 'aria-label': t('hazards.common.close') }}>
      {opened && (step === 'contact' ? <ContactForm advisory={advisory} onDone={onClose} /> : step === 'decision' ? <DecisionForm advisory={advisory} onDone={onClose} /> : <OutcomeForm advisory={advisory} onDone={onClose} />)}
    </Modal>
  );
}

function useSubmit(advisory: Advisory, onDone: () => void) {
  const { t } = useTranslation();
  const text = useProblemText();
  const mutation = useAdvisoryStep();
  const [error, setError] = useState<string | null>(null);
  const submit = (step: AdvisoryStep) => {
    setError(null);
    mutation.mutate({ advisory, step }, {
      onSuccess: () => { notifications.show({ color: 'teal', message: t('hazards.advisories.saved') }); onDone(); },
      onError: (e) => setError(e instanceof ApiError && e.code === 'invalid_transition' ? t('hazards.advisories.alreadyMoved') : text(e)),
    });
  };
  const errorBox = error && <Alert color="red" role="alert">{error}</Alert>;
  return { submit, pending: mutation.isPending, errorBox };
}

function Actions({ pending, onCancel }: { pending: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" mt="sm">
      <Button variant="default" onClick={onCancel}>{t('common.cancel')}</Button>
      <Button type="submit" loading={pending} data-testid="advisory-submit">{t('common.save')}</Button>
    </Group>
  );
}

function ContactForm({ advisory, onDone }: { advisory: Advisory; onDone: () => void }) {
  const { t } = useTranslation();
  const tz = useTimeZone();
  const { submit, pending, errorBox } = useSubmit(advisory, onDone);
  const [at, setAt] = useState(() => isoToZoned(Date.now(), tz));
  const [channel, setChannel] = useState<(typeof contactChannels)[number]>('phone');
  const [notes, setNotes] = useState('');
  const [atError, setAtError] = useState<string | null>(null);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const iso = zonedToIso(at, tz);
    if (!iso || new Date(iso).getTime() > Date.now() + 5 * 60_000) { setAtError(t('hazards.advisories.form.invalidTime')); return; }
    setAtError(null);
    submit({ kind: 'contact', body: { at: iso, channel, notes: notes.trim() || null } });
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <TextInput type="datetime-local" label={t('hazards.advisories.form.when')} description={t('hazards.advisories.form.timeZone', { zone: tz })} required value={at} onChange={(e) => setAt(e.currentTarget.value)} error={atError} />
        <Select label={t('hazards.advisories.form.channel')} required allowDeselect={false} value={channel} onChange={(v) => v && setChannel(v as typeof channel)} data={contactChannels.map((c) => ({ value: c, label: t(`hazards.channels.${c}`) }))} />
        <Textarea label={t('hazards.advisories.form.notes')} autosize minRows={2} maxLength={2000} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
        {errorBox}
        <Actions pending={pending} onCancel={onDone} />
      </Stack>
    </form>
  );
}

function DecisionForm({ advisory, onDone }: { advisory: Advisory; onDone: () => void }) {
  const { t } = useTranslation();
  const { submit, pending, errorBox } = useSubmit(advisory, onDone);
  const [decision, setDecision] = useState<(typeof dealerDecisions)[number]>(advisory.proposal.kind === 'none' ? 'protect_in_place' : 'move_stock');
  const [actionTaken, setActionTaken] = useState('');
  const [actionError, setActionError] = useState<string | null>(null);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!actionTaken.trim()) { setActionError(t('hazards.advisories.form.required')); return; }
    setActionError(null);
    submit({ kind: 'decision', body: { decision, actionTaken: actionTaken.trim() } });
  };
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Select label={t('hazards.advisories.form.decision')} required allowDeselect={false} value={decision} onChange={(v) => v && setDecision(v as typeof decision)} data={dealerDecisions.map((d) => ({ value: d, label: t(`hazards.decisions.${d}`) }))} />
        <Textarea label={t('hazards.advisories.form.actionTaken')} required autosize minRows={2} maxLength={2000} value={actionTaken} onChange={(e) => setActionTaken(e.currentTarget.value)} error={actionError} />
        {errorBox}
        <Actions pending={pending} onCancel={onDone} />
      </Stack>
    </form>
  );
}

type MoneyKey = 'valueSaved' | 'losses' | 'movingCost';

function OutcomeForm({ advisory, onDone }: { advisory: Advisory; onDone: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { submit, pending, errorBox } = useSubmit(advisory, onDone);
  const currency = advisory.valueAtRisk?.currency ?? 'CNY';
  const [values, setValues] = useState<Record<MoneyKey, string>>({ valueSaved: '', losses: '0', movingCost: '0' });
  const [errors, setErrors] = useState<Partial<Record<MoneyKey, string>>>({});
  const [notes, setNotes] = useState('');
  const symbol = currency === 'CNY' ? '¥' : currency;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const fen = { valueSaved: yuanToFen(values.valueSaved), losses: yuanToFen(values.losses), movingCost: yuanToFen(values.movingCost) };
    const errs: Partial<Record<MoneyKey, string>> = {};
    for (const k of Object.keys(fen) as MoneyKey[]) if (fen[k] === null || (k === 'valueSaved' && !values.valueSaved.trim())) errs[k] = t('hazards.advisories.form.invalidMoney');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    submit({ kind: 'outcome', body: { currency, valueSavedMinor: fen.valueSaved!, lossesMinor: fen.losses!, movingCostMinor: fen.movingCost!, notes: notes.trim() || null } });
  };
  const moneyInput = (key: MoneyKey) => (
    <TextInput label={t(`hazards.advisories.form.${key}`)} leftSection={<Text size="sm" c="dimmed">{symbol}</Text>} inputMode="decimal" placeholder="0.00" required={key === 'valueSaved'}
      description={key === 'valueSaved' && advisory.valueAtRisk ? t('hazards.advisories.form.ofValue', { value: f.money(advisory.valueAtRisk.amountMinor, advisory.valueAtRisk.currency) }) : undefined}
      value={values[key]} onChange={(e) => { const v = e.currentTarget.value; setValues((o) => ({ ...o, [key]: v })); }} error={errors[key]} data-testid={`outcome-${key}`} />
  );
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="sm">
        <Text size="xs" c="dimmed">{t('hazards.advisories.form.inYuan')}</Text>
        {moneyInput('valueSaved')}
        <SimpleGrid cols={2}>{moneyInput('losses')}{moneyInput('movingCost')}</SimpleGrid>
        <Textarea label={t('hazards.advisories.form.notes')} autosize minRows={2} maxLength={2000} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
        {errorBox}
        <Actions pending={pending} onCancel={onDone} />
      </Stack>
    </form>
  );
}
