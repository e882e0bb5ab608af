/** The lanes one may see, each with its plan; planners create lanes here. */
import { Alert, Anchor, Button, Card, Group, Modal, NumberInput, Select, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { AccountPicker } from '../../../web/forms/account-picker.js';
import { useFormat } from '../../../web/format.js';
import { useSession } from '../../../web/session.js';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { useModeName } from '../../delivery/web/transport-mode.js';
import { type Lane, MODES, type Mode, planRoles, useCreateLane, useLanes } from './lanes-api.js';
import { ModeBadge, PlanLine } from './lanes-ui.js';

export function LanesList({ items }: { items: Lane[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <Table.ScrollContainer minWidth={640} visibleFrom="sm">
        <Table striped highlightOnHover>
          <Table.Thead><Table.Tr>
            <Table.Th>{t('lanes.col.code')}</Table.Th><Table.Th>{t('lanes.col.name')}</Table.Th><Table.Th>{t('lanes.col.dealer')}</Table.Th>
            <Table.Th>{t('lanes.col.default')}</Table.Th><Table.Th ta="right">{t('lanes.col.tonnes')}</Table.Th><Table.Th>{t('lanes.col.plan')}</Table.Th>
          </Table.Tr></Table.Thead>
          <Table.Tbody>
            {items.map((l) => (
              <Table.Tr key={l.id}>
                <Table.Td><Anchor component={Link} to={`/lanes/${encodeURIComponent(l.code)}`}>{l.code}</Anchor></Table.Td>
                <Table.Td>{l.name}<Text size="xs" c="dimmed">{l.originName} → {l.ports.length ? l.ports.map((p) => p.name).join(', ') : t('lanes.inland')}</Text></Table.Td>
                <Table.Td>{l.account.code} {l.account.name}</Table.Td>
                <Table.Td><ModeBadge mode={l.defaultMode} /></Table.Td>
                <Table.Td ta="right">{f.number(l.annualTonnes)}</Table.Td>
                <Table.Td><PlanLine lane={l} />{l.proposedRules > 0 && <Text size="xs" c="orange.8">{t('lanes.awaiting', { count: l.proposedRules })}</Text>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Stack hiddenFrom="sm" gap="xs">
        {items.map((l) => (
          <Card key={l.id} withBorder padding="sm" component={Link} to={`/lanes/${encodeURIComponent(l.code)}`}>
            <Group justify="space-between" wrap="nowrap"><Text fw={600}>{l.code}</Text><ModeBadge mode={l.defaultMode} /></Group>
            <Text size="sm">{l.name}</Text>
            <Text size="sm" c="dimmed">{l.account.code} {l.account.name}</Text>
            <PlanLine lane={l} />
            {l.proposedRules > 0 && <Text size="xs" c="orange.8">{t('lanes.awaiting', { count: l.proposedRules })}</Text>}
          </Card>
        ))}
      </Stack>
    </>
  );
}

/** "Ningbo, 29.87, 121.55" per line → ports; null when a line does not read. */
function parsePorts(text: string): { name: string; lat: number; lng: number }[] | null {
  const out = [];
  for (const line of text.split('\n').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(.+?)[,，]\s*(-?\d+(?:\.\d+)?)[,，]\s*(-?\d+(?:\.\d+)?)$/.exec(line);
    if (!m || Math.abs(Number(m[2])) > 90 || Number(m[3]) < -180 || Number(m[3]) > 360) return null;
    out.push({ name: m[1]!.trim(), lat: Number(m[2]), lng: Number(m[3]) });
  }
  return out;
}

function CreateLane({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const modeName = useModeName();
  const nav = useNavigate();
  const create = useCreateLane();
  const [v, setV] = useState({ code: '', name: '', accountId: null as string | null, originName: '', originLat: '' as number | string, originLng: '' as number | string, ports: '', typhoonDistanceKm: 200 as number | string, defaultMode: 'ship' as Mode, annualTonnes: '' as number | string });
  const ports = parsePorts(v.ports);
  const codeOk = /^[A-Za-z0-9._-]{1,40}$/.test(v.code);
  const ok = codeOk && v.name.trim() && v.accountId && v.originName.trim() && typeof v.originLat === 'number' && typeof v.originLng === 'number' && ports && typeof v.annualTonnes === 'number' && typeof v.typhoonDistanceKm === 'number';
  const submit = () => {
    if (!ok) return;
    create.mutate({
      code: v.code, name: v.name.trim(), accountId: v.accountId!, originName: v.originName.trim(), originLat: Number(v.originLat), originLng: Number(v.originLng), ports: ports!,
      typhoonDistanceKm: Number(v.typhoonDistanceKm), defaultMode: v.defaultMode, annualTonnes: Number(v.annualTonnes),
    }, { onSuccess: (l) => { onClose(); void nav(`/lanes/${encodeURIComponent(l.code)}`); } });
  };
  return (
    <Stack>
      <TextInput label={t('lanes.col.code')} required value={v.code} onChange={(e) => setV({ ...v, code: e.currentTarget.value.trim() })} error={v.code && !codeOk ? t('lanes.codeRule') : undefined} />
      <TextInput label={t('lanes.col.name')} required value={v.name} onChange={(e) => setV({ ...v, name: e.currentTarget.value })} />
      <AccountPicker label={t('lanes.col.dealer')} required value={v.accountId} onChange={(id) => setV({ ...v, accountId: id })} />
      <TextInput label={t('lanes.origin')} required value={v.originName} onChange={(e) => setV({ ...v, originName: e.currentTarget.value })} />
      <Group grow>
        <NumberInput label={t('lanes.lat')} required min={-90} max={90} decimalScale={4} value={v.originLat} onChange={(x) => setV({ ...v, originLat: x })} />
        <NumberInput label={t('lanes.lng')} required min={-180} max={360} decimalScale={4} value={v.originLng} onChange={(x) => setV({ ...v, originLng: x })} />
      </Group>
      <Textarea label={t('lanes.ports')} description={t('lanes.portsHint')} value={v.ports} onChange={(e) => setV({ ...v, ports: e.currentTarget.value })} autosize minRows={2} error={ports ? undefined : t('lanes.portsError')} />
      <Group grow>
        <NumberInput label={t('lanes.distance')} min={1} max={2000} value={v.typhoonDistanceKm} onChange={(x) => setV({ ...v, typhoonDistanceKm: x })} />
        <NumberInput label={t('lanes.col.tonnes')} required min={0} value={v.annualTonnes} onChange={(x) => setV({ ...v, annualTonnes: x })} />
      </Group>
      <Select label={t('lanes.col.default')} data={MODES.map((m) => ({ value: m, label: modeName(m) }))} value={v.defaultMode} allowDeselect={false} onChange={(x) => x && setV({ ...v, defaultMode: x as Mode })} />
      {create.error && <Alert color="red">{(create.error as Error).message}</Alert>}
      <Group justify="flex-end"><Button variant="default" onClick={onClose}>{t('lanes.cancel')}</Button><Button onClick={submit} disabled={!ok} loading={create.isPending}>{t('lanes.create')}</Button></Group>
    </Stack>
  );
}

export function LanesPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const q = useLanes();
  const [creating, setCreating] = useState(false);
  const canPlan = !!me && planRoles.includes(me.role);
  return (
    <Stack>
      <PageHeader title={t('lanes.title')} subtitle={t('lanes.subtitle')} actions={canPlan ? <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>{t('lanes.new')}</Button> : undefined} />
      {q.isLoading ? <Loading /> : q.error ? <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        : !q.data!.items.length ? <Empty title={t('lanes.none')}>{t('lanes.noneHint')}</Empty> : <LanesList items={q.data!.items} />}
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('lanes.new')} size="lg">{creating && <CreateLane onClose={() => setCreating(false)} />}</Modal>
    </Stack>
  );
}
