/**
 * An account's VMI settings (decision 034), from its Inventory tab: VMI on or off, the lead time
 * and visit rhythm (blank: derived, the derived value shown), site capacity and trucks, the time a
 * dealer has to sign, and per product the policy, minimum order, pack weight and the bounds the
 * dealer may sign within. Checked with the same Zod schema as the server (VmiSettingsBody).
 */
import { ActionIcon, Alert, Button, Checkbox, Chip, Drawer, Group, NumberInput, Select, SegmentedControl, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { IconSettings, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WEEKDAYS, type Weekday } from '../../../shared/time.js';
import { Loading } from '../../../web/ui/states.js';
import { VmiSettingsBody, type VmiPolicy } from '../vmi.contract.js';
import { type VmiSettings, useCatalogue, useSaveSettings, useVmiSettings } from './vmi-api.js';
import { useProductName, useVmiError } from './vmi-ui.js';

type Line = { productId: string; kind: 'minMax' | 'service'; minDays: number | ''; maxDays: number | ''; levelPct: number | ''; minOrder: number | ''; packKg: number | ''; changeDownPct: number | ''; changeUpPct: number | '' };
type Form = {
  enabled: boolean; leadTimeDays: number | ''; rhythmSet: boolean; weekdays: Weekday[]; everyWeeks: number | '';
  capacityKg: number | ''; capacityPallets: number | ''; truckKg: number | ''; truckPallets: number | ''; fullTrucks: boolean; expiryHours: number | ''; lines: Line[];
};

const num = (v: number | '') => (v === '' ? null : Number(v));
const blank = (v: number | null | undefined): number | '' => (v === null || v === undefined ? '' : v);

function formOf(s: VmiSettings): Form {
  return {
    enabled: s.enabled, leadTimeDays: s.leadTimeSource === 'set' ? s.leadTimeDays : '', rhythmSet: s.rhythmSource === 'set',
    weekdays: s.rhythm.weekdays as Weekday[], everyWeeks: s.rhythm.everyWeeks,
    capacityKg: blank(s.capacityKg), capacityPallets: blank(s.capacityPallets), truckKg: blank(s.truckKg), truckPallets: blank(s.truckPallets), fullTrucks: s.fullTrucks,
    expiryHours: s.expiryHours,
    lines: s.lines.map((l) => ({
      productId: l.productId, kind: l.policy.kind, minDays: blank(l.policy.minDays), maxDays: blank(l.policy.maxDays),
      levelPct: l.policy.kind === 'service' ? Math.round(l.policy.level * 1000) / 10 : 95, minOrder: l.minOrder, packKg: l.packKg,
      changeDownPct: l.changeDownPct, changeUpPct: l.changeUpPct,
    })),
  };
}

function bodyOf(f: Form): unknown {
  return {
    enabled: f.enabled, leadTimeDays: num(f.leadTimeDays), rhythm: f.rhythmSet ? { weekdays: f.weekdays, everyWeeks: num(f.everyWeeks) ?? 1 } : null,
    capacityKg: num(f.capacityKg), capacityPallets: num(f.capacityPallets), truckKg: num(f.truckKg), truckPallets: num(f.truckPallets), fullTrucks: f.fullTrucks,
    expiryHours: num(f.expiryHours),
    lines: f.lines.map((l) => {
      const days = { ...(l.minDays !== '' ? { minDays: l.minDays } : {}), ...(l.maxDays !== '' ? { maxDays: l.maxDays } : {}) };
      const policy: VmiPolicy | Record<string, unknown> = l.kind === 'minMax' ? { kind: 'minMax', minDays: num(l.minDays), maxDays: num(l.maxDays) } : { kind: 'service', level: l.levelPct === '' ? null : l.levelPct / 100, ...days };
      return { productId: l.productId, policy, minOrder: num(l.minOrder) ?? 0, packKg: num(l.packKg), changeDownPct: num(l.changeDownPct) ?? 20, changeUpPct: num(l.changeUpPct) ?? 20 };
    }),
  };
}

export function VmiSettingsButton({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="default" leftSection={<IconSettings size={16} />} onClick={() => setOpen(true)} data-testid="vmi-settings-open">{t('vmi.settings.open')}</Button>
      <Drawer opened={open} onClose={() => setOpen(false)} position="right" size="lg" title={<Title order={4}>{t('vmi.settings.title')}</Title>}>
        {open && <SettingsForm accountId={accountId} onDone={() => setOpen(false)} />}
      </Drawer>
    </>
  );
}

function SettingsForm({ accountId, onDone }: { accountId: string; onDone: () => void }) {
  const q = useVmiSettings(accountId);
  if (!q.data) return <Loading />;
  return <SettingsFields settings={q.data} accountId={accountId} onDone={onDone} />;
}

function SettingsFields({ settings, accountId, onDone }: { settings: VmiSettings; accountId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const name = useProductName();
  const err = useVmiError();
  const catalogue = useCatalogue();
  const save = useSaveSettings(accountId);
  const [f, setF] = useState<Form>(() => formOf(settings));
  const [issues, setIssues] = useState<Map<string, string>>(new Map());
  const [adding, setAdding] = useState<string | null>(null);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((x) => ({ ...x, [k]: v }));
  const setLine = (i: number, patch: Partial<Line>) => setF((x) => ({ ...x, lines: x.lines.map((l, j) => (j === i ? { ...l, ...patch } : l)) }));
  const issue = (path: string) => issues.get(path);
  const numIn = (v: number | '') => (v === '' ? '' : v);
  const onNum = (cb: (v: number | '') => void) => (v: string | number) => cb(v === '' ? '' : Number(v));

  const submit = () => {
    const parsed = VmiSettingsBody.safeParse(bodyOf(f));
    if (!parsed.success) {
      setIssues(new Map(parsed.error.issues.map((i) => [i.path.join('.'), i.message])));
      return;
    }
    setIssues(new Map());
    save.mutate(parsed.data, { onSuccess: onDone });
  };
  const products = catalogue.data ?? [];
  const used = new Set(f.lines.map((l) => l.productId));
  const options = products.filter((p) => !used.has(p.id)).map((p) => ({ value: p.id, label: `${p.sku} · ${name(p)}` }));
  const productOf = (id: string) => products.find((p) => p.id === id) ?? settings.lines.find((l) => l.productId === id);

  return (
    <Stack gap="sm" data-testid="vmi-settings">
      <Switch label={t('vmi.settings.enabled')} checked={f.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />
      <Group grow align="flex-start">
        <NumberInput label={t('vmi.settings.leadTime')} description={t('vmi.settings.derived', { value: settings.leadTimeDays, source: t(`vmi.settings.source.${settings.leadTimeSource}`) })}
          value={numIn(f.leadTimeDays)} onChange={onNum((v) => set('leadTimeDays', v))} min={0} max={365} allowDecimal={false} error={issue('leadTimeDays')} />
        <NumberInput label={t('vmi.settings.expiryHours')} value={numIn(f.expiryHours)} onChange={onNum((v) => set('expiryHours', v))} min={1} max={1440} allowDecimal={false} error={issue('expiryHours')} />
      </Group>
      <Checkbox label={t('vmi.settings.rhythmSet')} description={f.rhythmSet ? undefined : t('vmi.settings.rhythmDerived', { days: settings.rhythm.weekdays.map((d) => t(`weekdays.${d}`)).join(', '), weeks: settings.rhythm.everyWeeks })}
        checked={f.rhythmSet} onChange={(e) => set('rhythmSet', e.currentTarget.checked)} />
      {f.rhythmSet && (
        <Group gap="xs" align="flex-end">
          <Chip.Group multiple value={f.weekdays} onChange={(v) => set('weekdays', v as Weekday[])}>
            <Group gap={4}>{WEEKDAYS.map((d) => <Chip key={d} value={d} size="xs">{t(`weekdays.${d}`)}</Chip>)}</Group>
          </Chip.Group>
          <NumberInput w={110} label={t('vmi.settings.everyWeeks')} value={numIn(f.everyWeeks)} onChange={onNum((v) => set('everyWeeks', v))} min={1} max={12} allowDecimal={false} />
          {issue('rhythm.weekdays') && <Text c="red" size="xs">{t('vmi.settings.weekdaysNeeded')}</Text>}
        </Group>
      )}
      <Group grow align="flex-start">
        <NumberInput label={t('vmi.settings.capacityKg')} value={numIn(f.capacityKg)} onChange={onNum((v) => set('capacityKg', v))} min={0} error={issue('capacityKg')} />
        <NumberInput label={t('vmi.settings.capacityPallets')} value={numIn(f.capacityPallets)} onChange={onNum((v) => set('capacityPallets', v))} min={0} error={issue('capacityPallets')} />
      </Group>
      <Group grow align="flex-start">
        <NumberInput label={t('vmi.settings.truckKg')} value={numIn(f.truckKg)} onChange={onNum((v) => set('truckKg', v))} min={0} error={issue('truckKg')} />
        <NumberInput label={t('vmi.settings.truckPallets')} value={numIn(f.truckPallets)} onChange={onNum((v) => set('truckPallets', v))} min={0} error={issue('truckPallets')} />
      </Group>
      <Checkbox label={t('vmi.settings.fullTrucks')} checked={f.fullTrucks} onChange={(e) => set('fullTrucks', e.currentTarget.checked)} />

      <Title order={5}>{t('vmi.settings.lines')}</Title>
      {f.lines.length === 0 && <Text size="sm" c="dimmed">{t('vmi.settings.noLines')}</Text>}
      {f.lines.map((l, i) => {
        const p = productOf(l.productId);
        const at = (k: string) => issue(`lines.${i}.${k}`) ?? issue(`lines.${i}.policy.${k}`);
        return (
          <Stack key={l.productId} gap={6} p="xs" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 6 }} data-testid="vmi-settings-line">
            <Group justify="space-between" wrap="nowrap">
              <Text fw={600} size="sm">{p ? `${p.sku ?? ''} · ${name(p)}` : l.productId}</Text>
              <ActionIcon variant="subtle" color="red" aria-label={t('vmi.settings.remove')} title={t('vmi.settings.remove')} onClick={() => setF((x) => ({ ...x, lines: x.lines.filter((_, j) => j !== i) }))}><IconTrash size={16} /></ActionIcon>
            </Group>
            <SegmentedControl size="xs" value={l.kind} onChange={(v) => setLine(i, { kind: v as Line['kind'] })}
              data={[{ value: 'minMax', label: t('vmi.settings.minMax') }, { value: 'service', label: t('vmi.settings.service') }]} />
            <Table withRowBorders={false} verticalSpacing={2}>
              <Table.Tbody>
                <Table.Tr>
                  {l.kind === 'service' && <Table.Td><NumberInput size="xs" label={t('vmi.settings.levelPct')} value={numIn(l.levelPct)} onChange={onNum((v) => setLine(i, { levelPct: v }))} min={50} max={99.9} error={at('level')} /></Table.Td>}
                  <Table.Td><NumberInput size="xs" label={t('vmi.settings.minDays')} value={numIn(l.minDays)} onChange={onNum((v) => setLine(i, { minDays: v }))} min={0} error={at('minDays')} /></Table.Td>
                  <Table.Td><NumberInput size="xs" label={t('vmi.settings.maxDays')} value={numIn(l.maxDays)} onChange={onNum((v) => setLine(i, { maxDays: v }))} min={0} error={at('maxDays')} /></Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td><NumberInput size="xs" label={t('vmi.settings.minOrder')} value={numIn(l.minOrder)} onChange={onNum((v) => setLine(i, { minOrder: v }))} min={0} allowDecimal={false} error={at('minOrder')} /></Table.Td>
                  <Table.Td><NumberInput size="xs" label={t('vmi.settings.packKg')} value={numIn(l.packKg)} onChange={onNum((v) => setLine(i, { packKg: v }))} min={0} error={at('packKg')} /></Table.Td>
                  <Table.Td><NumberInput size="xs" label={t('vmi.settings.bounds')} description={t('vmi.settings.boundsHint')} value={numIn(l.changeDownPct)} onChange={onNum((v) => setLine(i, { changeDownPct: v, changeUpPct: v }))} min={0} max={100} error={at('changeDownPct')} /></Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Stack>
        );
      })}
      <Group align="flex-end" gap="xs">
        <Select style={{ flex: 1 }} size="sm" searchable clearable label={t('vmi.settings.addProduct')} data={options} value={adding} onChange={setAdding} nothingFoundMessage={t('vmi.settings.noProduct')} />
        <Button variant="light" disabled={!adding} onClick={() => {
          if (!adding) return;
          setF((x) => ({ ...x, lines: [...x.lines, { productId: adding, kind: 'minMax', minDays: 7, maxDays: 21, levelPct: 95, minOrder: 0, packKg: '', changeDownPct: 20, changeUpPct: 20 }] }));
          setAdding(null);
        }}>{t('vmi.settings.add')}</Button>
      </Group>
      {issues.size > 0 && <Alert color="red" data-testid="vmi-settings-invalid">{t('vmi.settings.invalid')}</Alert>}
      {save.error && <Alert color="red">{err(save.error)}</Alert>}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>{t('vmi.cancel')}</Button>
        <Button onClick={submit} loading={save.isPending} data-testid="vmi-settings-save">{t('vmi.settings.save')}</Button>
      </Group>
    </Stack>
  );
}
