/** The service catalogue (admin): code, names, unit, unit cost in yuan (stored in minor units), department, active; create and edit. */
import { Badge, Button, Card, Group, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';
import { FormActions, FormModal, FormProblem, RowActions, useFormProblem, usePhone } from '../../../web/forms/kit.js';
import { useRules } from '../../../web/forms/rules.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { departments, units, type Department, type Unit } from '../services.domain.js';
import { invalidateServices, patch, post, useServiceKinds, useServicesWrite, type CreateServiceKind, type ServiceKind, type UpdateServiceKind } from './services-api.js';
import { decimalToMinor, minorToDecimal } from './services-format.js';

type Values = { code: string; name: string; nameEn: string; unit: Unit; unitCost: string; department: Department; active: boolean };

const valuesOf = (k: ServiceKind | null): Values => ({
  code: k?.code ?? '', name: k?.name ?? '', nameEn: k?.nameEn ?? '', unit: k?.unit ?? 'delivery_slot',
  unitCost: k ? minorToDecimal(k.unitCostMinor) : '', department: k?.department ?? 'logistics', active: k?.active ?? true,
});

function KindForm({ kind, onDone }: { kind: ServiceKind | null; onDone: () => void }) {
  const { t } = useTranslation();
  const r = useRules();
  const qc = useQueryClient();
  const { problem, onError, clear } = useFormProblem();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(kind),
    validate: {
      code: (v) => (!v.trim() ? t('errors.field.required') : v.trim().length > 40 ? t('errors.field.maxLength', { max: 40 }) : /^[a-z0-9_-]+$/.test(v.trim()) ? null : t('services.admin.codeRule')),
      name: r.required(120), nameEn: r.required(120),
      unitCost: (v) => (decimalToMinor(v) === null ? t('services.admin.costRule') : null),
    },
  });
  const save = useServicesWrite((v: Values) => {
    const fields: CreateServiceKind = {
      code: v.code.trim(), name: v.name.trim(), nameEn: v.nameEn.trim(), unit: v.unit, unitCostMinor: decimalToMinor(v.unitCost)!, department: v.department,
    };
    if (!kind) return post<ServiceKind>('/service-kinds', fields);
    const body: UpdateServiceKind = { ...fields, active: v.active, version: kind.version };
    return patch<ServiceKind>(`/service-kinds/${kind.id}`, body);
  });
  return (
    <form noValidate data-testid="kind-form" onSubmit={form.onSubmit((v) => {
      clear();
      save.mutate(v, { onSuccess: () => { notifications.show({ color: 'teal', message: t('forms.saved') }); onDone(); }, onError: (err) => onError(err, form) });
    })}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label={t('services.admin.code')} description={t('services.admin.codeHint')} required maxLength={40} {...form.getInputProps('code')} classNames={{ input: 'ok-code' }} />
          <Select label={t('services.admin.department')} allowDeselect={false} data={departments.map((d) => ({ value: d, label: t(`services.department.${d}`) }))} {...form.getInputProps('department')} />
          <TextInput label={t('services.admin.nameZh')} required lang="zh-CN" {...form.getInputProps('name')} />
          <TextInput label={t('services.admin.nameEn')} required lang="en" {...form.getInputProps('nameEn')} />
          <Select label={t('services.admin.unit')} allowDeselect={false} data={units.map((u) => ({ value: u, label: t(`services.unit.${u}`) }))} {...form.getInputProps('unit')} />
          <TextInput label={t('services.admin.unitCost')} description={t('services.admin.unitCostHint')} required inputMode="decimal" leftSection="¥" {...form.getInputProps('unitCost')} />
        </SimpleGrid>
        {kind && <Switch label={t('services.admin.active')} description={t('services.admin.activeHint')} {...form.getInputProps('active', { type: 'checkbox' })} />}
        <FormProblem problem={problem} onReload={() => { void invalidateServices(qc); onDone(); }} />
        <FormActions onCancel={onDone} loading={save.isPending} />
      </Stack>
    </form>
  );
}

export function CatalogueAdmin() {
  const { t } = useTranslation();
  const f = useFormat();
  const kinds = useServiceKinds();
  const phone = usePhone();
  const [editing, setEditing] = useState<ServiceKind | 'new' | null>(null);
  return (
    <Card padding="md" data-testid="catalogue">
      <Group justify="space-between" mb="sm" gap="xs">
        <div>
          <Text fw={600}>{t('services.admin.catalogue')}</Text>
          <Text size="sm" c="dimmed">{t('services.admin.catalogueHint')}</Text>
        </div>
        <Button size="xs" leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid="new-kind">{t('services.admin.newKind')}</Button>
      </Group>
      {kinds.isPending ? <Loading /> : kinds.isError ? <ErrorState error={kinds.error} onRetry={() => void kinds.refetch()} /> : kinds.data.length === 0 ? (
        <Empty title={t('services.admin.noKinds')} />
      ) : phone ? (
        <Stack gap="xs">
          {kinds.data.map((k) => (
            <Card key={k.id} padding="sm" data-testid="kind-row" style={k.active ? undefined : { opacity: 0.65 }}>
              <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                <div style={{ minWidth: 0 }}>
                  <Text size="sm" fw={600} lang="zh-CN">{k.name}</Text>
                  <Text size="xs" c="dimmed" lang="en">{k.nameEn}</Text>
                  <Text size="xs" c="dimmed" className="ok-code">{k.code}</Text>
                </div>
                <RowActions name={k.code} onEdit={() => setEditing(k)} />
              </Group>
              <Group gap={6} mt={6} wrap="wrap">
                <Text size="sm" className="ok-stat">{t('services.admin.costPer', { cost: f.money(k.unitCostMinor, k.currency), unit: t(`services.unit.${k.unit}`) })}</Text>
                <Text size="sm" c="dimmed">· {t(`services.department.${k.department}`)}</Text>
                {!k.active && <Badge color="gray" variant="light" size="sm" tt="none">{t('services.admin.inactive')}</Badge>}
              </Group>
            </Card>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('services.admin.code')}</Table.Th>
                <Table.Th>{t('services.admin.names')}</Table.Th>
                <Table.Th>{t('services.admin.unit')}</Table.Th>
                <Table.Th ta="right">{t('services.admin.unitCost')}</Table.Th>
                <Table.Th>{t('services.admin.department')}</Table.Th>
                <Table.Th>{t('services.admin.active')}</Table.Th>
                <Table.Th w={60}><VisuallyHidden>{t('common.actions')}</VisuallyHidden></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {kinds.data.map((k) => (
                <Table.Tr key={k.id} data-testid="kind-row" style={k.active ? undefined : { opacity: 0.65 }}>
                  <Table.Td><Text size="sm" className="ok-code">{k.code}</Text></Table.Td>
                  <Table.Td><Text size="sm" lang="zh-CN">{k.name}</Text><Text size="xs" c="dimmed" lang="en">{k.nameEn}</Text></Table.Td>
                  <Table.Td><Text size="sm">{t(`services.unit.${k.unit}`)}</Text></Table.Td>
                  <Table.Td ta="right"><Text size="sm" className="ok-stat">{f.money(k.unitCostMinor, k.currency)}</Text></Table.Td>
                  <Table.Td><Text size="sm">{t(`services.department.${k.department}`)}</Text></Table.Td>
                  <Table.Td>{k.active ? <Badge color="teal" variant="light" size="sm" tt="none">{t('services.admin.yes')}</Badge> : <Badge color="gray" variant="light" size="sm" tt="none">{t('services.admin.inactive')}</Badge>}</Table.Td>
                  <Table.Td><RowActions name={k.code} onEdit={() => setEditing(k)} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <FormModal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t('services.admin.newKind') : t('services.admin.editKind')} testId="kind-modal">
        <KindForm kind={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
      </FormModal>
    </Card>
  );
}
