/** The account page's Relationships tab: the stakeholder map (gaps, list, graph) and the account's key dates. Staff only. */
import { Alert, Badge, Button, Card, Group, ScrollArea, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconPhoneCheck, IconPencil } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';
import { usePhone } from '../../../web/forms/kit.js';
import { useSession } from '../../../web/session.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import type { Stance } from '../stakeholders.domain.js';
import { KeyDatesPanel } from './key-dates-panel.js';
import { type Gap, type StakeholderMap, type StakeholderPerson, useContacted, useStakeholderMap, writeRoles } from './relationships-api.js';
import { StakeholderEditModal } from './stakeholder-edit.js';
import { byInfluence, isStale } from './relationships-view.js';
import { StakeholderGraph, stanceColour } from './stakeholder-graph.js';


export function AccountRelationshipsTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const f = useFormat();
  const canWrite = !!me && writeRoles.includes(me.role);
  const q = useStakeholderMap(accountId);
  const [editing, setEditing] = useState<StakeholderPerson | null>(null);
  const [view, setView] = useState<'list' | 'graph'>('list');
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const map = q.data;

  return (
    <Stack gap="md" data-testid="relationships-tab">
      <Gaps map={map} />
      <Card padding="md">
        <Group justify="space-between" mb="xs" wrap="wrap" gap="xs">
          <Title order={2} size="h4">{t('relationships.map.title')}</Title>
          {map.people.length > 0 && (
            <SegmentedControl size="xs" value={view} onChange={(v) => setView(v as 'list' | 'graph')} data={[{ value: 'list', label: t('relationships.map.list') }, { value: 'graph', label: t('relationships.map.graph') }]} data-testid="map-view" />
          )}
        </Group>
        {map.people.length === 0 ? (
          <Empty title={t('relationships.map.emptyTitle')}>{t('relationships.map.emptyBody')}</Empty>
        ) : view === 'graph' ? (
          <Stack gap={4}>
            <StakeholderGraph map={map} />
            <Text size="xs" c="dimmed">{t('relationships.graph.legend')}</Text>
          </Stack>
        ) : (
          <PeopleList map={map} canWrite={canWrite} onEdit={setEditing} />
        )}
        <Text size="xs" c="dimmed" mt="xs">{t('relationships.map.asOf', { date: f.date(`${map.asOf}T12:00:00Z`), days: map.rules.recentDays })}</Text>
      </Card>
      <KeyDatesPanel accountId={accountId} people={map.people} today={map.asOf} canWrite={canWrite} />
      <StakeholderEditModal accountId={accountId} person={editing} people={map.people} onClose={() => setEditing(null)} />
    </Stack>
  );
}

function Gaps({ map }: { map: StakeholderMap }) {
  const { t } = useTranslation();
  const names = new Map(map.people.map((p) => [p.contactId, p.name]));
  if (map.gaps.length === 0) {
    return <Alert color="green" variant="light" icon={<IconCircleCheck size={18} />} data-testid="gaps-none">{t('relationships.gaps.none')}</Alert>;
  }
  const text = (g: Gap): string => {
    const name = g.contactId ? names.get(g.contactId) ?? '' : '';
    if (g.code === 'decision_maker_not_contacted') return g.days === null ? t('relationships.gaps.decision_maker_never', { name }) : t('relationships.gaps.decision_maker_not_contacted', { name, count: g.days });
    if (g.code === 'single_point_of_contact') return name ? t('relationships.gaps.single_point_named', { name }) : t('relationships.gaps.single_point_of_contact');
    return t(`relationships.gaps.${g.code}`, { days: map.rules.decisionMakerDays });
  };
  return (
    <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title={t('relationships.gaps.title', { count: map.gaps.length })} data-testid="gaps">
      <Stack gap={4}>
        {map.gaps.map((g, i) => <Text key={`${g.code}-${g.contactId ?? i}`} size="sm" data-testid={`gap-${g.code}`}>• {text(g)}</Text>)}
      </Stack>
    </Alert>
  );
}

function StanceBadge({ stance }: { stance: Stance }) {
  const { t } = useTranslation();
  return <Badge size="sm" variant="light" tt="none" styles={{ root: { color: stanceColour[stance], backgroundColor: `${stanceColour[stance]}1f`, overflow: 'visible', flexShrink: 0 }, label: { overflow: 'visible' } }}>{t(`relationships.stance.${stance}`)}</Badge>;
}

function Freshness({ p, map }: { p: StakeholderPerson; map: StakeholderMap }) {
  const { t } = useTranslation();
  const stale = isStale(p, map.rules);
  return (
    <Group gap={6} wrap="wrap">
      <Text size="sm" c={stale ? 'red.8' : undefined} style={{ whiteSpace: 'nowrap' }}>{p.freshnessDays === null ? t('relationships.fresh.never') : t('relationships.fresh.days', { count: p.freshnessDays })}</Text>
      {stale && <Badge size="xs" color="red" variant="light" tt="none" styles={{ root: { overflow: 'visible', flexShrink: 0 }, label: { overflow: 'visible' } }} data-testid="stale-badge">{t('relationships.fresh.stale')}</Badge>}
    </Group>
  );
}

function PeopleList({ map, canWrite, onEdit }: { map: StakeholderMap; canWrite: boolean; onEdit: (p: StakeholderPerson) => void }) {
  const { t } = useTranslation();
  const phone = usePhone();
  const contacted = useContacted(map.accountId);
  const names = new Map(map.people.map((p) => [p.contactId, p.name]));
  const people = byInfluence(map.people);
  const strength = (p: StakeholderPerson) => (p.strength === null ? '—' : `${p.strength}/5`);
  const actions = (p: StakeholderPerson) => canWrite && (
    <Group gap={4} wrap="nowrap">
      <Button size="compact-xs" variant="subtle" leftSection={<IconPencil size={12} />} onClick={() => onEdit(p)} data-testid="edit-person">{t('common.edit')}</Button>
      <Button size="compact-xs" variant="subtle" color="teal" leftSection={<IconPhoneCheck size={12} />} disabled={p.freshnessDays === 0}
        loading={contacted.isPending && contacted.variables?.contactId === p.contactId}
        onClick={() => contacted.mutate({ contactId: p.contactId, on: map.asOf })} data-testid="contacted-today">{t('relationships.contactedToday')}</Button>
    </Group>
  );
  const unmapped = (p: StakeholderPerson) => !p.mapped && <Badge size="xs" variant="outline" color="gray" tt="none">{t('relationships.unmapped')}</Badge>;

  if (phone) {
    return (
      <Stack gap="xs">
        {people.map((p) => (
          <Card key={p.contactId} withBorder padding="sm" data-testid="person-row">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text fw={600} size="sm">{p.name}</Text>
                {p.title && <Text size="xs" c="dimmed">{p.title}</Text>}
              </Stack>
              <StanceBadge stance={p.stance} />
            </Group>
            <Group gap={6} mt={6}>
              <Badge size="sm" variant="default" tt="none">{t(`relationships.role.${p.buyingRole}`)}</Badge>
              <Text size="xs">{t('relationships.influenceN', { n: p.influence })}</Text>
              {unmapped(p)}
            </Group>
            <Text size="xs" c="dimmed" mt={4}>
              {t('relationships.col.owner')}: {p.owner?.name ?? '—'} · {t('relationships.col.strength')}: {strength(p)}
              {p.reportsToContactId && names.get(p.reportsToContactId) ? ` · ${t('relationships.col.reportsTo')}: ${names.get(p.reportsToContactId)}` : ''}
            </Text>
            <Group justify="space-between" mt={4} wrap="nowrap"><Freshness p={p} map={map} />{actions(p)}</Group>
          </Card>
        ))}
      </Stack>
    );
  }
  return (
    <ScrollArea type="auto">
      <Table verticalSpacing={6} highlightOnHover miw={940}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('relationships.col.name')}</Table.Th>
            <Table.Th>{t('relationships.col.role')}</Table.Th>
            <Table.Th>{t('relationships.col.stance')}</Table.Th>
            <Table.Th ta="center">{t('relationships.col.influence')}</Table.Th>
            <Table.Th>{t('relationships.col.owner')}</Table.Th>
            <Table.Th ta="center">{t('relationships.col.strength')}</Table.Th>
            <Table.Th>{t('relationships.col.lastContact')}</Table.Th>
            {canWrite && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {people.map((p) => (
            <Table.Tr key={p.contactId} data-testid="person-row">
              <Table.Td>
                <Text fw={600} size="sm">{p.name}</Text>
                <Text size="xs" c="dimmed">
                  {p.title ?? ''}
                  {p.reportsToContactId && names.get(p.reportsToContactId) ? `${p.title ? ' · ' : ''}${t('relationships.reportsToName', { name: names.get(p.reportsToContactId) })}` : ''}
                </Text>
              </Table.Td>
              <Table.Td><Group gap={4}><Text size="sm">{t(`relationships.role.${p.buyingRole}`)}</Text>{unmapped(p)}</Group></Table.Td>
              <Table.Td><StanceBadge stance={p.stance} /></Table.Td>
              <Table.Td ta="center"><Text size="sm">{p.influence}/5</Text></Table.Td>
              <Table.Td><Text size="sm">{p.owner?.name ?? '—'}</Text></Table.Td>
              <Table.Td ta="center"><Text size="sm">{strength(p)}</Text></Table.Td>
              <Table.Td><Freshness p={p} map={map} /></Table.Td>
              {canWrite && <Table.Td>{actions(p)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
