/** The account's key dates: each with its next occurrence (lunar ones marked), added and removed here. */
import { ActionIcon, Badge, Button, Card, Checkbox, Group, NumberInput, SegmentedControl, Select, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconCalendarPlus, IconMoon, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../web/api/client.js';
import { useFormat } from '../../../web/format.js';
import { FormActions, FormModal, FormProblem, useFormProblem } from '../../../web/forms/kit.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { ruleProblems } from '../key-dates.domain.js';
import { daysBetween } from '../stakeholders.domain.js';
import { type KeyDateItem, type StakeholderPerson, useAddKeyDate, useDeleteKeyDate, useKeyDates } from './relationships-api.js';
import { bySoonest } from './relationships-view.js';

const KINDS = ['company_anniversary', 'store_anniversary', 'birthday', 'custom'] as const;
type Kind = (typeof KINDS)[number];

/** The rule as people say it: "15 Aug" or "Lunar 8/15" (闰 for a leap month). */
function useRuleText() {
  const { t } = useTranslation();
  const f = useFormat();
  return (r: KeyDateItem['rule']): string => (r.calendar === 'lunar'
    ? t(r.leap ? 'relationships.dates.lunarLeapRule' : 'relationships.dates.lunarRule', { month: r.month, day: r.day })
    : f.monthDay(`2000-${String(r.month).padStart(2, '0')}-${String(r.day).padStart(2, '0')}`));
}

export function KeyDatesPanel({ accountId, people, today, canWrite }: { accountId: string; people: StakeholderPerson[]; today: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const q = useKeyDates(accountId);
  const remove = useDeleteKeyDate(accountId);
  const ruleText = useRuleText();
  const [adding, setAdding] = useState(false);
  const names = new Map(people.map((p) => [p.contactId, p.name]));
  const items = bySoonest(q.data ?? []);

  return (
    <Card padding="md" data-testid="key-dates">
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={2} size="h4">{t('relationships.dates.title')}</Title>
        {canWrite && <Button size="xs" variant="light" leftSection={<IconCalendarPlus size={14} />} onClick={() => setAdding(true)} data-testid="add-key-date">{t('relationships.dates.add')}</Button>}
      </Group>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : items.length === 0 ? (
        <Empty title={t('relationships.dates.emptyTitle')}>{t('relationships.dates.emptyBody')}</Empty>
      ) : (
        <Stack gap={0}>
          {items.map((d) => {
            const inDays = d.next ? daysBetween(today, d.next.date) : null;
            return (
              <Group key={d.id} justify="space-between" wrap="nowrap" py={8} style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }} data-testid="key-date-row">
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Group gap={6} wrap="wrap">
                    <Text fw={600} size="sm">{d.label}</Text>
                    <Badge size="xs" variant="light" color="gray" tt="none">{t(`relationships.kind.${d.kind}`)}</Badge>
                    {d.rule.calendar === 'lunar' && <Badge size="xs" variant="light" color="grape" tt="none" leftSection={<IconMoon size={10} />}>{t('relationships.dates.lunar')}</Badge>}
                  </Group>
                  <Text size="xs" c="dimmed">
                    {ruleText(d.rule)}
                    {d.contactId && names.get(d.contactId) ? ` · ${names.get(d.contactId)}` : ''}
                  </Text>
                </Stack>
                <Group gap="xs" wrap="nowrap">
                  <Stack gap={0} align="flex-end">
                    <Text size="sm" fw={500}>{d.next ? f.date(`${d.next.date}T12:00:00Z`) : '—'}</Text>
                    {d.next && inDays !== null && (
                      <Text size="xs" c={inDays <= 14 ? 'orange.8' : 'dimmed'}>
                        {inDays === 0 ? t('relationships.dates.today') : t('relationships.dates.inDays', { count: inDays })}
                      </Text>
                    )}
                    {d.next && d.next.ordinal !== null && d.next.ordinal > 0 && <Text size="xs" c="dimmed">{t('relationships.dates.ordinal', { count: d.next.ordinal })}</Text>}
                    {d.next && d.next.adjustments.length > 0 && <Text size="xs" c="dimmed">{t(`relationships.dates.adjusted.${d.next.adjustments[0]}`)}</Text>}
                  </Stack>
                  {canWrite && (
                    <Tooltip label={t('relationships.dates.delete')}>
                      <ActionIcon variant="subtle" color="red" aria-label={t('relationships.dates.deleteNamed', { label: d.label })} loading={remove.isPending && remove.variables === d.id}
                        onClick={() => { if (window.confirm(t('relationships.dates.confirmDelete', { label: d.label }))) remove.mutate(d.id); }}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Group>
              </Group>
            );
          })}
        </Stack>
      )}
      <FormModal opened={adding} onClose={() => setAdding(false)} title={t('relationships.dates.add')} size="md" testId="key-date-form">
        <AddKeyDateForm accountId={accountId} people={people} onClose={() => setAdding(false)} />
      </FormModal>
    </Card>
  );
}

function AddKeyDateForm({ accountId, people, onClose }: { accountId: string; people: StakeholderPerson[]; onClose: () => void }) {
  const { t } = useTranslation();
  const add = useAddKeyDate(accountId);
  const { problem, onError, clear } = useFormProblem();
  const [kind, setKind] = useState<Kind>('company_anniversary');
  const [label, setLabel] = useState('');
  const [contactId, setContactId] = useState<string | null>(null);
  const [calendar, setCalendar] = useState<'gregorian' | 'lunar'>('gregorian');
  const [month, setMonth] = useState<number | string>('');
  const [day, setDay] = useState<number | string>('');
  const [leap, setLeap] = useState(false);
  const [firstYear, setFirstYear] = useState<number | string>('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const anniversary = kind === 'company_anniversary' || kind === 'store_anniversary';

  const submit = () => {
    clear();
    const e: Record<string, string> = {};
    const m = typeof month === 'number' ? month : NaN;
    const d = typeof day === 'number' ? day : NaN;
    const y = typeof firstYear === 'number' ? firstYear : null;
    if (!label.trim()) e.label = t('relationships.dates.err.label');
    if (!Number.isInteger(m) || m < 1 || m > 12) e.month = t('relationships.dates.err.month');
    else if (!Number.isInteger(d) || ruleProblems(calendar === 'lunar' ? { calendar, month: m, day: d, leap } : { calendar, month: m, day: d }).length) {
      e.day = t(calendar === 'lunar' ? 'relationships.dates.err.lunarDay' : 'relationships.dates.err.day', { month: m });
    }
    if (anniversary && y === null) e.firstYear = t('relationships.dates.err.firstYearRequired');
    if (y !== null && (y < 1900 || y > 2100)) e.firstYear = t('relationships.dates.err.firstYearRange');
    if (kind === 'birthday' && !contactId) e.contactId = t('relationships.dates.err.contactRequired');
    setErrors(e);
    if (Object.keys(e).length) return;
    add.mutate({
      accountId, contactId, kind, label: label.trim(), firstYear: y,
      rule: calendar === 'lunar' ? { calendar, month: m, day: d, leap } : { calendar, month: m, day: d },
    }, {
      onSuccess: onClose,
      onError: (err) => {
        onError(err);
        // The server's checks, said in the reader's language on their fields.
        const next: Record<string, string> = {};
        for (const fe of err instanceof ApiError ? err.fieldErrors : []) {
          if (fe.path.startsWith('body.rule')) next.day = t('relationships.dates.err.noSuchDate');
          else if (fe.path.startsWith('body.contactId')) next.contactId = t('relationships.dates.err.contactRequired');
          else if (fe.path.startsWith('body.firstYear')) next.firstYear = t('relationships.dates.err.firstYearRequired');
          else if (fe.path.startsWith('body.label')) next.label = t('relationships.dates.err.label');
        }
        setErrors(next);
      },
    });
  };

  return (
    <form onSubmit={(ev) => { ev.preventDefault(); submit(); }} noValidate>
      <Stack gap="sm">
        <Select label={t('relationships.dates.kind')} data={KINDS.map((k) => ({ value: k, label: t(`relationships.kind.${k}`) }))} value={kind} onChange={(v) => v && setKind(v as Kind)} allowDeselect={false} data-testid="kd-kind" />
        <TextInput label={t('relationships.dates.label')} placeholder={t('relationships.dates.labelPlaceholder')} value={label} onChange={(ev) => setLabel(ev.currentTarget.value)} maxLength={120} error={errors.label} required data-testid="kd-label" />
        <Select label={t('relationships.dates.person')} placeholder={t('relationships.dates.personNone')} data={people.map((p) => ({ value: p.contactId, label: p.name }))} value={contactId} onChange={setContactId} clearable searchable error={errors.contactId} required={kind === 'birthday'} nothingFoundMessage={t('common.noMatches')} />
        <SegmentedControl fullWidth value={calendar} onChange={(v) => setCalendar(v as 'gregorian' | 'lunar')} data={[{ value: 'gregorian', label: t('relationships.dates.gregorian') }, { value: 'lunar', label: t('relationships.dates.lunarCalendar') }]} />
        <Group grow align="flex-start">
          <NumberInput label={t('relationships.dates.month')} min={1} max={12} value={month} onChange={setMonth} allowDecimal={false} error={errors.month} required data-testid="kd-month" />
          <NumberInput label={t('relationships.dates.day')} min={1} max={calendar === 'lunar' ? 30 : 31} value={day} onChange={setDay} allowDecimal={false} error={errors.day} required data-testid="kd-day" />
        </Group>
        {calendar === 'lunar' && <Checkbox label={t('relationships.dates.leap')} checked={leap} onChange={(ev) => setLeap(ev.currentTarget.checked)} />}
        <NumberInput label={t('relationships.dates.firstYear')} description={t(calendar === 'lunar' ? 'relationships.dates.firstYearLunarHint' : 'relationships.dates.firstYearHint')} min={1900} max={2100} value={firstYear} onChange={setFirstYear} allowDecimal={false} error={errors.firstYear} required={anniversary} data-testid="kd-year" />
        <FormProblem problem={problem} />
        <FormActions onCancel={onClose} loading={add.isPending} />
      </Stack>
    </form>
  );
}
