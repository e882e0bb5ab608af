import { ActionIcon, Anchor, Avatar, Badge, Card, Grid, Group, Stack, Table, Tabs, Text, Timeline, Title, Button } from '@mantine/core';
import { accountPaths } from './account-first-load.js';
import { IconAddressBook, IconHistory, IconMap2, IconTimeline, IconMail, IconPhone, IconPencil, IconPlus, IconX, IconNotes } from '@tabler/icons-react';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { useAccount, useConfig, usePaged, useStaff } from '../api/queries.js';
import type { Activity, AuditEntry, Contact, Site } from '../api/types.js';
import { useFormat } from '../format.js';
import { useNames } from '../names.js';
import { capabilities, useSession } from '../session.js';
import { allowedFor, features } from '../features.js';
import { AccountName } from '../ui/account-name.js';
import { StatusBadge, TierBadge } from '../ui/badges.js';
import { initials } from '../ui/layout.js';
import { PageHeader } from '../ui/page-header.js';
import { Empty, ErrorState, Loading } from '../ui/states.js';
import { activityIcon } from './home-page.js';
import { AuditChange } from './audit-page.js';
import type { Account } from '../api/types.js';
import { ActivityFormModal, DeleteActivity } from '../forms/activity-form.js';
import { ContactFormModal, DeleteContact } from '../forms/contact-form.js';
import { RowActions } from '../forms/kit.js';
import { DeleteSite, SiteFormModal } from '../forms/site-form.js';
import { RemoveTeamMember, TeamMemberModal } from '../forms/team-member-form.js';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.js';
import type { AccountFact } from '../../platform/contributions.contract.js';
import { AccountTimeline } from '../contributions/account-timeline.js';
import { FactGrid } from '../contributions/fact-card.js';

// The form loads when it is first opened.
const AccountFormModal = lazy(() => import('../forms/account-form.js').then((m) => ({ default: m.AccountFormModal })));


const SiteMap = lazy(() => import('../map/site-map.js'));

function ShowMore({ q }: { q: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  const { t } = useTranslation();
  if (!q.hasNextPage) return null;
  return <Group justify="center" mt="sm"><Button variant="light" size="xs" loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>{t('common.showMore')}</Button></Group>;
}

function SitesPanel({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const n = useNames();
  const { me } = useSession();
  const canWrite = capabilities(me?.role).siteWrite;
  const [editing, setEditing] = useState<Site | null>(null);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Site | null>(null);
  const sites = usePaged<Site>('sites', '/sites', { accountId, limit: 200 });
  const config = useConfig();
  const rows = sites.data?.pages.flatMap((p) => p.items) ?? [];
  if (sites.isPending || config.isPending) return <Loading />;
  if (sites.isError) return <ErrorState error={sites.error} onRetry={() => void sites.refetch()} />;
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Suspense fallback={<Loading />}><SiteMap sites={rows} tileUrl={config.data?.tileUrl ?? null} /></Suspense>
        {rows.length > 0 && rows.every((s) => s.lat === null) && <Text size="sm" c="dimmed" mt="xs">{t('account.noCoordinates')}</Text>}
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Group justify="space-between" mb="xs" wrap="nowrap">
          <Title order={3} size="h5">{t('account.sitesCount', { count: rows.length })}</Title>
          {canWrite && <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)}>{t('siteForm.add')}</Button>}
        </Group>
        {rows.length === 0 ? <Empty title={t('account.noSites')} /> : (
          <Stack gap="xs">
            {rows.map((s) => (
              <Card key={s.id} padding="sm" data-testid="site-card">
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <div style={{ minWidth: 0 }}>
                    <Group gap={6}><Text fw={600} size="sm">{s.name}</Text><Badge variant="light" size="sm">{t(`siteKinds.${s.kind}`)}</Badge></Group>
                  </div>
                  {canWrite && <RowActions name={s.name} onEdit={() => setEditing(s)} onDelete={() => setDeleting(s)} />}
                </Group>
                <Text size="xs" c="dimmed">{[n.place(s.province, s.city), s.address].filter(Boolean).join(' · ') || '—'}</Text>
              </Card>
            ))}
          </Stack>
        )}
      </Grid.Col>
      {canWrite && <>
        <SiteFormModal opened={adding || !!editing} onClose={() => { setAdding(false); setEditing(null); }} site={editing} accountId={accountId} />
        <DeleteSite site={deleting} onClose={() => setDeleting(null)} />
      </>}
    </Grid>
  );
}

function ContactsPanel({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { me } = useSession();
  const canWrite = capabilities(me?.role).contactWrite;
  const [editing, setEditing] = useState<Contact | null>(null);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Contact | null>(null);
  const contacts = usePaged<Contact>('contacts', '/contacts', { accountId, limit: 100, sort: 'name' });
  const rows = contacts.data?.pages.flatMap((p) => p.items) ?? [];
  if (contacts.isPending) return <Loading />;
  if (contacts.isError) return <ErrorState error={contacts.error} onRetry={() => void contacts.refetch()} />;
  return (
    <>
      {canWrite && <Group justify="flex-end" mb="sm"><Button size="sm" leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>{t('contactForm.add')}</Button></Group>}
      {canWrite && <>
        <ContactFormModal opened={adding || !!editing} onClose={() => { setAdding(false); setEditing(null); }} contact={editing} accountId={accountId} />
        <DeleteContact contact={deleting} onClose={() => setDeleting(null)} />
      </>}
      {!rows.length && <Empty title={t('contacts.empty')} />}
      <Grid>
        {rows.map((c) => (
          <Grid.Col key={c.id} span={{ base: 12, sm: 6, lg: 4 }}>
            <Card padding="md" h="100%" data-testid="contact-card">
              <Group wrap="nowrap" align="flex-start">
                <Avatar radius="xl" color="brand" aria-hidden="true">{initials(c.name)}</Avatar>
                <div style={{ minWidth: 0, flex: 1 }}>
                  <Group justify="space-between" wrap="nowrap" align="flex-start" gap={4}>
                    <Text fw={600}><AccountName account={c} secondary /></Text>
                    {canWrite && <RowActions name={c.name} onEdit={() => setEditing(c)} onDelete={() => setDeleting(c)} />}
                  </Group>
                  <Text size="sm" c="dimmed">{c.title ?? '—'}</Text>
                  <Group gap={4} mt={6}>
                    <Badge size="xs" variant="light">{t(`decisionRoles.${c.decisionRole}`)}</Badge>
                    <Badge size="xs" variant="outline" color="gray">{t('contacts.influenceValue', { value: c.influence })}</Badge>
                  </Group>
                  {c.phone && <Group gap={4} mt={6}><IconPhone size={14} /><Anchor href={`tel:${c.phone}`} size="sm">{c.phone}</Anchor></Group>}
                  {c.email && <Group gap={4}><IconMail size={14} /><Anchor href={`mailto:${c.email}`} size="sm" truncate>{c.email}</Anchor></Group>}
                  <Text size="xs" c="dimmed" mt={4}>
                    {t('contacts.prefers', { channel: t(`channels.${c.preferredChannel}`) })}
                    {c.birthday ? ` · ${t('contacts.birthdayOn', { date: f.monthDay(c.birthday) })}` : ''}
                  </Text>
                </div>
              </Group>
            </Card>
          </Grid.Col>
        ))}
      </Grid>
      <ShowMore q={contacts} />
    </>
  );
}

function ActivityPanel({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { me } = useSession();
  const canWrite = capabilities(me?.role).activityWrite;
  const [editing, setEditing] = useState<Activity | null>(null);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Activity | null>(null);
  const staff = useStaff();
  const acts = usePaged<Activity>('activities', '/activities', { accountId, limit: 30 });
  const rows = acts.data?.pages.flatMap((p) => p.items) ?? [];
  const nameOf = (id: string) => staff.data?.items.find((u) => u.id === id)?.name;
  if (acts.isPending) return <Loading />;
  if (acts.isError) return <ErrorState error={acts.error} onRetry={() => void acts.refetch()} />;
  return (
    <>
      {canWrite && <Group justify="flex-end"><Button size="sm" leftSection={<IconNotes size={16} />} onClick={() => setAdding(true)}>{t('activityForm.log')}</Button></Group>}
      {canWrite && <>
        <ActivityFormModal opened={adding || !!editing} onClose={() => { setAdding(false); setEditing(null); }} activity={editing} accountId={accountId} />
        <DeleteActivity activity={deleting} onClose={() => setDeleting(null)} />
      </>}
      {!rows.length && <Empty title={t('account.noActivity')} />}
      <Timeline bulletSize={28} lineWidth={2} mt="sm">
        {rows.map((a) => {
          const Icon = activityIcon[a.kind];
          return (
            <Timeline.Item key={a.id} bullet={<Icon size={15} />} data-testid="activity-item" title={
              <Group justify="space-between" wrap="nowrap" gap={4}>
                <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                  <Text fw={600} size="sm">{a.subject}</Text>
                  {a.visitId && <Badge size="xs" variant="light" color="teal" data-testid="program-visit">{t('account.programVisit')}</Badge>}
                </Group>
                {/* One's own activities only: the record of someone else's call is theirs to correct. A program visit's is changed on the visit. */}
                {canWrite && a.userId === me?.id && !a.visitId && <RowActions name={a.subject} onEdit={() => setEditing(a)} onDelete={() => setDeleting(a)} />}
              </Group>}>
              <Text size="xs" c="dimmed" className="ok-timeline-time">
                {f.dateTime(a.startsAt)} · {t(`activityKinds.${a.kind}`)} · {t('account.minutes', { count: a.durationMinutes })}{nameOf(a.userId) ? ` · ${nameOf(a.userId)}` : ''}
              </Text>
              {a.notes && <Text size="sm" mt={4}>{a.notes}</Text>}
            </Timeline.Item>
          );
        })}
      </Timeline>
      <ShowMore q={acts} />
    </>
  );
}

function HistoryPanel({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const audit = usePaged<AuditEntry>('account-audit', `/accounts/${accountId}/audit`, { limit: 30 });
  const rows = audit.data?.pages.flatMap((p) => p.items) ?? [];
  if (audit.isPending) return <Loading />;
  if (audit.isError) return <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />;
  if (!rows.length) return <Empty title={t('audit.empty')} />;
  return (
    <>
      <Table.ScrollContainer minWidth={600}>
        <Table verticalSpacing="xs">
          <Table.Thead><Table.Tr><Table.Th>{t('audit.when')}</Table.Th><Table.Th>{t('audit.who')}</Table.Th><Table.Th>{t('audit.what')}</Table.Th><Table.Th>{t('audit.change')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {rows.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td><Text size="sm" style={{ whiteSpace: 'nowrap' }}>{f.dateTime(e.at)}</Text></Table.Td>
                <Table.Td><Text size="sm">{e.actorLabel === 'system' ? t('audit.system') : e.actorLabel.replace(/\s*<.*>$/, '')}</Text></Table.Td>
                <Table.Td><Text size="sm">{t(`audit.actions.${e.action}`, { defaultValue: e.action })} · {t(`audit.entities.${e.entity}`, { defaultValue: e.entity })}</Text></Table.Td>
                <Table.Td><AuditChange entry={e} /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ShowMore q={audit} />
    </>
  );
}

export function AccountPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { me } = useSession();
  const can = capabilities(me?.role);
  const featureTabs = features.flatMap((f) => f.accountTabs ?? []).filter((ft) => allowedFor(me, ft.roles));
  const n = useNames();
  const account = useAccount(id);
  const [params, setParams] = useSearchParams();
  const [editOpen, setEditOpen] = useState(false);
  const [logOpen, setLogOpen] = useState(false);
  const [addMember, setAddMember] = useState(false);
  const [removing, setRemoving] = useState<Account['team'][number] | null>(null);
  const facts = useQuery({ queryKey: ['account-facts', id], queryFn: () => api<{ items: AccountFact[]; unavailable: string[] }>(accountPaths.facts(id!)), enabled: !!id });
  // The timeline is where a manager starts; the portal (no timeline) starts on the sites. "overview" was the sites tab's old name.
  const defaultTab = can.activities ? 'timeline' : 'sites';
  const requested = params.get('tab');
  const tab = requested === 'overview' ? 'sites' : requested ?? defaultTab;
  const openTab = (v: string | null) => {
    const p = new URLSearchParams(params);
    if (v && v !== defaultTab) p.set('tab', v); else p.delete('tab');
    setParams(p, { replace: true });
  };
  if (account.isPending) return <Loading />;
  if (account.isError) return <ErrorState error={account.error} onRetry={() => void account.refetch()} />;
  const a = account.data;
  const place = n.place(a.province, a.city);
  return (
    <>
      <PageHeader
        title={n.primary(a)}
        badge={<><TierBadge tier={a.tier} size="lg" label="long" /><StatusBadge status={a.status} size="lg" /></>}
        subtitle={<><span className="ok-code">{a.code}</span>{n.secondary(a) ? ` · ${n.secondary(a)}` : ''}{place ? ` · ${place}` : ''} · {t(`accountKinds.${a.kind}`)}</>}
        actions={(can.accountWrite || can.activityWrite) ? <>
          {can.activityWrite && <Button leftSection={<IconNotes size={16} />} onClick={() => setLogOpen(true)}>{t('activityForm.log')}</Button>}
          {can.accountWrite && <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditOpen(true)}>{t('accountForm.edit')}</Button>}
        </> : undefined}
      />
      {can.accountWrite && editOpen && <Suspense fallback={null}><AccountFormModal opened onClose={() => setEditOpen(false)} account={a} /></Suspense>}
      {can.activityWrite && <ActivityFormModal opened={logOpen} onClose={() => setLogOpen(false)} accountId={a.id} />}
      {can.accountWrite && <TeamMemberModal opened={addMember} onClose={() => setAddMember(false)} account={a} />}
      {can.accountWrite && <RemoveTeamMember account={a} member={removing} onClose={() => setRemoving(null)} />}
      {can.staff && (
        <Card mb="lg" padding="md">
          <Group gap="xl" wrap="wrap" align="flex-start">
            <div>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t('account.owner')}</Text>
              <Group gap="xs" mt={4}>
                <Avatar size="sm" radius="xl" color="brand" aria-hidden="true">{initials(a.ownerName ?? '?')}</Avatar>
                <Text fw={500}>{a.ownerName ?? t('account.noOwner')}</Text>
              </Group>
            </div>
            <div style={{ flex: 1, minWidth: 220 }}>
              <Group gap="xs" justify="space-between" wrap="nowrap">
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t('account.team')}</Text>
                {can.accountWrite && <Button size="compact-xs" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => setAddMember(true)}>{t('teamForm.add')}</Button>}
              </Group>
              {a.team.length === 0 ? <Text size="sm" c="dimmed" mt={4}>{t('account.noTeam')}</Text> : (
                <Group gap="lg" mt={4}>
                  {a.team.map((m) => (
                    <Group key={m.userId} gap={8} wrap="nowrap">
                      <Avatar size="sm" radius="xl" color="brand" aria-hidden="true">{initials(m.name)}</Avatar>
                      <div>
                        <Text size="sm" fw={500} lh={1.2}>{m.name}</Text>
                        <Text size="xs" c="dimmed" lh={1.2}>{t(`teamRoles.${m.role}`)}</Text>
                      </div>
                      {can.accountWrite && <ActionIcon variant="subtle" color="gray" size="md" aria-label={t('teamForm.removeNamed', { name: m.name })} onClick={() => setRemoving(m)}><IconX size={14} /></ActionIcon>}
                    </Group>
                  ))}
                </Group>
              )}
            </div>
          </Group>
        </Card>
      )}
      {!!facts.data?.items.length && <FactGrid facts={facts.data.items} onTab={(v) => { openTab(v); document.getElementById('account-tabs')?.scrollIntoView({ behavior: 'smooth' }); }} />}
      <Tabs id="account-tabs" value={tab} onChange={openTab} keepMounted={false}>
        <Tabs.List mb="md">
          {can.activities && <Tabs.Tab value="timeline" leftSection={<IconTimeline size={16} />}>{t('account.tabs.timeline')}</Tabs.Tab>}
          <Tabs.Tab value="sites" leftSection={<IconMap2 size={16} />}>{t('account.tabs.sites')}</Tabs.Tab>
          {can.contacts && <Tabs.Tab value="contacts" leftSection={<IconAddressBook size={16} />}>{t('account.tabs.contacts')}</Tabs.Tab>}
          {can.activities && <Tabs.Tab value="activity" leftSection={<IconNotes size={16} />}>{t('account.tabs.activity')}</Tabs.Tab>}
          {can.activities && <Tabs.Tab value="history" leftSection={<IconHistory size={16} />}>{t('account.tabs.history')}</Tabs.Tab>}
          {featureTabs.map((ft) => <Tabs.Tab key={ft.value} value={ft.value} leftSection={ft.icon}>{t(ft.labelKey)}</Tabs.Tab>)}
        </Tabs.List>
        {can.activities && <Tabs.Panel value="timeline"><Card><AccountTimeline accountId={a.id} onTab={openTab} /></Card></Tabs.Panel>}
        <Tabs.Panel value="sites"><SitesPanel accountId={a.id} /></Tabs.Panel>
        {can.contacts && <Tabs.Panel value="contacts"><ContactsPanel accountId={a.id} /></Tabs.Panel>}
        {can.activities && <Tabs.Panel value="activity"><Card><ActivityPanel accountId={a.id} /></Card></Tabs.Panel>}
        {can.activities && <Tabs.Panel value="history"><Card padding="sm"><HistoryPanel accountId={a.id} /></Card></Tabs.Panel>}
        {featureTabs.map((ft) => <Tabs.Panel key={ft.value} value={ft.value}><ft.component accountId={a.id} /></Tabs.Panel>)}
      </Tabs>
    </>
  );
}
