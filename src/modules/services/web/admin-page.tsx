/** Services administration (/services/admin): the catalogue, entitlements and service levels, and the working time the SLA clock counts in. */
import { Alert, Button, Card, Group, NumberInput, Stack, Table, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCalendarTime, IconClockHour4, IconGift, IconListDetails } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { usePhone } from '../../../web/forms/kit.js';
import { useProblemText } from '../../../web/ui/errors.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import { defaultTargets, priorities, requestTypes, type Priority, type RequestType } from '../services.domain.js';
import { CatalogueAdmin } from './catalogue-admin.js';
import { EntitlementsAdmin } from './entitlements-admin.js';
import { put, useServiceLevels, useServicesWrite, type ServiceLevel, type WorkingTimeInfo } from './services-api.js';
import { clockOf, hoursToMinutes, minutesToHours, yearsText } from './services-format.js';

type Cell = { response: number | string; resolution: number | string };
type Grid = Record<`${RequestType}|${Priority}`, Cell>;

const gridOf = (levels: ServiceLevel[]): Grid => {
  const out = {} as Grid;
  for (const type of requestTypes) for (const p of priorities) {
    const l = levels.find((x) => x.type === type && x.priority === p);
    out[`${type}|${p}`] = { response: minutesToHours(l?.responseMinutes ?? defaultTargets[p].response), resolution: minutesToHours(l?.resolutionMinutes ?? defaultTargets[p].resolution) };
  }
  return out;
};

const valid = (v: number | string, maxHours: number) => typeof v === 'number' && v > 0 && hoursToMinutes(v) >= 1 && v <= maxHours;

/** Weekday names from the server's numbers (ISO 1 = Monday … 7 = Sunday; 0 read as Sunday too). */
function useWeekdays() {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const fmt = new Intl.DateTimeFormat(i18n.language, { weekday: 'short', timeZone: 'UTC' });
    // 2024-01-01 was a Monday.
    return (d: number) => fmt.format(new Date(Date.UTC(2024, 0, ((d + 6) % 7) + 1)));
  }, [i18n.language]);
}

function WorkingTime({ info }: { info: WorkingTimeInfo }) {
  const { t } = useTranslation();
  const weekday = useWeekdays();
  const sep = t('services.admin.listSep');
  const label = (l: string) => t('services.admin.labelled', { label: l });
  return (
    <Card padding="md" data-testid="working-time">
      <Group gap="xs" mb="xs"><IconCalendarTime size={18} aria-hidden /><Text fw={600}>{t('services.admin.workingTime')}</Text></Group>
      <Stack gap={4}>
        <Text size="sm"><Text span c="dimmed">{label(t('services.admin.wtDays'))}</Text>{info.weekdays.map(weekday).join(sep)}</Text>
        <Text size="sm"><Text span c="dimmed">{label(t('services.admin.wtHours'))}</Text>{info.windows.map(([a, b]) => `${clockOf(a)}–${clockOf(b)}`).join(sep)}</Text>
        <Text size="sm"><Text span c="dimmed">{label(t('services.admin.wtZone'))}</Text>{info.timeZone}</Text>
        <Text size="sm"><Text span c="dimmed">{label(t('services.admin.wtCalendar'))}</Text>
          {t(`services.admin.calendar.${info.calendar}`)}
          {info.calendar === 'cn' && info.calendarYears.length > 0 && t('services.admin.calendarYears', { years: yearsText(info.calendarYears, sep) })}
        </Text>
        <Text size="xs" c="dimmed" mt={4}>{t('services.admin.wtHint')}</Text>
      </Stack>
    </Card>
  );
}

function LevelInputs({ cell, onChange, label }: { cell: Cell; onChange: (c: Cell) => void; label: string }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap">
      <NumberInput size="xs" w={78} min={0.25} max={60 * 24} step={0.5} decimalScale={2} value={cell.response} onChange={(v) => onChange({ ...cell, response: v })}
        aria-label={t('services.admin.responseFor', { what: label })} error={!valid(cell.response, 60 * 24)} />
      <Text size="xs" c="dimmed">/</Text>
      <NumberInput size="xs" w={78} min={0.25} max={120 * 24} step={1} decimalScale={2} value={cell.resolution} onChange={(v) => onChange({ ...cell, resolution: v })}
        aria-label={t('services.admin.resolutionFor', { what: label })} error={!valid(cell.resolution, 120 * 24)} />
    </Group>
  );
}

function ServiceLevels() {
  const { t } = useTranslation();
  const phone = usePhone();
  const problemText = useProblemText();
  const q = useServiceLevels();
  const [grid, setGrid] = useState<Grid | null>(null);
  useEffect(() => { if (q.data && !grid) setGrid(gridOf(q.data.levels)); }, [q.data, grid]);
  const save = useServicesWrite((g: Grid) => put<unknown>('/service-levels', {
    levels: requestTypes.flatMap((type) => priorities.map((priority) => {
      const c = g[`${type}|${priority}`];
      return { type, priority, responseMinutes: hoursToMinutes(Number(c.response)), resolutionMinutes: hoursToMinutes(Number(c.resolution)) };
    })),
  }));
  if (q.isPending || (q.data && !grid)) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const g = grid!;
  const allValid = Object.values(g).every((c) => valid(c.response, 60 * 24) && valid(c.resolution, 120 * 24));
  const dirty = JSON.stringify(g) !== JSON.stringify(gridOf(q.data.levels));
  const set = (k: keyof Grid) => (c: Cell) => setGrid({ ...g, [k]: c });
  const label = (type: RequestType, p: Priority) => [t(`services.type.${type}`), t(`services.priority.${p}`)].join(t('services.admin.listSep'));
  return (
    <Stack gap="md">
      <Card padding="md" data-testid="service-levels">
        <Group justify="space-between" mb="sm" gap="xs" align="flex-end">
          <div>
            <Text fw={600}>{t('services.admin.levels')}</Text>
            <Text size="sm" c="dimmed">{t('services.admin.levelsHint')}</Text>
          </div>
          <Group gap="xs">
            <Button variant="default" size="xs" disabled={!dirty} onClick={() => setGrid(gridOf(q.data.levels))}>{t('services.admin.discard')}</Button>
            <Button size="xs" disabled={!dirty || !allValid} loading={save.isPending} data-testid="save-levels"
              onClick={() => save.mutate(g, { onSuccess: () => { notifications.show({ color: 'teal', message: t('forms.saved') }); setGrid(null); } })}>{t('common.save')}</Button>
          </Group>
        </Group>
        {save.isError && <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} mb="sm" role="alert">{problemText(save.error)}</Alert>}
        {phone ? (
          <Stack gap="md">
            {requestTypes.map((type) => (
              <div key={type}>
                <Group justify="space-between" wrap="nowrap" mb={4}>
                  <Text size="sm" fw={600}>{t(`services.type.${type}`)}</Text>
                  <Text size="xs" c="dimmed">{t('services.admin.responseResolution')}</Text>
                </Group>
                <Stack gap={6}>
                  {priorities.map((p) => (
                    <Group key={p} justify="space-between" wrap="nowrap" gap="xs">
                      <Text size="sm">{t(`services.priority.${p}`)}</Text>
                      <LevelInputs cell={g[`${type}|${p}`]} onChange={set(`${type}|${p}`)} label={label(type, p)} />
                    </Group>
                  ))}
                </Stack>
              </div>
            ))}
          </Stack>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing={6} withColumnBorders>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('services.admin.typeCol')}</Table.Th>
                  {priorities.map((p) => <Table.Th key={p}>{t(`services.priority.${p}`)}</Table.Th>)}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {requestTypes.map((type) => (
                  <Table.Tr key={type}>
                    <Table.Td><Text size="sm" fw={500}>{t(`services.type.${type}`)}</Text></Table.Td>
                    {priorities.map((p) => <Table.Td key={p}><LevelInputs cell={g[`${type}|${p}`]} onChange={set(`${type}|${p}`)} label={label(type, p)} /></Table.Td>)}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Text size="xs" c="dimmed" mt="xs">{t('services.admin.levelsLegend')}</Text>
      </Card>
      <WorkingTime info={q.data.workingTime} />
    </Stack>
  );
}

const tabs = ['catalogue', 'entitlements', 'levels'] as const;

export function AdminPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = tabs.find((x) => x === params.get('tab')) ?? 'catalogue';
  return (
    <>
      <PageHeader title={t('services.admin.title')} subtitle={t('services.admin.subtitle')} />
      <Tabs value={tab} onChange={(v) => setParams(v && v !== 'catalogue' ? { tab: v } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="catalogue" leftSection={<IconListDetails size={16} />}>{t('services.admin.tabCatalogue')}</Tabs.Tab>
          <Tabs.Tab value="entitlements" leftSection={<IconGift size={16} />}>{t('services.admin.tabEntitlements')}</Tabs.Tab>
          <Tabs.Tab value="levels" leftSection={<IconClockHour4 size={16} />}>{t('services.admin.tabLevels')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="catalogue"><CatalogueAdmin /></Tabs.Panel>
        <Tabs.Panel value="entitlements"><EntitlementsAdmin /></Tabs.Panel>
        <Tabs.Panel value="levels"><ServiceLevels /></Tabs.Panel>
      </Tabs>
    </>
  );
}
