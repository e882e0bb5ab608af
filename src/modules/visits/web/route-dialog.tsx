import { Button, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useConfig } from '../../../web/api/queries.js';
import { useSession } from '../../../web/session.js';
import { Loading } from '../../../web/ui/states.js';
import { useVisitFieldErrors } from './field-errors.js';
import { useNotify } from './notify.js';
import { useAccountSearch, useAccountSites, useManagers, useSaveRoute, type VisitRoute, WEEKDAYS, type Weekday } from './use-visits.js';
import { clockOf } from './visits-format.js';
import { useNames } from '../../../web/names.js';

const BasePickerMap = lazy(() => import('./base-picker-map.js'));
const hours = Array.from({ length: 24 * 2 }, (_, i) => clockOf(i * 30));

/**
 * Creates or edits a route: a name, a weekday and a manager (fixed once created), the working day,
 * and the base where the day starts and ends, placed on the map or taken from a site.
 */
export function RouteDialog({ route, managerId, onClose }: { route: VisitRoute | null; managerId?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const n = useNames();
  const { me } = useSession();
  const notify = useNotify();
  const config = useConfig();
  const fieldErrors = useVisitFieldErrors();
  const { managers } = useManagers();
  const save = useSaveRoute();
  const [name, setName] = useState(route?.name ?? '');
  const [weekday, setWeekday] = useState<Weekday>(route?.weekday ?? 'mon');
  const [manager, setManager] = useState<string | null>(route?.managerId ?? managerId ?? me?.id ?? null);
  const [dayStart, setDayStart] = useState(route?.dayStart ?? '08:00');
  const [dayEnd, setDayEnd] = useState(route?.dayEnd ?? '18:00');
  const [label, setLabel] = useState(route?.base.label ?? '');
  const [base, setBase] = useState<{ lat: number; lng: number } | null>(route ? { lat: route.base.lat, lng: route.base.lng } : null);
  const [search, setSearch] = useState('');
  const [accountId, setAccountId] = useState<string | null>(null);
  const accounts = useAccountSearch(search);
  const sites = useAccountSites(accountId);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const located = (sites.data?.items ?? []).filter((s) => s.lat !== null && s.lng !== null);
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(null);
  const accountOptions = (() => {
    const list = (accounts.data?.items ?? []).map((a) => ({ value: a.id, label: n.primary(a) }));
    return chosen && !list.some((o) => o.value === chosen.value) ? [chosen, ...list] : list;
  })();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!name.trim()) errs.name = t('errors.field.required');
    if (!base) errs.base = t('visits.routes.baseRequired');
    if (dayEnd <= dayStart) errs.dayEnd = t('visits.routes.dayEndBeforeStart');
    setErrors(errs);
    if (Object.keys(errs).length || !base) return;
    const common = { name: name.trim(), base: { label: label.trim() || null, lat: base.lat, lng: base.lng }, dayStart, dayEnd };
    save.mutate({ route, body: route ? common : { ...common, weekday, managerId: manager ?? undefined, timeZone: me?.timeZone ?? 'Asia/Shanghai' } }, {
      onSuccess: () => { notify.ok(route ? t('visits.routes.saved') : t('visits.routes.created')); onClose(); },
      onError: (err) => { const fe = fieldErrors(err); if (Object.keys(fe).length) setErrors(fe); else notify.fail(err); },
    });
  };
  const plannable = managers.filter((m) => m.canPlan);
  const err = (k: string) => errors[k] || undefined;

  return (
    <Modal className="ok-visits" closeButtonProps={{ 'aria-label': t('visits.close') }} opened onClose={onClose} size="xl"
      title={route ? t('visits.routes.editTitle', { name: route.name }) : t('visits.routes.newTitle')}>
      <form onSubmit={submit} noValidate data-testid="route-form">
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('visits.routes.name')} withAsterisk maxLength={120} value={name} error={err('name')} onChange={(e) => { setName(e.currentTarget.value); setErrors((x) => ({ ...x, name: '' })); }} />
            <Select label={t('visits.plans.weekday')} value={weekday} allowDeselect={false} disabled={!!route} error={err('weekday')}
              description={route ? t('visits.routes.fixedOnceCreated') : undefined}
              data={WEEKDAYS.map((d) => ({ value: d, label: t(`visits.weekdays.${d}`) }))} onChange={(v) => v && setWeekday(v as Weekday)} />
            <Select label={t('visits.manager')} value={manager} allowDeselect={false} disabled={!!route || plannable.length <= 1} error={err('managerId')}
              data={(route ? managers : plannable).map((m) => ({ value: m.id, label: m.name }))} onChange={setManager} />
            <Group grow align="flex-start">
              <Select label={t('visits.routes.dayStart')} value={dayStart} allowDeselect={false} searchable data={[...new Set([dayStart, ...hours])].sort()} error={err('dayStart')} onChange={(v) => v && setDayStart(v)} />
              <Select label={t('visits.routes.dayEnd')} value={dayEnd} allowDeselect={false} searchable data={[...new Set([dayEnd, ...hours])].sort()} error={err('dayEnd')} onChange={(v) => { if (v) { setDayEnd(v); setErrors((x) => ({ ...x, dayEnd: '' })); } }} />
            </Group>
          </SimpleGrid>
          <div>
            <Text fw={600} size="sm">{t('visits.routes.base')}</Text>
            <Text size="xs" c="dimmed" mb={6}>{t('visits.routes.baseHint')}</Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }} mb="xs">
              <Select label={t('visits.routes.fromAccount')} searchable clearable value={accountId} placeholder={t('visits.plans.accountPlaceholder')}
                data={accountOptions} onSearchChange={setSearch} searchValue={search}
                filter={({ options }) => options} onChange={(v, option) => { setChosen(v ? option : null); setAccountId(v); }} nothingFoundMessage={t('visits.plans.noAccounts')} />
              <Select label={t('visits.routes.fromSite')} disabled={!accountId} value={null} placeholder={!accountId || located.length ? t('visits.routes.pickSite') : t('visits.routes.noLocatedSites')}
                data={located.map((s) => ({ value: s.id, label: s.name }))}
                onChange={(v) => { const s = located.find((x) => x.id === v); if (s) { setBase({ lat: s.lat!, lng: s.lng! }); if (!label.trim()) setLabel(s.name); setErrors((x) => ({ ...x, base: '' })); } }} />
            </SimpleGrid>
            <Suspense fallback={<Loading />}>
              {!config.isPending && <BasePickerMap value={base} tileUrl={config.data?.tileUrl ?? null} onPick={(p) => { setBase(p); setErrors((x) => ({ ...x, base: '' })); }} />}
            </Suspense>
            <SimpleGrid cols={{ base: 1, sm: 3 }} mt="xs">
              <TextInput label={t('visits.routes.baseLabel')} maxLength={200} value={label} onChange={(e) => setLabel(e.currentTarget.value)} />
              <NumberInput label={t('visits.routes.lat')} decimalScale={6} min={-90} max={90} value={base?.lat ?? ''} error={err('base')}
                onChange={(v) => typeof v === 'number' && setBase((b) => ({ lat: v, lng: b?.lng ?? 0 }))} />
              <NumberInput label={t('visits.routes.lng')} decimalScale={6} min={-180} max={180} value={base?.lng ?? ''}
                onChange={(v) => typeof v === 'number' && setBase((b) => ({ lat: b?.lat ?? 0, lng: v }))} />
            </SimpleGrid>
          </div>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={save.isPending}>{route ? t('visits.routes.save') : t('visits.routes.create')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
