/**
 * Priority delivery: per plant or depot, the weeks ahead with the truckloads reserved for entitled
 * accounts, what is ordered and what is free; the warnings (a week over-subscribed, a reservation
 * going unused) above them. A week's orders beside the grid: place one, mark it delivered, cancel it.
 */
import { ActionIcon, Alert, Anchor, Button, Card, Grid, Group, Select, Stack, Table, Text, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconAlertTriangle, IconCheck, IconChevronLeft, IconChevronRight, IconPencil, IconPlus, IconTruckDelivery, IconX } from '@tabler/icons-react';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ConfirmDelete, FormModal } from '../../../web/forms/kit.js';
import { useNames } from '../../../web/names.js';
import { useSession } from '../../../web/session.js';
import { AccountName } from '../../../web/ui/account-name.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { addWeeks, isWeek, weekOf, weekRange } from '../capacity.domain.js';
import { type CapacityOrder, canOrder, canPlan, type Depot, type Reservation, useCapacityMutations, useDepots, useOrders, useReservations } from './capacity-api.js';
import { AddDepotForm, ChangeReservationForm, PlaceOrderForm, ReserveForm } from './capacity-forms.js';
import { companyToday, OrderBadge, ReservationBadge, UsageBar, useWeekLabel } from './capacity-ui.js';

const WEEKS = 12;
const STEP = 4;

type Dialog = { kind: 'order'; reservation: Reservation } | { kind: 'reserve'; week: string | null } | { kind: 'change'; reservation: Reservation } | { kind: 'depot' } | null;

export function CapacityPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const [params, setParams] = useSearchParams();
  const today = companyToday();
  const current = weekOf(today);
  const fromParam = params.get('from');
  const from = fromParam && isWeek(fromParam) ? fromParam : current;
  const to = addWeeks(from, WEEKS - 1);
  const depots = useDepots();
  const reservations = useReservations(from, to);
  const [dialog, setDialog] = useState<Dialog>(null);
  const planner = canPlan(me?.role);
  const depotName = useDepotName();

  const depotId = params.get('depot') ?? depots.data?.items[0]?.id ?? null;
  const depot = depots.data?.items.find((d) => d.id === depotId) ?? null;
  const weekParam = params.get('week');
  const selectedWeek = weekParam && isWeek(weekParam) ? weekParam : null;
  const set = (changes: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) if (v === null) p.delete(k); else p.set(k, v);
    setParams(p, { replace: true });
  };
  // A week asked for outside the range shown (a link from the day): the range moves to it.
  useEffect(() => {
    if (selectedWeek && (selectedWeek < from || selectedWeek > to)) set({ from: selectedWeek < current ? selectedWeek : addWeeks(selectedWeek, -STEP) });
  }, [selectedWeek]); // eslint-disable-line react-hooks/exhaustive-deps

  // On a phone the week's orders are below the grid: picking a week brings them into view.
  const ordersRef = useRef<HTMLDivElement>(null);
  const [picked, setPicked] = useState(0);
  useEffect(() => { if (picked && phone) ordersRef.current?.scrollIntoView({ block: 'start' }); }, [picked]); // eslint-disable-line react-hooks/exhaustive-deps
  const pick = (week: string) => { set({ week }); setPicked((n) => n + 1); };

  const weeks = useMemo(() => weekRange(from, to), [from, to]);
  const ofDepot = useMemo(() => new Map((reservations.data?.items ?? []).filter((r) => r.depotId === depotId).map((r) => [r.week, r])), [reservations.data, depotId]);
  const selected = selectedWeek ? ofDepot.get(selectedWeek) ?? null : null;

  const header = (
    <PageHeader title={t('capacity.title')} subtitle={t('capacity.subtitle')}
      actions={planner ? <Button variant="default" size="sm" leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'depot' })}>{t('capacity.depot.add')}</Button> : undefined} />
  );
  if (depots.isError) return <>{header}<ErrorState error={depots.error} onRetry={() => void depots.refetch()} /></>;
  if (depots.isPending) return <>{header}<Loading /></>;

  return (
    <>
      {header}
      {depots.data.items.length === 0 ? (
        <Card><Empty title={t('capacity.noDepots')} icon={<IconTruckDelivery size={22} />}>{t(planner ? 'capacity.noDepotsPlanner' : 'capacity.noDepotsHint')}</Empty></Card>
      ) : (
        <>
          <Warnings data={reservations.data} onOpen={(r) => { set({ depot: r.depotId, week: r.week }); setPicked((n) => n + 1); }} />
          <Group justify="space-between" align="flex-end" mb="sm" gap="sm">
            <Select label={t('capacity.depot.label')} w={phone ? '100%' : 280} allowDeselect={false} value={depotId} data-testid="depot-select"
              data={depots.data.items.map((d) => ({ value: d.id, label: `${depotName(d)} · ${t(`capacity.depot.kinds.${d.kind}`)}` }))} onChange={(v) => v && set({ depot: v })} />
            <Group gap="xs" wrap="nowrap">
              <Tooltip label={t('capacity.grid.earlier')}><ActionIcon variant="default" size="lg" aria-label={t('capacity.grid.earlier')} onClick={() => set({ from: addWeeks(from, -STEP) })}><IconChevronLeft size={18} /></ActionIcon></Tooltip>
              {from !== current && <Button variant="default" size="sm" onClick={() => set({ from: null })}>{t('capacity.grid.thisWeek')}</Button>}
              <Tooltip label={t('capacity.grid.later')}><ActionIcon variant="default" size="lg" aria-label={t('capacity.grid.later')} onClick={() => set({ from: addWeeks(from, STEP) })}><IconChevronRight size={18} /></ActionIcon></Tooltip>
              {planner && depot && <Button size="sm" leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'reserve', week: selectedWeek })}>{t('capacity.reserve.button')}</Button>}
            </Group>
          </Group>
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 7 }}>
              {reservations.isError ? <ErrorState error={reservations.error} onRetry={() => void reservations.refetch()} /> : reservations.isPending ? <Loading /> : (
                <WeekGrid weeks={weeks} byWeek={ofDepot} current={current} selected={selectedWeek} phone={phone} onSelect={pick} />
              )}
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }} ref={ordersRef} style={{ scrollMarginTop: 70 }}>
              {depot && selectedWeek ? (
                <WeekOrders depot={depot} week={selectedWeek} reservation={selected} today={today} planner={planner}
                  onPlace={(r) => setDialog({ kind: 'order', reservation: r })} onReserve={() => setDialog({ kind: 'reserve', week: selectedWeek })}
                  onChange={(r) => setDialog({ kind: 'change', reservation: r })} />
              ) : (
                <Card><Empty title={t('capacity.pickWeek')} icon={<IconTruckDelivery size={22} />}>{t('capacity.pickWeekHint')}</Empty></Card>
              )}
            </Grid.Col>
          </Grid>
        </>
      )}
      <Dialogs dialog={dialog} close={() => setDialog(null)} depot={depot} today={today} freeWeeks={weeks.filter((w) => !ofDepot.has(w) && w >= current)}
        onDepotAdded={(id) => id && set({ depot: id, week: null })} />
    </>
  );
}

function useDepotName() {
  const n = useNames();
  return (d: { depotName: string; depotNameEn: string } | Depot) => n.primary('depotName' in d ? { name: d.depotName, nameEn: d.depotNameEn } : { name: d.name, nameEn: d.nameEn });
}

function Warnings({ data, onOpen }: { data: { items: Reservation[]; warnings: { reservationId: string; kind: 'over' | 'unused' }[] } | undefined; onOpen: (r: Reservation) => void }) {
  const { t } = useTranslation();
  const label = useWeekLabel();
  const depotName = useDepotName();
  if (!data?.warnings.length) return null;
  const byId = new Map(data.items.map((r) => [r.id, r]));
  return (
    <Stack gap="xs" mb="md" data-testid="capacity-warnings">
      {data.warnings.map((w) => {
        const r = byId.get(w.reservationId);
        if (!r) return null;
        return (
          <Alert key={`${w.kind}:${w.reservationId}`} color={w.kind === 'over' ? 'red' : 'orange'} variant="light" icon={<IconAlertTriangle size={18} />} p="xs" data-testid="capacity-warning" data-kind={w.kind}
            // The light orange title does not stand out enough from its background: the title in the text colour.
            styles={w.kind === 'unused' ? { label: { color: 'var(--mantine-color-text)' } } : undefined}
            title={t(`capacity.warnings.${w.kind}Title`, { depot: depotName(r), week: label.short(r.week), range: label.range(r.week) })}>
            <Group justify="space-between" gap="xs" wrap="wrap">
              <Text size="sm">{w.kind === 'over'
                ? t('capacity.warnings.over', { ordered: r.ordered, reserved: r.truckloads, over: r.ordered - r.truckloads })
                : t('capacity.warnings.unused', { ordered: r.ordered, reserved: r.truckloads, free: r.free })}</Text>
              <Anchor component="button" type="button" size="sm" fw={600} onClick={() => onOpen(r)}>{t('capacity.warnings.open')}</Anchor>
            </Group>
          </Alert>
        );
      })}
    </Stack>
  );
}

function WeekGrid({ weeks, byWeek, current, selected, phone, onSelect }: {
  weeks: string[]; byWeek: Map<string, Reservation>; current: string; selected: string | null; phone: boolean; onSelect: (week: string) => void;
}) {
  const { t } = useTranslation();
  const label = useWeekLabel();
  const weekCell = (w: string) => (
    <>
      <Text size="sm" fw={700} display="block">{label.short(w)}</Text>
      <Text size="xs" c="dimmed" display="block" style={{ whiteSpace: 'nowrap' }}>
        {label.range(w)}{w === current && <Text span size="xs" c="brand.8" fw={600}> · {t('capacity.grid.now')}</Text>}
      </Text>
    </>
  );
  if (phone) {
    return (
      <Stack gap="xs" data-testid="week-grid">
        {weeks.map((w) => {
          const r = byWeek.get(w);
          return (
            <UnstyledButton key={w} onClick={() => onSelect(w)} aria-pressed={selected === w} data-testid="week-row" data-week={w} data-status={r?.status ?? 'none'}>
              <Card padding="sm" withBorder style={selected === w ? { borderColor: 'var(--mantine-color-brand-5)', background: 'var(--mantine-color-brand-light)' } : undefined}>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <div>{weekCell(w)}</div>
                  {r ? <ReservationBadge status={r.status} /> : <Text size="xs" c="dimmed">{t('capacity.grid.notReserved')}</Text>}
                </Group>
                {r && (
                  <>
                    <UsageBar r={r} w="100%" />
                    <Text size="xs" mt={4} className="ok-stat">{t('capacity.grid.summary', { ordered: r.ordered, reserved: r.truckloads, free: r.free })}</Text>
                  </>
                )}
              </Card>
            </UnstyledButton>
          );
        })}
      </Stack>
    );
  }
  return (
    <Card padding={0}>
      <Table verticalSpacing={6} horizontalSpacing="sm" highlightOnHover data-testid="week-grid">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('capacity.grid.week')}</Table.Th>
            <Table.Th ta="right">{t('capacity.grid.reserved')}</Table.Th>
            <Table.Th ta="right">{t('capacity.grid.ordered')}</Table.Th>
            <Table.Th ta="right">{t('capacity.grid.free')}</Table.Th>
            <Table.Th w="30%"><span className="visually-hidden">{t('capacity.grid.bar')}</span></Table.Th>
            <Table.Th>{t('capacity.grid.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {weeks.map((w) => {
            const r = byWeek.get(w);
            const on = selected === w;
            return (
              <Table.Tr key={w} onClick={() => onSelect(w)} style={{ cursor: 'pointer', ...(on ? { background: 'var(--mantine-color-brand-light)' } : {}) }}
                data-testid="week-row" data-week={w} data-status={r?.status ?? 'none'} aria-selected={on}>
                <Table.Td>
                  <UnstyledButton onClick={(e) => { e.stopPropagation(); onSelect(w); }} aria-pressed={on}>{weekCell(w)}</UnstyledButton>
                </Table.Td>
                {r ? (
                  <>
                    <Table.Td ta="right" className="ok-stat">{r.truckloads}</Table.Td>
                    <Table.Td ta="right" className="ok-stat" data-testid="ordered">{r.ordered}</Table.Td>
                    <Table.Td ta="right" className="ok-stat" fw={600} data-testid="free">{r.free}</Table.Td>
                    <Table.Td><UsageBar r={r} /></Table.Td>
                    <Table.Td><ReservationBadge status={r.status} /></Table.Td>
                  </>
                ) : (
                  <Table.Td colSpan={5}><Text size="xs" c="dimmed">{t('capacity.grid.notReserved')}</Text></Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function WeekOrders({ depot, week, reservation, today, planner, onPlace, onReserve, onChange }: {
  depot: Depot; week: string; reservation: Reservation | null; today: string; planner: boolean;
  onPlace: (r: Reservation) => void; onReserve: () => void; onChange: (r: Reservation) => void;
}) {
  const { t } = useTranslation();
  const { me } = useSession();
  const label = useWeekLabel();
  const depotName = useDepotName();
  const n = useNames();
  const orders = useOrders(reservation?.id ?? null);
  const { setStatus } = useCapacityMutations();
  const [cancelling, setCancelling] = useState<CapacityOrder | null>(null);
  const title = (
    <Group justify="space-between" align="flex-start" gap="xs" mb="sm">
      <div>
        <Title order={2} size="h4">{t('capacity.orders.title', { week: label.short(week), depot: depotName(depot) })}</Title>
        <Text size="sm" c="dimmed">{label.range(week)}</Text>
      </div>
      {reservation && <ReservationBadge status={reservation.status} />}
    </Group>
  );
  if (!reservation) {
    return (
      <Card data-testid="week-orders">
        {title}
        <Empty title={t('capacity.orders.notReserved')}>{planner && week >= weekOf(today) ? t('capacity.orders.notReservedPlanner') : t('capacity.orders.notReservedHint')}</Empty>
        {planner && week >= weekOf(today) && <Group justify="center"><Button size="sm" leftSection={<IconPlus size={16} />} onClick={onReserve}>{t('capacity.reserve.button')}</Button></Group>}
      </Card>
    );
  }
  const items = orders.data?.items ?? [];
  const listed = items.filter((o) => o.status !== 'cancelled').reduce((s, o) => s + o.truckloads, 0);
  const actions = (o: CapacityOrder): ReactNode => o.status === 'placed' && canOrder(me?.role) ? (
    <Group gap={4} wrap="nowrap">
      <Button size="compact-xs" variant="light" color="teal" leftSection={<IconCheck size={14} />} loading={setStatus.isPending && setStatus.variables?.id === o.id}
        onClick={() => setStatus.mutate({ id: o.id, status: 'delivered', version: o.version })} aria-label={t('capacity.orders.deliverNamed', { ref: o.orderRef ?? o.accountCode, account: n.primary(o) })}>
        {t('capacity.orders.deliver')}
      </Button>
      <Tooltip label={t('capacity.orders.cancel')}>
        <ActionIcon variant="subtle" color="red" onClick={() => setCancelling(o)} aria-label={t('capacity.orders.cancelNamed', { ref: o.orderRef ?? o.accountCode, account: n.primary(o) })} data-testid="cancel-order"><IconX size={16} /></ActionIcon>
      </Tooltip>
    </Group>
  ) : null;
  return (
    <Card data-testid="week-orders" data-week={week}>
      {title}
      <Group gap="lg" mb="sm" wrap="wrap">
        <Figure label={t('capacity.grid.reserved')} value={reservation.truckloads} />
        <Figure label={t('capacity.grid.ordered')} value={reservation.ordered} testId="week-ordered" />
        <Figure label={t('capacity.grid.free')} value={reservation.free} testId="week-free" />
      </Group>
      <UsageBar r={reservation} />
      {reservation.note && <Text size="sm" c="dimmed" mt="xs" style={{ whiteSpace: 'pre-wrap' }}>{reservation.note}</Text>}
      <Group gap="xs" mt="sm" mb="sm">
        {canOrder(me?.role) && reservation.status !== 'past' && (
          <Button size="sm" leftSection={<IconPlus size={16} />} onClick={() => onPlace(reservation)} data-testid="place-order">{t('capacity.order.place')}</Button>
        )}
        {planner && reservation.status !== 'past' && (
          <Button size="sm" variant="default" leftSection={<IconPencil size={16} />} onClick={() => onChange(reservation)}>{t('capacity.reserve.change')}</Button>
        )}
      </Group>
      {orders.isError ? <ErrorState error={orders.error} onRetry={() => void orders.refetch()} /> : orders.isPending ? <Loading /> : items.length === 0 ? (
        <Empty title={t('capacity.orders.empty')}>{reservation.ordered > 0 ? t('capacity.orders.othersOnly', { count: reservation.ordered }) : t('capacity.orders.emptyHint')}</Empty>
      ) : (
        <>
          {listed < reservation.ordered && <Text size="xs" c="dimmed" mb="xs">{t('capacity.orders.scoped', { count: reservation.ordered - listed })}</Text>}
          <Stack gap={0} data-testid="order-list">
            {items.map((o) => (
              <div key={o.id} data-testid="order-row" data-status={o.status} style={{ borderTop: '1px solid var(--mantine-color-default-border)', padding: '8px 0' }}>
                <Anchor component={Link} to={`/accounts/${o.accountId}`} size="sm" fw={600} display="block"><AccountName account={o} /></Anchor>
                <Text size="xs" c="dimmed">
                  <span className="ok-code">{o.accountCode}</span>{o.orderRef ? <> · <span className="ok-code">{o.orderRef}</span></> : null}
                </Text>
                <Group justify="space-between" gap="xs" mt={4} wrap="wrap">
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" fw={600} className="ok-stat" style={{ whiteSpace: 'nowrap' }}>{t('capacity.orders.line', { count: o.truckloads, date: label.date(o.deliveryDate) })}</Text>
                    <OrderBadge status={o.status} />
                  </Group>
                  {actions(o)}
                </Group>
              </div>
            ))}
          </Stack>
        </>
      )}
      <ConfirmDelete opened={!!cancelling} onClose={() => setCancelling(null)} title={t('capacity.orders.cancelTitle')}
        message={cancelling ? t('capacity.orders.cancelBody', { count: cancelling.truckloads, account: n.primary(cancelling), date: label.date(cancelling.deliveryDate) }) : ''}
        confirmLabel={t('capacity.orders.cancelConfirm')} doneMessage={t('capacity.orders.cancelled')}
        onConfirm={() => setStatus.mutateAsync({ id: cancelling!.id, status: 'cancelled', version: cancelling!.version })} onDeleted={() => undefined} />
    </Card>
  );
}

function Figure({ label, value, testId }: { label: string; value: number; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">{label}</Text>
      <Text fw={700} fz="lg" className="ok-stat" data-testid={testId}>{value}</Text>
    </div>
  );
}

function Dialogs({ dialog, close, depot, today, freeWeeks, onDepotAdded }: {
  dialog: Dialog; close: () => void; depot: Depot | null; today: string; freeWeeks: string[]; onDepotAdded: (id: string) => void;
}) {
  const { t } = useTranslation();
  const label = useWeekLabel();
  const depotName = useDepotName();
  return (
    <>
      <FormModal opened={dialog?.kind === 'order'} onClose={close} testId="place-order-modal"
        title={dialog?.kind === 'order' ? t('capacity.order.title', { week: label.short(dialog.reservation.week), depot: depotName(dialog.reservation) }) : ''}>
        {dialog?.kind === 'order' && <PlaceOrderForm reservation={dialog.reservation} today={today} onDone={close} />}
      </FormModal>
      <FormModal opened={dialog?.kind === 'reserve'} onClose={close} size="md" title={depot ? t('capacity.reserve.title', { depot: depotName(depot) }) : ''}>
        {dialog?.kind === 'reserve' && depot && (freeWeeks.length
          ? <ReserveForm depotId={depot.id} weeks={freeWeeks} initialWeek={dialog.week} onDone={close} />
          : <Text size="sm">{t('capacity.reserve.noneFree')}</Text>)}
      </FormModal>
      <FormModal opened={dialog?.kind === 'change'} onClose={close} size="md"
        title={dialog?.kind === 'change' ? t('capacity.reserve.changeTitle', { week: label.short(dialog.reservation.week), depot: depotName(dialog.reservation) }) : ''}>
        {dialog?.kind === 'change' && <ChangeReservationForm reservation={dialog.reservation} onDone={close} />}
      </FormModal>
      <FormModal opened={dialog?.kind === 'depot'} onClose={close} size="md" title={t('capacity.depot.title')}>
        {dialog?.kind === 'depot' && <AddDepotForm onDone={(id) => { close(); onDepotAdded(id); }} />}
      </FormModal>
    </>
  );
}
