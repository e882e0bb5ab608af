import { Card, Grid, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScrollX, ToneBadge } from './notify.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { SlotHistoryDrawer } from './slot-history-drawer.js';
import { type CallPlan, usePlans, useSitesById, useVisits, type Visit } from './use-visits.js';
import { useVisitFormat } from './visits-format.js';

const outcomeColor: Record<Visit['outcome'], string> = { on_time: 'teal', early: 'blue', late: 'orange', missed: 'red', moved: 'grape', upcoming: 'gray', cancelled: 'gray' };

/** The account page's "Visit plan" tab: the account's recurring slots and its recent and coming visits. */
export function AccountVisitPlanTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const f = useVisitFormat();
  const plans = usePlans({ accountId });
  // Ninety days back and four weeks ahead, fixed when the tab opens.
  const range = useMemo(() => ({ from: new Date(Date.now() - 90 * 86_400_000).toISOString(), to: new Date(Date.now() + 28 * 86_400_000).toISOString() }), []);
  const visits = useVisits({ accountId, ...range, limit: 100 });
  const items = plans.data?.items ?? [];
  const sites = useSitesById(items.map((p) => p.siteId));
  const [historyOf, setHistoryOf] = useState<CallPlan | null>(null);
  const recent = [...(visits.data?.items ?? [])].sort((a, b) => b.scheduledStart.localeCompare(a.scheduledStart));

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Card>
          <Title order={2} size="h4" mb="sm">{t('visits.account.plans')}</Title>
          {plans.isPending ? <Loading /> : plans.isError ? <ErrorState error={plans.error} onRetry={() => void plans.refetch()} /> : items.length === 0 ? <Empty title={t('visits.account.noPlans')} /> : (
            <Stack gap="xs" data-testid="account-plans">
              {items.map((p) => (
                <Card key={p.id} padding="sm" withBorder>
                  <Group justify="space-between" wrap="nowrap" align="flex-start">
                    <div style={{ minWidth: 0 }}>
                      <Text fw={700}>{t(`visits.weekdays.${p.weekday}`)} {p.startTime} · {t('visits.minutes', { count: p.durationMinutes })}</Text>
                      <Text size="sm" c="dimmed">
                        {p.intervalWeeks > 1 ? t('visits.everyWeeks', { count: p.intervalWeeks }) : t('visits.weekly')}
                        {p.siteId && sites.get(p.siteId) ? ` · ${sites.get(p.siteId)!.name}` : ''} · {p.managerName}
                      </Text>
                      <Group gap={4} mt={4}>
                        <ToneBadge size="xs" variant="light" color={p.status === 'active' ? 'teal' : 'gray'}>{t(`visits.planStatus.${p.status}`)}</ToneBadge>
                        {p.pendingChanges > 0 && <ToneBadge size="xs" variant="light" color="orange">{t('visits.week.pending', { count: p.pendingChanges })}</ToneBadge>}
                      </Group>
                    </div>
                    <Text component="button" type="button" size="sm" c="brand.8" style={{ background: 'none', border: 0, cursor: 'pointer', whiteSpace: 'nowrap' }} onClick={() => setHistoryOf(p)}>
                      {t('visits.week.history')}
                    </Text>
                  </Group>
                </Card>
              ))}
            </Stack>
          )}
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Card padding="sm">
          <Title order={2} size="h4" m="xs">{t('visits.account.visits')}</Title>
          {visits.isPending ? <Loading /> : visits.isError ? <ErrorState error={visits.error} onRetry={() => void visits.refetch()} /> : recent.length === 0 ? <Empty title={t('visits.account.noVisits')} /> : (
            <ScrollX label={t('visits.account.visits')} minWidth={480}>
              <Table verticalSpacing="xs" data-testid="account-visits">
                <Table.Thead><Table.Tr><Table.Th>{t('visits.account.when')}</Table.Th><Table.Th>{t('visits.account.site')}</Table.Th><Table.Th>{t('visits.account.outcome')}</Table.Th><Table.Th>{t('visits.account.notes')}</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {recent.map((v) => (
                    <Table.Tr key={v.id}>
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
        </Card>
      </Grid.Col>
      <SlotHistoryDrawer plan={historyOf} onClose={() => setHistoryOf(null)} />
    </Grid>
  );
}
