import { Alert, Button, Card, Checkbox, Chip, Group, MultiSelect, NumberInput, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { IconAlertTriangle, IconCalendarPlus, IconSend, IconWand } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, Loading } from '../../../web/ui/states.js';
import { useVisitFieldErrors } from './field-errors.js';
import { IssueText } from './issue-text.js';
import { ManagerPicker, useSelectedManager } from './manager-picker.js';
import { ScrollX, ToneBadge, useNotify } from './notify.js';
import { PlanDialog, type PlanPreset } from './plan-dialog.js';
import { useAccountSearch, useOptimiseWeek, usePlans, useSubmitBatch, WEEKDAYS, type Weekday, type WeekProposal } from './use-visits.js';
import { useNames } from '../../../web/names.js';

const statusColor = { kept: 'gray', placed: 'teal', moved: 'orange' } as const;

/**
 * The week optimisation: weekdays proposed for new key accounts and for plans whose account changed,
 * keeping the other slots (or moving them when allowed). Moves of existing slots are sent as change
 * requests for the director's approval; a new account's proposed slot becomes a plan when created.
 */
export function OptimiseWeekPage() {
  const { t } = useTranslation();
  const n = useNames();
  const notify = useNotify();
  const fieldErrors = useVisitFieldErrors();
  const selection = useSelectedManager();
  const managerId = selection.managerId;
  const canPlan = selection.managers.find((m) => m.id === managerId)?.canPlan ?? false;
  const plans = usePlans({ managerId, status: 'active' }, !!managerId);
  const [search, setSearch] = useState('');
  const accounts = useAccountSearch(search);
  const [newAccounts, setNewAccounts] = useState<string[]>([]);
  const [names, setNames] = useState<Record<string, string>>({});
  const [changed, setChanged] = useState<string[]>([]);
  const [days, setDays] = useState<Weekday[]>(['mon', 'tue', 'wed', 'thu', 'fri']);
  const [allowMoving, setAllowMoving] = useState(false);
  const [duration, setDuration] = useState(60);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [creating, setCreating] = useState<PlanPreset | null>(null);
  const optimise = useOptimiseWeek();
  const submit = useSubmitBatch();
  const proposal: WeekProposal | undefined = optimise.data;

  const accountOptions = useMemo(() => {
    const opts = (accounts.data?.items ?? []).map((a) => ({ value: a.id, label: `${n.primary(a)} · ${a.code}` }));
    for (const id of newAccounts) if (!opts.some((o) => o.value === id)) opts.push({ value: id, label: names[id] ?? id });
    return opts;
  }, [accounts.data, newAccounts, names]);

  const propose = () => {
    const errs: Record<string, string> = {};
    if (days.length === 0) errs.days = t('visits.optimise.daysRequired');
    if (newAccounts.length === 0 && changed.length === 0) errs.newAccounts = t('visits.optimise.nothingToPlace');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    optimise.mutate({ managerId, newAccounts: newAccounts.map((accountId) => ({ accountId, durationMinutes: duration })), changedPlanIds: changed, allowMovingExisting: allowMoving, days }, {
      onError: (err) => { const fe = fieldErrors(err); if (Object.keys(fe).length) setErrors(fe); else notify.fail(err); },
    });
  };
  const apply = () => {
    if (!proposal) return;
    submit.mutate({ reason: 'route_optimisation', note: note.trim() || undefined, changes: proposal.changes }, {
      onSuccess: (r) => { notify.ok(t('visits.route.submitted', { count: r.items.length })); setNote(''); optimise.reset(); },
      onError: (err) => notify.fail(err),
    });
  };
  const order = (a: WeekProposal['assignments'][number]) => WEEKDAYS.indexOf(a.weekday) * 10_000 + Number(a.start.replace(':', ''));

  return (
    <>
      <PageHeader title={t('visits.optimise.title')} subtitle={t('visits.optimise.subtitle')} actions={<ManagerPicker state={selection} />} />
      {selection.loading ? <Loading /> : !managerId ? <Empty title={t('visits.noManagers')} /> : (
        <Stack gap="lg">
          <Card>
            <Stack>
              <MultiSelect label={t('visits.optimise.newAccounts')} description={t('visits.optimise.newAccountsHint')} searchable clearable data={accountOptions}
                value={newAccounts} searchValue={search} onSearchChange={setSearch} filter={({ options }) => options} error={errors.newAccounts || undefined}
                nothingFoundMessage={t('visits.plans.noAccounts')}
                onChange={(ids) => {
                  setNewAccounts(ids);
                  setNames((n) => ({ ...n, ...Object.fromEntries(accountOptions.filter((o) => ids.includes(o.value)).map((o) => [o.value, o.label])) }));
                  setErrors((e) => ({ ...e, newAccounts: '' }));
                }} />
              <MultiSelect label={t('visits.optimise.changed')} description={t('visits.optimise.changedHint')} searchable clearable value={changed} onChange={setChanged}
                error={errors.changedPlanIds || undefined}
                data={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: `${n.primary(p)} · ${t(`visits.weekdays.${p.weekday}`)} ${p.startTime}` }))} />
              <div>
                <Text size="sm" fw={500} mb={4} id="optimise-days">{t('visits.optimise.days')}</Text>
                <Chip.Group multiple value={days} onChange={(v) => { setDays(WEEKDAYS.filter((d) => v.includes(d))); setErrors((e) => ({ ...e, days: '' })); }}>
                  <Group gap={6} role="group" aria-labelledby="optimise-days">
                    {WEEKDAYS.map((d) => <Chip key={d} value={d} size="sm">{t(`visits.weekdaysShort.${d}`)}</Chip>)}
                  </Group>
                </Chip.Group>
                {errors.days && <Text size="xs" c="red.8" mt={4} role="alert">{errors.days}</Text>}
              </div>
              <Group align="flex-end" gap="lg">
                <NumberInput w={200} label={t('visits.optimise.duration')} min={5} max={600} step={15} value={duration} onChange={(v) => setDuration(Number(v) || 60)} suffix={` ${t('visits.plans.minutesSuffix')}`} />
                <Checkbox label={t('visits.optimise.allowMoving')} checked={allowMoving} onChange={(e) => setAllowMoving(e.currentTarget.checked)} mb={8} />
              </Group>
              <Group justify="flex-end">
                <Button leftSection={<IconWand size={16} />} loading={optimise.isPending} onClick={propose}>{t('visits.optimise.propose')}</Button>
              </Group>
            </Stack>
          </Card>
          {proposal && (
            <Card data-testid="week-proposal">
              <Title order={2} size="h4" mb={4}>{t('visits.optimise.proposal')}</Title>
              <Text size="sm" c="dimmed" mb="sm">{t('visits.optimise.summary', { minutes: proposal.travelMinutes, placed: proposal.assignments.filter((a) => a.status === 'placed').length, moved: proposal.assignments.filter((a) => a.status === 'moved').length })}</Text>
              <ScrollX label={t('visits.optimise.proposal')} minWidth={560}>
                <Table verticalSpacing={6}>
                  <Table.Thead><Table.Tr><Table.Th>{t('visits.route.account')}</Table.Th><Table.Th>{t('visits.optimise.status')}</Table.Th><Table.Th>{t('visits.optimise.slot')}</Table.Th><Table.Th>{t('visits.route.now')}</Table.Th><Table.Th><span className="visually-hidden">{t('common.actions')}</span></Table.Th></Table.Tr></Table.Thead>
                  <Table.Tbody>
                    {[...proposal.assignments].sort((a, b) => order(a) - order(b)).map((a) => (
                      <Table.Tr key={`${a.accountId}-${a.planId ?? 'new'}`} data-testid="week-assignment">
                        <Table.Td><Text size="sm" fw={600}>{n.primary(a)}</Text>{a.siteName && <Text size="xs" c="dimmed">{a.siteName}</Text>}</Table.Td>
                        <Table.Td><ToneBadge size="sm" variant="light" color={statusColor[a.status]}>{t(`visits.optimise.statuses.${a.status}`)}</ToneBadge></Table.Td>
                        <Table.Td className="ok-timeline-time"><Text size="sm" fw={a.status === 'kept' ? 400 : 700} style={{ whiteSpace: 'nowrap' }}>{t(`visits.weekdays.${a.weekday}`)} {a.start}</Text></Table.Td>
                        <Table.Td className="ok-timeline-time"><Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{a.previous ? `${t(`visits.weekdays.${a.previous.weekday}`)} ${a.previous.start}` : '—'}</Text></Table.Td>
                        <Table.Td>
                          {a.status === 'placed' && !a.planId && canPlan && (
                            <Button size="compact-sm" variant="light" leftSection={<IconCalendarPlus size={14} />} aria-label={t('visits.optimise.createPlanFor', { account: n.primary(a) })}
                              onClick={() => setCreating({ accountId: a.accountId, accountName: n.primary(a), siteId: a.siteId, weekday: a.weekday, startTime: a.start, durationMinutes: a.durationMinutes, routeId: a.routeId })}>
                              {t('visits.optimise.createPlan')}
                            </Button>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollX>
              {proposal.unassigned.length > 0 && (
                <Alert color="red" variant="light" mt="sm" icon={<IconAlertTriangle size={18} />} title={t('visits.optimise.unassignedTitle', { count: proposal.unassigned.length })} data-testid="week-unassigned">
                  <Stack gap={4}>
                    {proposal.unassigned.map((u) => <Text key={`${u.accountId}-${u.planId ?? 'new'}`} size="sm"><b>{n.primary(u)}</b>: <IssueText issue={u} /></Text>)}
                  </Stack>
                </Alert>
              )}
              {proposal.changes.length === 0 ? <Text size="sm" mt="sm">{t('visits.optimise.noMoves')}</Text> : (
                <Stack mt="sm" gap="xs">
                  <Textarea label={t('visits.route.note')} autosize minRows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
                  <Text size="xs" c="dimmed">{t('visits.route.applyHint', { count: proposal.changes.length })}</Text>
                  <Group justify="flex-end"><Button leftSection={<IconSend size={16} />} loading={submit.isPending} onClick={apply} disabled={!canPlan}>{t('visits.route.apply')}</Button></Group>
                </Stack>
              )}
            </Card>
          )}
        </Stack>
      )}
      {creating && <PlanDialog plan={null} managerId={managerId} preset={creating} onClose={() => setCreating(null)} />}
    </>
  );
}
