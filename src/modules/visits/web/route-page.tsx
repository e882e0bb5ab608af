import { Alert, Button, Card, Checkbox, Grid, Group, Select, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { IconAlertTriangle, IconListDetails, IconPlus, IconRoute, IconSend } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../../web/api/client.js';
import { useConfig } from '../../../web/api/queries.js';
import { ScrollX, ToneBadge, useNotify } from './notify.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { ManagerPicker, useSelectedManager } from './manager-picker.js';
import type { MapStop } from './route-map.js';
import { IssueText } from './issue-text.js';
import { RouteDialog } from './route-dialog.js';
import { type DayProposal, useRoutes, useSubmitBatch, type VisitRoute } from './use-visits.js';
import { useVisitFormat } from './visits-format.js';
import { useNames } from '../../../web/names.js';
import { AccountName } from '../../../web/ui/account-name.js';

const RouteMap = lazy(() => import('./route-map.js'));

/** What the proposal saves: today's drive through the same stops, the proposed one, and the difference. */
function Saving({ proposal }: { proposal: DayProposal }) {
  const { t } = useTranslation();
  const f = useVisitFormat();
  const { current, saving } = proposal;
  const time = (minutes: number) => (minutes < 60 ? t('visits.minutes', { count: minutes })
    : t('visits.route.hoursMinutes', { hours: f.number(Math.floor(minutes / 60)), minutes: minutes % 60 }));
  const drive = (minutes: number, metres: number) => t('visits.route.driveValue', { time: time(minutes), distance: f.distance(metres) });
  const pct = (p: number) => f.percent(p / 100);
  const saves = saving.minutes > 0 || saving.metres > 0;
  const longer = saving.minutes < 0 && saving.metres <= 0;
  return (
    <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="xs" mb="sm" data-testid="route-saving">
      <div>
        <Text size="xs" c="dimmed">{t('visits.route.driveNow')}</Text>
        <Text size="sm" fw={600}>{drive(current.travelMinutes, current.travelMetres)}</Text>
      </div>
      <div>
        <Text size="xs" c="dimmed">{t('visits.route.driveProposed')}</Text>
        <Text size="sm" fw={600}>{drive(proposal.travelMinutes, proposal.travelMetres)}</Text>
      </div>
      <div>
        <Text size="xs" c="dimmed">{t('visits.route.saving')}</Text>
        <Text size="sm" fw={700} c={saves ? 'teal.9' : longer ? 'orange.9' : undefined}>
          {saves ? t('visits.route.saves', { time: time(Math.max(0, saving.minutes)), minutesPercent: pct(Math.max(0, saving.minutesPercent)), distance: f.distance(Math.max(0, saving.metres)), metresPercent: pct(Math.max(0, saving.metresPercent)) })
            : longer ? t('visits.route.longer', { time: time(-saving.minutes) }) : t('visits.route.noSaving')}
        </Text>
      </div>
    </SimpleGrid>
  );
}

function RouteView({ route }: { route: VisitRoute }) {
  const { t } = useTranslation();
  const n = useNames();
  const f = useVisitFormat();
  const notify = useNotify();
  const config = useConfig();
  const [keepTimes, setKeepTimes] = useState(false);
  const [note, setNote] = useState('');
  const optimise = useMutation({
    mutationFn: () => api<DayProposal>(`/visit-routes/${route.id}/optimise-day`, { method: 'POST', body: { keepTimes } }),
    onError: (err) => notify.fail(err),
  });
  const submit = useSubmitBatch();
  const proposal = optimise.data;
  const stopOf = (planId: string) => route.stops.find((s) => s.planId === planId);
  const nameOf = (planId: string) => { const s = stopOf(planId); return s ? n.primary(s) : '—'; };

  const ordered = useMemo(() => [...route.stops].sort((a, b) => (a.position ?? 1e6) - (b.position ?? 1e6) || a.startTime.localeCompare(b.startTime)), [route.stops]);
  const toMapStop = (planId: string, position: number): MapStop | null => {
    const site = stopOf(planId)?.site;
    return site ? { key: planId, position, lat: site.lat, lng: site.lng, label: nameOf(planId) } : null;
  };
  const current = ordered.map((s, i) => toMapStop(s.planId, i + 1)).filter((s): s is MapStop => !!s);
  const proposed = proposal ? proposal.stops.map((s) => toMapStop(s.planId, s.position)).filter((s): s is MapStop => !!s) : null;
  // Stable references keep Leaflet from redrawing on every render.
  const currentKey = current.map((s) => `${s.key}@${s.lat},${s.lng}`).join('|');
  const proposedKey = proposed?.map((s) => `${s.key}@${s.position}`).join('|') ?? '';
  const currentStops = useMemo(() => current, [currentKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const proposedStops = useMemo(() => proposed, [proposedKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const base = useMemo(() => ({ lat: route.base.lat, lng: route.base.lng, label: route.base.label ?? t('visits.route.baseDefault') }), [route.base, t]);
  const unlocated = ordered.length - current.length;

  const apply = () => {
    if (!proposal) return;
    submit.mutate({ reason: 'route_optimisation', note: note.trim() || undefined, changes: proposal.changes }, {
      onSuccess: (r) => { notify.ok(t('visits.route.submitted', { count: r.items.length })); optimise.reset(); setNote(''); },
      onError: (err) => notify.fail(err),
    });
  };

  if (config.isPending) return <Loading />;
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Suspense fallback={<Loading />}>
          <RouteMap base={base} stops={currentStops} proposed={proposedStops} tileUrl={config.data?.tileUrl ?? null} />
        </Suspense>
        <Group gap="md" mt="xs">
          <Group gap={6}><span style={{ borderTop: '4px solid #1457aa', width: 24, display: 'inline-block' }} /><Text size="xs">{t('visits.route.currentPath')}</Text></Group>
          {proposal && <Group gap={6}><span style={{ borderTop: '4px dashed #d9480f', width: 24, display: 'inline-block' }} /><Text size="xs">{t('visits.route.proposedPath')}</Text></Group>}
        </Group>
        {unlocated > 0 && <Text size="sm" c="dimmed" mt="xs">{t('visits.route.unlocated', { count: unlocated })}</Text>}
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack>
          <Card padding="md">
            <Title order={2} size="h4">{route.name}</Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t(`visits.weekdays.${route.weekday}`)} · {route.dayStart}–{route.dayEnd} · {t('visits.route.base', { label: base.label })}
            </Text>
            {ordered.length === 0 ? (
              <Stack align="center" gap="xs" pb="md">
                <Empty title={t('visits.route.noStops')}>{t('visits.route.noStopsHint')}</Empty>
                <Button component={Link} to="/visits/plans" variant="light" leftSection={<IconListDetails size={16} />}>{t('visits.route.planVisits')}</Button>
              </Stack>
            ) : (
              <Table verticalSpacing={6} data-testid="route-stops">
                <Table.Thead><Table.Tr><Table.Th>#</Table.Th><Table.Th>{t('visits.route.time')}</Table.Th><Table.Th>{t('visits.route.account')}</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {ordered.map((s, i) => (
                    <Table.Tr key={s.planId}>
                      <Table.Td><ToneBadge circle size="md">{i + 1}</ToneBadge></Table.Td>
                      <Table.Td className="ok-timeline-time">{s.startTime}</Table.Td>
                      <Table.Td><Text size="sm" fw={600}><AccountName account={s} secondary block /></Text>{s.siteName && <Text size="xs" c="dimmed">{s.siteName}</Text>}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
          {ordered.length > 0 && (
            <Card padding="md">
              <Title order={2} size="h4" mb="xs">{t('visits.route.optimiseTitle')}</Title>
              <Text size="sm" c="dimmed" mb="sm">{t('visits.route.optimiseIntro')}</Text>
              <Group gap="sm">
                <Button leftSection={<IconRoute size={16} />} loading={optimise.isPending} onClick={() => optimise.mutate()}>{t('visits.route.propose')}</Button>
                <Checkbox label={t('visits.route.keepTimes')} checked={keepTimes} onChange={(e) => setKeepTimes(e.currentTarget.checked)} />
              </Group>
            </Card>
          )}
          {proposal && (
            <Card padding="md" data-testid="route-proposal">
              <Title order={3} size="h5" mb={4}>{t('visits.route.proposal')}</Title>
              <Text size="sm" c="dimmed" mb="sm">
                {t('visits.route.proposalSummary', { departure: proposal.departure, back: proposal.returnTime, minutes: proposal.travelMinutes, distance: f.distance(proposal.travelMetres) })}
              </Text>
              <Saving proposal={proposal} />
              <ScrollX label={t('visits.route.proposal')} minWidth={360}>
                <Table verticalSpacing={6}>
                  <Table.Thead><Table.Tr><Table.Th>#</Table.Th><Table.Th>{t('visits.route.account')}</Table.Th><Table.Th>{t('visits.route.now')}</Table.Th><Table.Th>{t('visits.route.proposed')}</Table.Th><Table.Th>{t('visits.route.drive')}</Table.Th></Table.Tr></Table.Thead>
                  <Table.Tbody>
                    {proposal.stops.map((s) => (
                      <Table.Tr key={s.planId}>
                        <Table.Td><ToneBadge circle size="md" color="orange">{s.position}</ToneBadge></Table.Td>
                        <Table.Td><Text size="sm">{n.primary(s)}</Text>{s.fixed && <ToneBadge size="xs" variant="light" color="gray">{t('visits.route.fixed')}</ToneBadge>}</Table.Td>
                        <Table.Td className="ok-timeline-time">{s.currentStart}</Table.Td>
                        <Table.Td className="ok-timeline-time"><Text size="sm" fw={s.proposedStart !== s.currentStart ? 700 : 400} style={{ whiteSpace: 'nowrap' }}>{s.proposedStart}–{s.proposedEnd}</Text></Table.Td>
                        <Table.Td><Text size="sm" style={{ whiteSpace: 'nowrap' }}>{t('visits.minutes', { count: s.travelMinutesFromPrevious })}</Text></Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollX>
              {proposal.unassigned.length > 0 && (
                <Alert color="red" variant="light" mt="sm" icon={<IconAlertTriangle size={18} />} title={t('visits.route.unassignedTitle', { count: proposal.unassigned.length })}>
                  <Stack gap={4}>
                    {proposal.unassigned.map((u) => (
                      <Text key={u.planId} size="sm">
                        <b>{n.primary(u)}</b>: <IssueText issue={u} />
                      </Text>
                    ))}
                  </Stack>
                </Alert>
              )}
              {proposal.changes.length === 0 ? <Text size="sm" mt="sm">{t('visits.route.nothingToChange')}</Text> : (
                <Stack mt="sm" gap="xs">
                  <Textarea label={t('visits.route.note')} autosize minRows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
                  <Text size="xs" c="dimmed">{t('visits.route.applyHint', { count: proposal.changes.length })}</Text>
                  <Group justify="flex-end"><Button leftSection={<IconSend size={16} />} loading={submit.isPending} onClick={apply}>{t('visits.route.apply')}</Button></Group>
                </Stack>
              )}
            </Card>
          )}
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

export function RoutePage() {
  const { t } = useTranslation();
  const selection = useSelectedManager();
  const routes = useRoutes(selection.managerId);
  const [params, setParams] = useSearchParams();
  const list = routes.data?.items ?? [];
  const order = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const sorted = [...list].sort((a, b) => order.indexOf(a.weekday) - order.indexOf(b.weekday) || a.name.localeCompare(b.name));
  const route = sorted.find((r) => r.id === params.get('route')) ?? sorted[0];
  const pick = (id: string) => { const p = new URLSearchParams(params); p.set('route', id); setParams(p, { replace: true }); };
  const canPlan = selection.manager?.canPlan ?? false;
  const [creating, setCreating] = useState(false);
  const newRoute = canPlan && (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>{t('visits.routes.new')}</Button>
  );

  let body;
  if (selection.loading || (routes.isPending && !!selection.managerId)) body = <Loading />;
  else if (!selection.managerId) body = <Empty title={t('visits.noManagers')} />;
  else if (routes.isError) body = <ErrorState error={routes.error} onRetry={() => void routes.refetch()} />;
  else if (!route) {
    body = (
      <Card>
        <Stack align="center" gap="xs" pb="md">
          <Empty title={t('visits.route.empty')}>{t('visits.route.emptyHint')} {canPlan ? t('visits.route.emptyCreate') : t('visits.route.emptyReadOnly')}</Empty>
          {newRoute}
        </Stack>
      </Card>
    );
  } else body = <RouteView key={route.id} route={route} />;
  return (
    <>
      <PageHeader
        title={t('visits.route.title')}
        subtitle={t('visits.route.subtitle')}
        actions={
          <Group align="flex-end" gap="sm">
            <ManagerPicker state={selection} />
            {sorted.length > 0 && (
              <Select label={t('visits.route.route')} w={240} value={route?.id ?? null} allowDeselect={false} onChange={(v) => v && pick(v)}
                data={sorted.map((r) => ({ value: r.id, label: `${t(`visits.weekdays.${r.weekday}`)} · ${r.name}` }))} />
            )}
            {sorted.length > 0 && newRoute}
          </Group>
        }
      />
      {body}
      {creating && (
        <RouteDialog route={null} managerId={selection.managerId} onClose={() => setCreating(false)} />
      )}
    </>
  );
}
