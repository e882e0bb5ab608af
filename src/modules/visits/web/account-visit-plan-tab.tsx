import { Button, Card, Grid, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScrollX, ShowMore, ToneBadge } from './notify.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { SlotHistoryDrawer } from './slot-history-drawer.js';
import { PlanDialog } from './plan-dialog.js';
import { type CallPlan, usePlansPaged, useVisits, type Visit } from './use-visits.js';
import { useVisitFormat } from './visits-format.js';
import { useNames } from '../../../web/names.js';

const outcomeColor: Record<Visit['outcome'], string> = { on_time: 'teal', early: 'blue', late: 'orange', missed: 'red', moved: 'grape', upcoming: 'gray', cancelled: 'gray' };

type VisitsQuery = ReturnType<typeof useVisits>;

/** One list of the account's visits: coming ones soonest first, past ones newest first (the server orders them). */
function VisitList({ title, empty, query, testId }: { title: string; empty: string; query: VisitsQuery; testId: string }) {
  const { t } = useTranslation();
  const n = useNames();
  const f = useVisitFormat();
  const items = query.items;
  return (
    <Card padding="sm">
      <Title order={2} size="h4" m="xs">{title}</Title>
      {query.isPending ? <Loading /> : query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : items.length === 0 ? <Empty title={empty} /> : (
        <ScrollX label={title} minWidth={480}>
          <Table verticalSpacing="xs" data-testid={testId}>
            <Table.Thead><Table.Tr><Table.Th>{t('visits.account.when')}</Table.Th><Table.Th>{t('visits.account.site')}</Table.Th><Table.Th>{t('visits.account.outcome')}</Table.Th><Table.Th>{t('visits.account.notes')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {items.map((v) => (
                <Table.Tr key={v.id} data-testid="account-visit">
                  <Table.Td><Text size="sm" style={{ whiteSpace: 'nowrap' }}>{f.dateTime(v.scheduledStart)}</Text></Table.Td>
                  <Table.Td><Text size="sm">{v.siteName ?? '—'}</Text></Table.Td>
                  <Table.Td><ToneBadge size="sm" variant="light" color={outcomeColor[v.outcome]}>{t(`visits.outcomes.${v.outcome}`)}</ToneBadge></Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>{v.outcomeNotes ?? v.missedReason ?? ''}</Text>
                    {v.order && <Text size="xs" c="dimmed">{t('visits.account.orderTaken', { amount: f.money(v.order.amountMinor, v.order.currency) })}</Text>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollX>
      )}
      <ShowMore query={query} />
    </Card>
  );
}

/** The account page's "Visit plan" tab: the account's recurring slots, its coming visits and its past ones. */
export function AccountVisitPlanTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const n = useNames();
  const plans = usePlansPaged({ accountId, limit: 20 });
  // The next four weeks and the last ninety days, fixed when the tab opens.
  const range = useMemo(() => ({ past: new Date(Date.now() - 90 * 86_400_000).toISOString(), ahead: new Date(Date.now() + 28 * 86_400_000).toISOString() }), []);
  const coming = useVisits({ accountId, when: 'upcoming', to: range.ahead, limit: 10 });
  const past = useVisits({ accountId, when: 'past', from: range.past, limit: 20 });
  const items = plans.items;
  const [historyOf, setHistoryOf] = useState<CallPlan | null>(null);
  const [editing, setEditing] = useState<CallPlan | 'new' | null>(null);

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Card>
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">{t('visits.account.plans')}</Title>
            <Button size="xs" variant="light" onClick={() => setEditing('new')}>{t('visits.plans.new')}</Button>
          </Group>
          {plans.isPending ? <Loading /> : plans.isError ? <ErrorState error={plans.error} onRetry={() => void plans.refetch()} /> : items.length === 0 ? <Empty title={t('visits.account.noPlans')} /> : (
            <Stack gap="xs" data-testid="account-plans">
              {items.map((p) => (
                <Card key={p.id} padding="sm" withBorder>
                  <Group justify="space-between" wrap="nowrap" align="flex-start">
                    <div style={{ minWidth: 0 }}>
                      <Text fw={700}>{t(`visits.weekdays.${p.weekday}`)} {p.startTime} · {t('visits.minutes', { count: p.durationMinutes })}</Text>
                      <Text size="sm" c="dimmed">
                        {p.intervalWeeks > 1 ? t('visits.everyWeeks', { count: p.intervalWeeks }) : t('visits.weekly')}
                        {p.siteName ? ` · ${p.siteName}` : ''} · {p.managerName}
                      </Text>
                      <Group gap={4} mt={4}>
                        <ToneBadge size="xs" variant="light" color={p.status === 'active' ? 'teal' : 'gray'}>{t(`visits.planStatus.${p.status}`)}</ToneBadge>
                        {p.pendingChanges > 0 && <ToneBadge size="xs" variant="light" color="orange">{t('visits.week.pending', { count: p.pendingChanges })}</ToneBadge>}
                      </Group>
                    </div>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-sm" variant="subtle" onClick={() => setEditing(p)} aria-label={t('visits.plans.editOf', { account: n.primary(p) })}>{t('visits.plans.edit')}</Button>
                      <Button size="compact-sm" variant="subtle" onClick={() => setHistoryOf(p)}>{t('visits.week.history')}</Button>
                    </Group>
                  </Group>
                </Card>
              ))}
              <ShowMore query={plans} />
            </Stack>
          )}
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Stack gap="lg">
          <VisitList title={t('visits.account.coming')} empty={t('visits.account.noComing')} query={coming} testId="account-visits-coming" />
          <VisitList title={t('visits.account.past')} empty={t('visits.account.noPast')} query={past} testId="account-visits-past" />
        </Stack>
      </Grid.Col>
      <SlotHistoryDrawer plan={historyOf} onClose={() => setHistoryOf(null)} />
      {editing && <PlanDialog plan={editing === 'new' ? null : editing} accountId={accountId} onClose={() => setEditing(null)} />}
    </Grid>
  );
}
