/**
 * Entitlements (admin): which tier, account or agreement is granted how much of a service per
 * period, counted on request or on delivery, with carry-over, peak seasons and validity; create,
 * edit (what the API lets change) and delete after a confirmation.
 */
import { Badge, Button, Card, Checkbox, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, VisuallyHidden, Input } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountPicker } from '../../../web/forms/account-picker.js';
import { ConfirmDelete, FormActions, FormModal, FormProblem, orNull, RowActions, useFormProblem, usePhone } from '../../../web/forms/kit.js';
import { useRules } from '../../../web/forms/rules.js';
import { useFormat } from '../../../web/format.js';
import { useNames } from '../../../web/names.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { consumedOn, entitlementScopes, periods, type ConsumedOn, type EntitlementScope, type Period } from '../services.domain.js';
import {
  del, invalidateServices, patch, post, useEntitlements, useServiceKinds, useServicesWrite, type CreateEntitlement, type Entitlement, type ServiceKind, type UpdateEntitlement,
} from './services-api.js';
import { formatPeakWindows, parsePeakWindows } from './services-format.js';
import { useKindName } from './services-ui.js';

type Values = {
  serviceKindId: string | null; scope: EntitlementScope; tier: string | null; accountId: string | null; agreementRef: string;
  quantity: number | string; period: Period; consumedOn: ConsumedOn; carryOver: boolean; peak: string; validFrom: string; validTo: string;
};

const today = () => new Date().toISOString().slice(0, 10);

const valuesOf = (e: Entitlement | null): Values => ({
  serviceKindId: e?.serviceKindId ?? null, scope: e?.scope ?? 'tier', tier: e?.tier ?? 'A', accountId: e?.accountId ?? null, agreementRef: e?.agreementRef ?? '',
  quantity: e?.quantity ?? 1, period: e?.period ?? 'quarter', consumedOn: e?.consumedOn ?? 'delivery', carryOver: e?.carryOver ?? false,
  peak: formatPeakWindows(e?.peakWindows ?? null), validFrom: e?.validFrom ?? today(), validTo: e?.validTo ?? '',
});

function EntitlementForm({ entitlement, kinds, onDone }: { entitlement: Entitlement | null; kinds: ServiceKind[]; onDone: () => void }) {
  const { t } = useTranslation();
  const r = useRules();
  const qc = useQueryClient();
  const kindName = useKindName();
  const scopeId = useId();
  const editing = !!entitlement;
  const { problem, onError, clear } = useFormProblem();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(entitlement),
    validate: {
      serviceKindId: r.chosen,
      tier: (v, all) => (all.scope === 'tier' && !v ? t('errors.field.required') : null),
      accountId: (v, all) => (!editing && all.scope !== 'tier' && !v ? t('errors.field.required') : null),
      agreementRef: (v, all) => (all.scope === 'agreement' ? r.required(80)(v) : null),
      quantity: (v) => r.intRange(0, 100_000)(v),
      peak: (v) => { const p = parsePeakWindows(v); return p.error ? t('services.admin.peakRule', { part: p.error }) : p.windows && p.windows.length > 6 ? t('services.admin.peakMax') : null; },
      validFrom: (v) => (!v ? t('errors.field.required') : r.isoDate(v)),
      validTo: (v, all) => r.isoDate(v) ?? (v && all.validFrom && v < all.validFrom ? t('services.admin.endsBeforeStart') : null),
    },
  });
  const save = useServicesWrite((v: Values) => {
    const peakWindows = parsePeakWindows(v.peak).windows;
    if (entitlement) {
      const body: UpdateEntitlement = { quantity: Number(v.quantity), carryOver: v.carryOver, peakWindows, consumedOn: v.consumedOn, validTo: v.validTo || null, version: entitlement.version };
      return patch<Entitlement>(`/service-entitlements/${entitlement.id}`, body);
    }
    const body: CreateEntitlement = {
      serviceKindId: v.serviceKindId!, scope: v.scope, tier: v.scope === 'tier' ? (v.tier as 'A' | 'B' | 'C') : null, accountId: v.scope === 'tier' ? null : v.accountId,
      agreementRef: v.scope === 'agreement' ? orNull(v.agreementRef) : null, quantity: Number(v.quantity), period: v.period, consumedOn: v.consumedOn,
      carryOver: v.carryOver, peakWindows, validFrom: v.validFrom, validTo: v.validTo || null,
    };
    return post<Entitlement>('/service-entitlements', body);
  });
  const kindOptions = kinds.filter((k) => k.active || k.id === entitlement?.serviceKindId).map((k) => ({ value: k.id, label: kindName(k) }));
  const v = form.values;
  return (
    <form noValidate data-testid="entitlement-form" onSubmit={form.onSubmit((vals) => {
      clear();
      save.mutate(vals, { onSuccess: () => { notifications.show({ color: 'teal', message: t('forms.saved') }); onDone(); }, onError: (err) => onError(err, form) });
    })}>
      <Stack gap="sm">
        <Select label={t('services.admin.service')} required allowDeselect={false} searchable disabled={editing} data={kindOptions} {...form.getInputProps('serviceKindId')} />
        <Input.Wrapper label={t('services.admin.scope')} id={scopeId}>
          <SegmentedControl fullWidth disabled={editing} aria-labelledby={`${scopeId}-label`} value={v.scope} onChange={(x) => form.setFieldValue('scope', x as EntitlementScope)}
            data={entitlementScopes.map((s) => ({ value: s, label: t(`services.scope.${s}`) }))} />
        </Input.Wrapper>
        {v.scope === 'tier' ? (
          <Select label={t('services.admin.tier')} required allowDeselect={false} disabled={editing} data={['A', 'B', 'C'].map((x) => ({ value: x, label: t(`tiers.${x}`) }))} {...form.getInputProps('tier')} />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: v.scope === 'agreement' ? 2 : 1 }} spacing="sm">
            <AccountPicker label={t('services.admin.account')} required disabled={editing} value={v.accountId} onChange={(x) => form.setFieldValue('accountId', x)} error={form.errors.accountId} />
            {v.scope === 'agreement' && <TextInput label={t('services.admin.agreement')} required disabled={editing} maxLength={80} {...form.getInputProps('agreementRef')} />}
          </SimpleGrid>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <NumberInput label={t('services.admin.quantity')} required min={0} max={100_000} allowDecimal={false} allowNegative={false} {...form.getInputProps('quantity')} />
          <Select label={t('services.admin.period')} allowDeselect={false} disabled={editing} data={periods.map((p) => ({ value: p, label: t(`services.periodName.${p}`) }))} {...form.getInputProps('period')} />
          <Select label={t('services.admin.consumedOn')} allowDeselect={false} data={consumedOn.map((c) => ({ value: c, label: t(`services.consumedOn.${c}`) }))} {...form.getInputProps('consumedOn')} />
        </SimpleGrid>
        <Checkbox label={t('services.admin.carryOver')} description={t('services.admin.carryOverHint')} {...form.getInputProps('carryOver', { type: 'checkbox' })} />
        <TextInput label={t('services.admin.peak')} description={t('services.admin.peakHint')} placeholder="06-01–08-31, 12-01–01-31" {...form.getInputProps('peak')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput type="date" label={t('services.admin.validFrom')} description={t('services.admin.validFromHint')} required disabled={editing} {...form.getInputProps('validFrom')} />
          <TextInput type="date" label={t('services.admin.validTo')} description={t('services.admin.validToHint')} {...form.getInputProps('validTo')} />
        </SimpleGrid>
        {editing && <Text size="xs" c="dimmed">{t('services.admin.editLimits')}</Text>}
        <FormProblem problem={problem} onReload={() => { void invalidateServices(qc); onDone(); }} />
        <FormActions onCancel={onDone} loading={save.isPending} />
      </Stack>
    </form>
  );
}

export function EntitlementsAdmin() {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  const qc = useQueryClient();
  const kindName = useKindName();
  const kinds = useServiceKinds();
  const [kindFilter, setKindFilter] = useState<string | null>(null);
  const [scopeFilter, setScopeFilter] = useState<string | null>(null);
  const list = useEntitlements({ ...(kindFilter ? { serviceKindId: kindFilter } : {}), ...(scopeFilter ? { scope: scopeFilter } : {}) });
  const phone = usePhone();
  const [editing, setEditing] = useState<Entitlement | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Entitlement | null>(null);
  const byId = useMemo(() => new Map((kinds.data ?? []).map((k) => [k.id, k])), [kinds.data]);
  // An entitlement names its account by the stored name only (no English name in the answer).
  const who = (e: Entitlement) => (e.scope === 'tier' ? t(`tiers.${e.tier ?? 'C'}`) : n.primary({ name: e.accountName ?? '—', nameEn: (e as { accountNameEn?: string | null }).accountNameEn ?? null }));
  const date = (ymd: string) => f.date(`${ymd}T12:00:00Z`);
  return (
    <Card padding="md" data-testid="entitlements">
      <Group justify="space-between" mb="sm" gap="xs" align="flex-end">
        <div>
          <Text fw={600}>{t('services.admin.entitlements')}</Text>
          <Text size="sm" c="dimmed">{t('services.admin.entitlementsHint')}</Text>
        </div>
        <Button size="xs" leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} disabled={!kinds.data?.length} data-testid="new-entitlement">{t('services.admin.newEntitlement')}</Button>
      </Group>
      <Group gap="sm" mb="sm" wrap="wrap">
        <Select size="xs" clearable placeholder={t('services.admin.allServices')} aria-label={t('services.admin.service')} value={kindFilter} onChange={setKindFilter}
          data={(kinds.data ?? []).map((k) => ({ value: k.id, label: kindName(k) }))} w={220} />
        <Select size="xs" clearable placeholder={t('services.admin.allScopes')} aria-label={t('services.admin.scope')} value={scopeFilter} onChange={setScopeFilter}
          data={entitlementScopes.map((s) => ({ value: s, label: t(`services.scope.${s}`) }))} w={160} />
      </Group>
      {list.isPending ? <Loading /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : list.data.length === 0 ? (
        <Empty title={t('services.admin.noEntitlements')}>{t('services.admin.noEntitlementsHint')}</Empty>
      ) : phone ? (
        <Stack gap="xs">
          {list.data.map((e) => (
            <Card key={e.id} padding="sm" data-testid="entitlement-row">
              <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                <div style={{ minWidth: 0 }}>
                  <Text size="sm" fw={600}>{kindName(byId.get(e.serviceKindId))}</Text>
                  <Group gap={6} wrap="wrap">
                    <Badge variant="light" color={e.scope === 'tier' ? 'grape' : e.scope === 'account' ? 'blue' : 'teal'} size="xs" tt="none" style={{ maxWidth: 'none' }}>{t(`services.scope.${e.scope}`)}</Badge>
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>{who(e)}</Text>
                    {e.agreementRef && <Text size="xs" c="dimmed" className="ok-code">{e.agreementRef}</Text>}
                  </Group>
                </div>
                <RowActions name={kindName(byId.get(e.serviceKindId))} onEdit={() => setEditing(e)} onDelete={() => setDeleting(e)} />
              </Group>
              <Text size="sm" mt={6}>
                {t('services.admin.perPeriodValue', { n: f.number(e.quantity), period: t(`services.periodName.${e.period}`) })} · {t(`services.consumedOn.${e.consumedOn}`)}
                {e.carryOver && ` · ${t('services.admin.carryOver')}`}
              </Text>
              <Text size="xs" c="dimmed">
                {e.peakWindows?.length ? formatPeakWindows(e.peakWindows) : t('services.admin.allYear')} · {e.validTo ? t('services.admin.validRange', { from: date(e.validFrom), to: date(e.validTo) }) : t('services.admin.validFromOnly', { from: date(e.validFrom) })}
              </Text>
            </Card>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={1080}>
          <Table verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('services.admin.service')}</Table.Th>
                <Table.Th>{t('services.admin.scope')}</Table.Th>
                <Table.Th>{t('services.admin.grantedTo')}</Table.Th>
                <Table.Th ta="right">{t('services.admin.perPeriod')}</Table.Th>
                <Table.Th>{t('services.admin.consumedOn')}</Table.Th>
                <Table.Th>{t('services.admin.carryOver')}</Table.Th>
                <Table.Th>{t('services.admin.peakShort')}</Table.Th>
                <Table.Th>{t('services.admin.valid')}</Table.Th>
                <Table.Th w={90}><VisuallyHidden>{t('common.actions')}</VisuallyHidden></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((e) => (
                <Table.Tr key={e.id} data-testid="entitlement-row">
                  <Table.Td><Text size="sm">{kindName(byId.get(e.serviceKindId))}</Text></Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}><Badge variant="light" color={e.scope === 'tier' ? 'grape' : e.scope === 'account' ? 'blue' : 'teal'} size="sm" tt="none" style={{ maxWidth: 'none' }}>{t(`services.scope.${e.scope}`)}</Badge></Table.Td>
                  <Table.Td maw={240}>
                    <Text size="sm" truncate>{who(e)}</Text>
                    {e.agreementRef && <Text size="xs" c="dimmed" className="ok-code">{e.agreementRef}</Text>}
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}><Text size="sm" className="ok-stat">{t('services.admin.perPeriodValue', { n: f.number(e.quantity), period: t(`services.periodName.${e.period}`) })}</Text></Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}><Text size="sm">{t(`services.consumedOn.${e.consumedOn}`)}</Text></Table.Td>
                  <Table.Td><Text size="sm">{e.carryOver ? t('services.admin.yes') : t('services.admin.no')}</Text></Table.Td>
                  <Table.Td>{e.peakWindows?.length
                    ? <Text size="sm" className="ok-code" style={{ whiteSpace: 'nowrap' }}>{formatPeakWindows(e.peakWindows)}</Text>
                    : <Text size="sm" c="dimmed">{t('services.admin.allYear')}</Text>}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}><Text size="sm">{e.validTo ? t('services.admin.validRange', { from: date(e.validFrom), to: date(e.validTo) }) : t('services.admin.validFromOnly', { from: date(e.validFrom) })}</Text></Table.Td>
                  <Table.Td><RowActions name={kindName(byId.get(e.serviceKindId))} onEdit={() => setEditing(e)} onDelete={() => setDeleting(e)} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <FormModal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t('services.admin.newEntitlement') : t('services.admin.editEntitlement')} testId="entitlement-modal">
        <EntitlementForm entitlement={editing === 'new' ? null : editing} kinds={kinds.data ?? []} onDone={() => setEditing(null)} />
      </FormModal>
      <ConfirmDelete opened={!!deleting} onClose={() => setDeleting(null)} title={t('services.admin.deleteTitle')}
        message={deleting ? t('services.admin.deleteBody', { service: kindName(byId.get(deleting.serviceKindId)), who: who(deleting) }) : ''}
        onConfirm={() => del(`/service-entitlements/${deleting!.id}?version=${deleting!.version}`)} onDeleted={() => void invalidateServices(qc)} />
    </Card>
  );
}
