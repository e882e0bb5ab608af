import { Button, Card, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { IconHistory, IconPencil, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { ManagerPicker, useSelectedManager } from './manager-picker.js';
import { ScrollX, ShowMore, ToneBadge } from './notify.js';
import { PlanDialog } from './plan-dialog.js';
import { RouteDialog } from './route-dialog.js';
import { SlotHistoryDrawer } from './slot-history-drawer.js';
import { type CallPlan, usePlansPaged, useRoutes, type VisitRoute, WEEKDAYS } from './use-visits.js';
import { useNames } from '../../../web/names.js';
import { AccountName } from '../../../web/ui/account-name.js';

/** Routes and call plans of a manager: created and edited here (slot changes with a reason). */
export function PlansPage() {
  const { t } = useTranslation();
  const n = useNames();
  const selection = useSelectedManager();
  const managerId = selection.managerId;
  const canPlan = selection.managers.find((m) => m.id === managerId)?.canPlan ?? false;
  const routes = useRoutes(managerId);
  const [status, setStatus] = useState<'active' | 'ended'>('active');
  const plans = usePlansPaged({ managerId, status, limit: 25 }, !!managerId);
  const [editingRoute, setEditingRoute] = useState<VisitRoute | 'new' | null>(null);
  const [editingPlan, setEditingPlan] = useState<CallPlan | 'new' | null>(null);
  const [historyOf, setHistoryOf] = useState<CallPlan | null>(null);
  const sortedRoutes = [...(routes.data?.items ?? [])].sort((a, b) => WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday) || a.name.localeCompare(b.name));

  let routesBody;
  if (selection.loading || (routes.isPending && !!managerId)) routesBody = <Loading />;
  else if (!managerId) routesBody = <Empty title={t('visits.noManagers')} />;
  else if (routes.isError) routesBody = <ErrorState error={routes.error} onRetry={() => void routes.refetch()} />;
  else if (sortedRoutes.length === 0) routesBody = <Empty title={t('visits.route.empty')}>{t('visits.routes.emptyHint')}</Empty>;
  else {
    routesBody = (
      <ScrollX label={t('visits.routes.title')} minWidth={520}>
        <Table verticalSpacing="xs" data-testid="routes-table">
          <Table.Thead><Table.Tr><Table.Th>{t('visits.plans.weekday')}</Table.Th><Table.Th>{t('visits.routes.name')}</Table.Th><Table.Th>{t('visits.routes.base')}</Table.Th><Table.Th>{t('visits.routes.day')}</Table.Th><Table.Th><span className="visually-hidden">{t('common.actions')}</span></Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {sortedRoutes.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{t(`visits.weekdays.${r.weekday}`)}</Table.Td>
                <Table.Td><Text size="sm" fw={600}>{r.name}</Text><Text size="xs" c="dimmed">{t('visits.week.stops', { count: r.stops.length })}</Text></Table.Td>
                <Table.Td><Text size="sm">{r.base.label ?? t('visits.route.baseDefault')}</Text></Table.Td>
                <Table.Td className="ok-timeline-time">{r.dayStart}–{r.dayEnd}</Table.Td>
                <Table.Td>{canPlan && <Button size="compact-sm" variant="subtle" leftSection={<IconPencil size={14} />} aria-label={t('visits.routes.editNamed', { name: r.name })} onClick={() => setEditingRoute(r)}>{t('visits.plans.edit')}</Button>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollX>
    );
  }

  let plansBody;
  if (selection.loading || (plans.isPending && !!managerId)) plansBody = <Loading />;
  else if (!managerId) plansBody = null;
  else if (plans.isError) plansBody = <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />;
  else if (plans.items.length === 0) plansBody = <Empty title={t('visits.week.empty')}>{canPlan ? t('visits.plans.emptyHint') : undefined}</Empty>;
  else {
    plansBody = (
      <Stack gap="xs" data-testid="plans-list">
        {plans.items.map((p) => (
          <Card key={p.id} padding="sm" withBorder data-testid="plan-row">
            <Group justify="space-between" wrap="wrap" align="flex-start" gap="xs">
              <div style={{ minWidth: 0, flex: '1 1 240px' }}>
                <Text fw={700}><AccountName account={p} secondary /></Text>
                <Text size="sm" className="ok-timeline-time">
                  {t(`visits.weekdays.${p.weekday}`)} {p.startTime} · {t('visits.minutes', { count: p.durationMinutes })} · {p.intervalWeeks > 1 ? t('visits.everyWeeks', { count: p.intervalWeeks }) : t('visits.weekly')}
                </Text>
                {p.siteName && <Text size="xs" c="dimmed">{p.siteName}{p.siteAddress ? ` · ${p.siteAddress}` : ''}</Text>}
                <Group gap={4} mt={4}>
                  {p.routeId && <ToneBadge size="xs" variant="light" color="blue">{sortedRoutes.find((r) => r.id === p.routeId)?.name ?? t('visits.plans.route')}</ToneBadge>}
                  {p.pendingChanges > 0 && <ToneBadge size="xs" variant="light" color="orange">{t('visits.week.pending', { count: p.pendingChanges })}</ToneBadge>}
                  {p.timeZone !== 'Asia/Shanghai' && <ToneBadge size="xs" variant="light" color="gray">{p.timeZone}</ToneBadge>}
                </Group>
              </div>
              <Group gap={4} wrap="nowrap">
                {canPlan && p.status === 'active' && <Button size="compact-sm" variant="subtle" leftSection={<IconPencil size={14} />} aria-label={t('visits.plans.editOf', { account: n.primary(p) })} onClick={() => setEditingPlan(p)}>{t('visits.plans.edit')}</Button>}
                <Button size="compact-sm" variant="subtle" leftSection={<IconHistory size={14} />} aria-label={t('visits.week.historyOf', { account: n.primary(p) })} onClick={() => setHistoryOf(p)}>{t('visits.week.history')}</Button>
              </Group>
            </Group>
          </Card>
        ))}
        <ShowMore query={plans} />
      </Stack>
    );
  }

  return (
    <>
      <PageHeader title={t('visits.plans.title')} subtitle={t('visits.plans.subtitle')} actions={<ManagerPicker state={selection} />} />
      <Stack gap="lg">
        <Card>
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">{t('visits.routes.title')}</Title>
            {canPlan && <Button size="sm" leftSection={<IconPlus size={16} />} onClick={() => setEditingRoute('new')}>{t('visits.routes.new')}</Button>}
          </Group>
          {routesBody}
        </Card>
        <Card>
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">{t('visits.plans.listTitle')}</Title>
            <Group gap="sm">
              <SegmentedControl size="xs" value={status} onChange={(v) => setStatus(v as 'active' | 'ended')} aria-label={t('visits.plans.status')}
                data={[{ value: 'active', label: t('visits.planStatus.active') }, { value: 'ended', label: t('visits.planStatus.ended') }]} />
              {canPlan && <Button size="sm" leftSection={<IconPlus size={16} />} onClick={() => setEditingPlan('new')}>{t('visits.plans.new')}</Button>}
            </Group>
          </Group>
          {plansBody}
        </Card>
      </Stack>
      {editingRoute && <RouteDialog route={editingRoute === 'new' ? null : editingRoute} managerId={managerId} onClose={() => setEditingRoute(null)} />}
      {editingPlan && <PlanDialog plan={editingPlan === 'new' ? null : editingPlan} managerId={managerId} onClose={() => setEditingPlan(null)} />}
      <SlotHistoryDrawer plan={historyOf} onClose={() => setHistoryOf(null)} />
    </>
  );
}
