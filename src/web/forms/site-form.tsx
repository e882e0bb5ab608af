import { ActionIcon, Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCopy, IconPlus, IconX } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiWithEtag, etagOf } from '../api/client.js';
import { useConfig } from '../api/queries.js';
import type { Site } from '../api/types.js';
import { provinces } from '../provinces.js';
import { Loading } from '../ui/states.js';
import { ConfirmDelete, FormActions, FormModal, FormProblem, orNull, useFormProblem, WithEditable } from './kit.js';
import { useRules } from './rules.js';

const CoordinatePicker = lazy(() => import('../map/coordinate-picker.js'));

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof weekdays)[number];
const kinds = ['warehouse', 'store', 'office', 'yard'] as const;

type DayHours = { open: boolean; intervals: [string, string][] };
type Values = {
  name: string; kind: string; address: string; city: string; province: string | null; lat: number | string; lng: number | string;
  hours: Record<Day, DayHours>;
};

const hoursOf = (h: Site['openingHours']): Record<Day, DayHours> =>
  Object.fromEntries(weekdays.map((d) => {
    const list = h?.[d] ?? [];
    return [d, { open: list.length > 0, intervals: list.length ? list.slice(0, 2).map(([a, b]) => [a, b] as [string, string]) : [['09:00', '18:00'] as [string, string]] }];
  })) as Record<Day, DayHours>;

const valuesOf = (s: Site | null): Values => ({
  name: s?.name ?? '', kind: s?.kind ?? 'store', address: s?.address ?? '', city: s?.city ?? '', province: s?.province ?? null,
  lat: s?.lat ?? '', lng: s?.lng ?? '', hours: hoursOf(s?.openingHours ?? null),
});

/** The contract's opening hours: open days only; null when no day is open. */
function openingHoursOf(hours: Record<Day, DayHours>): Site['openingHours'] {
  const open = weekdays.filter((d) => hours[d].open);
  if (!open.length) return null;
  return Object.fromEntries(open.map((d) => [d, hours[d].intervals.map(([a, b]) => [a, b] as [string, string])]));
}

function invalidateSites(qc: ReturnType<typeof useQueryClient>) {
  void qc.invalidateQueries({ queryKey: ['sites'] });
  void qc.invalidateQueries({ queryKey: ['account-audit'] });
}

function HoursEditor({ form }: { form: UseFormReturnType<Values> }) {
  const { t } = useTranslation();
  const hours = form.values.hours;
  const copyMonday = () => {
    for (const d of ['tue', 'wed', 'thu', 'fri'] as const) form.setFieldValue(`hours.${d}`, { open: hours.mon.open, intervals: hours.mon.intervals.map(([a, b]) => [a, b] as [string, string]) });
  };
  return (
    <Stack gap={6}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" fw={600} id="site-hours-label">{t('siteForm.hours')}</Text>
        <Button size="compact-xs" variant="subtle" leftSection={<IconCopy size={14} />} onClick={copyMonday}>{t('siteForm.copyMonday')}</Button>
      </Group>
      <Card withBorder padding="xs" radius="md" role="group" aria-labelledby="site-hours-label">
        <Stack gap={8}>
          {weekdays.map((d) => {
            const day = hours[d];
            return (
              <Group key={d} gap="xs" align="flex-start" wrap="wrap" data-testid={`hours-${d}`}>
                <Switch w={92} mt={6} size="sm" label={t(`weekdays.${d}`)} checked={day.open} onChange={(e) => form.setFieldValue(`hours.${d}.open`, e.currentTarget.checked)} />
                {day.open ? (
                  <Stack gap={4} style={{ flex: '1 1 220px' }}>
                    {day.intervals.map((iv, i) => (
                      <Group key={i} gap={4} wrap="nowrap">
                        <TextInput type="time" size="xs" w={104} aria-label={t('siteForm.opens', { day: t(`weekdays.${d}`), n: i + 1 })} {...form.getInputProps(`hours.${d}.intervals.${i}.0`)} />
                        <Text size="xs" c="dimmed" aria-hidden="true">–</Text>
                        <TextInput type="time" size="xs" w={104} aria-label={t('siteForm.closes', { day: t(`weekdays.${d}`), n: i + 1 })} {...form.getInputProps(`hours.${d}.intervals.${i}.1`)} />
                        {i === 1 && <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('siteForm.removeInterval')} onClick={() => form.removeListItem(`hours.${d}.intervals`, 1)}><IconX size={14} /></ActionIcon>}
                        {i === 0 && day.intervals.length < 2 && (
                          <ActionIcon variant="subtle" size="sm" aria-label={t('siteForm.addInterval', { day: t(`weekdays.${d}`) })} onClick={() => form.insertListItem(`hours.${d}.intervals`, ['14:00', '18:00'])}><IconPlus size={14} /></ActionIcon>
                        )}
                      </Group>
                    ))}
                  </Stack>
                ) : <Text size="sm" c="dimmed" mt={6}>{t('siteForm.closed')}</Text>}
              </Group>
            );
          })}
        </Stack>
      </Card>
      {typeof form.errors.openingHours === 'string' && <Text size="xs" c="red">{form.errors.openingHours}</Text>}
    </Stack>
  );
}

function SiteForm({ site, etag, accountId, reload, onDone }: {
  site: Site | null; etag: string | null; accountId: string; reload: () => Promise<{ data: Site; etag: string | null } | undefined>; onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const r = useRules();
  const qc = useQueryClient();
  const config = useConfig();
  const { problem, onError, clear } = useFormProblem();
  const [ifMatch, setIfMatch] = useState(etag);
  const [reloading, setReloading] = useState(false);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(site),
    validate: (v) => {
      const e: Record<string, string | null> = {
        name: r.required(120)(v.name), kind: r.chosen(v.kind), address: r.optional(300)(v.address), city: r.optional(80)(v.city),
        lat: r.coordinate(-90, 90)(v.lat) ?? (v.lat === '' && v.lng !== '' ? r.t('siteForm.bothCoordinates') : null),
        lng: r.coordinate(-180, 180)(v.lng) ?? (v.lng === '' && v.lat !== '' ? r.t('siteForm.bothCoordinates') : null),
      };
      // Times are checked on open days only; a closed day keeps its last times unchecked.
      for (const d of weekdays) {
        if (!v.hours[d].open) continue;
        v.hours[d].intervals.forEach(([a, b], i) => { e[`hours.${d}.intervals.${i}.0`] = r.time(a); e[`hours.${d}.intervals.${i}.1`] = r.time(b); });
      }
      return Object.fromEntries(Object.entries(e).filter(([, m]) => m));
    },
  });
  const save = useMutation({
    mutationFn: async (v: Values) => {
      const body = {
        name: v.name.trim(), kind: v.kind, address: orNull(v.address), city: orNull(v.city), province: v.province,
        lat: v.lat === '' ? null : Number(v.lat), lng: v.lng === '' ? null : Number(v.lng), openingHours: openingHoursOf(v.hours),
      };
      if (!site) return api<Site>('/sites', { method: 'POST', body: { accountId, ...body } });
      const res = await apiWithEtag<Site>(`/sites/${site.id}`, { method: 'PATCH', headers: { 'if-match': ifMatch ?? '' }, body });
      setIfMatch(res.etag);
      return res.data;
    },
    onSuccess: () => { invalidateSites(qc); notifications.show({ color: 'teal', message: t('forms.saved') }); onDone(); },
    onError: (err) => onError(err, form),
  });
  const doReload = async () => {
    setReloading(true);
    try {
      const fresh = await reload();
      if (fresh) { setIfMatch(fresh.etag); form.setValues(valuesOf(fresh.data)); form.resetDirty(); clear(); }
    } finally { setReloading(false); }
  };
  const num = (v: number | string) => (v === '' || typeof v !== 'number' ? null : v);
  return (
    <form onSubmit={form.onSubmit((v) => { clear(); save.mutate(v); })} noValidate data-testid="site-form">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
          <TextInput label={t('siteForm.name')} required {...form.getInputProps('name')} />
          <Select label={t('siteForm.kind')} required allowDeselect={false} data={kinds.map((k) => ({ value: k, label: t(`siteKinds.${k}`) }))} {...form.getInputProps('kind')} />
        </SimpleGrid>
        <TextInput label={t('siteForm.address')} {...form.getInputProps('address')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
          <Select label={t('siteForm.province')} clearable searchable nothingFoundMessage={t('common.noMatches')}
            data={provinces.map((p) => ({ value: p.zh, label: i18n.language === 'en' ? p.en : p.zh }))} {...form.getInputProps('province')} />
          <TextInput label={t('siteForm.city')} {...form.getInputProps('city')} />
        </SimpleGrid>
        <Stack gap={6}>
          <Text size="sm" fw={600}>{t('siteForm.location')}</Text>
          <Text size="xs" c="dimmed">{t('siteForm.locationHint')}</Text>
          {config.isPending ? <Loading /> : (
            <Suspense fallback={<Loading />}>
              <CoordinatePicker lat={num(form.values.lat)} lng={num(form.values.lng)} tileUrl={config.data?.tileUrl ?? null}
                onPick={(lat, lng) => { form.setFieldValue('lat', lat); form.setFieldValue('lng', lng); form.clearFieldError('lat'); form.clearFieldError('lng'); }} />
            </Suspense>
          )}
          <Group grow gap="sm" align="flex-start">
            <NumberInput label={t('siteForm.lat')} decimalScale={6} min={-90} max={90} hideControls inputMode="decimal" {...form.getInputProps('lat')} />
            <NumberInput label={t('siteForm.lng')} decimalScale={6} min={-180} max={180} hideControls inputMode="decimal" {...form.getInputProps('lng')} />
          </Group>
        </Stack>
        <HoursEditor form={form} />
        <FormProblem problem={problem} onReload={() => void doReload()} reloading={reloading} />
        <FormActions onCancel={onDone} loading={save.isPending} />
      </Stack>
    </form>
  );
}

export function SiteFormModal({ opened, onClose, site, accountId }: { opened: boolean; onClose: () => void; site?: Site | null; accountId: string }) {
  const { t } = useTranslation();
  return (
    <FormModal opened={opened} onClose={onClose} title={site ? t('siteForm.editTitle') : t('siteForm.newTitle')} testId="site-modal">
      <WithEditable<Site> path={site ? `/sites/${site.id}` : null}>
        {(rec, reload) => <SiteForm site={rec?.data ?? null} etag={rec?.etag ?? null} accountId={accountId} reload={reload} onDone={onClose} />}
      </WithEditable>
    </FormModal>
  );
}

export function DeleteSite({ site, onClose }: { site: Site | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return (
    <ConfirmDelete opened={!!site} onClose={onClose} title={t('siteForm.deleteTitle')} message={t('siteForm.deleteBody', { name: site?.name ?? '' })}
      onConfirm={() => api(`/sites/${site!.id}`, { method: 'DELETE', headers: { 'if-match': etagOf(site!) } })} onDeleted={() => invalidateSites(qc)} />
  );
}
