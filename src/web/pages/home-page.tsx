import { Anchor, Badge, Button, Card, Group, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Timeline, Title } from '@mantine/core';
import { IconAlertTriangle, IconBuildingStore, IconCake, IconCalendarEvent, IconPhone, IconStar, IconUsersGroup, IconWalk } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client.js';
import { useAccount } from '../api/queries.js';
import type { Home, HomeAccount } from '../api/types.js';
import { useFormat } from '../format.js';
import { useNames } from '../names.js';
import { useSession } from '../session.js';
import { AccountName } from '../ui/account-name.js';
import { TierBadge } from '../ui/badges.js';
import { PageHeader } from '../ui/page-header.js';
import { Empty, ErrorState, Loading } from '../ui/states.js';
import { MyDay } from '../contributions/my-day.js';
import { PortalCards } from '../contributions/portal-cards.js';
import { PortalHelp } from '../../modules/services/web/portal-help.js';

const RevenueChart = lazy(() => import('../charts/revenue-chart.js'));

export const activityIcon = { call: IconPhone, meeting: IconUsersGroup, visit: IconWalk, event: IconCalendarEvent } as const;

function Stat({ label, value, icon }: { label: string; value: ReactNode; icon: ReactNode }) {
  return (
    <Card padding="md">
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{label}</Text>
          <Text fz={28} fw={700} className="ok-stat">{value}</Text>
        </div>
        <ThemeIcon variant="light" size={44} radius="md">{icon}</ThemeIcon>
      </Group>
    </Card>
  );
}

function AccountRow({ a }: { a: HomeAccount }) {
  const { t } = useTranslation();
  const f = useFormat();
  const n = useNames();
  return (
    <Group justify="space-between" wrap="nowrap" py={6} gap="sm">
      <div style={{ minWidth: 0 }}>
        <Group gap={6} wrap="nowrap">
          <TierBadge tier={a.tier} size="xs" />
          <Anchor component={Link} to={`/accounts/${a.id}`} fw={500} size="sm" truncate>{n.primary(a)}</Anchor>
        </Group>
        <Text size="xs" c="dimmed" truncate>{[n.city(a.city), a.ownerName].filter(Boolean).join(' · ')}</Text>
      </div>
      <Text size="xs" c={a.lastVisitAt ? 'dimmed' : 'red.9'} style={{ whiteSpace: 'nowrap' }}>
        {a.lastVisitAt ? t('home.visited', { when: f.relative(a.lastVisitAt) }) : t('home.neverVisited')}
      </Text>
    </Group>
  );
}

function DealerHome({ accountId }: { accountId: string | null }) {
  const { t } = useTranslation();
  const account = useAccount(accountId ?? undefined);
  const n = useNames();
  if (!accountId) return <Empty title={t('home.dealerNoAccount')} />;
  if (account.isPending) return <Loading />;
  if (account.isError) return <ErrorState error={account.error} onRetry={() => void account.refetch()} />;
  const a = account.data;
  return (
    <Card>
      <Stack gap="sm">
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{t('home.yourCompany')}</Text>
        <Title order={2} size="h3">{n.primary(a)}</Title>
        <Text size="sm" c="dimmed">{n.place(a.province, a.city)}</Text>
        <Text size="sm">{t('home.dealerIntro')}</Text>
        <Group><Button component={Link} to={`/accounts/${a.id}`}>{t('home.openCompany')}</Button></Group>
      </Stack>
    </Card>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const f = useFormat();
  const home = useQuery({ queryKey: ['home'], queryFn: () => api<Home>('/home') });
  const hour = new Date().getHours();
  const greeting = t(hour < 12 ? 'home.morning' : hour < 18 ? 'home.afternoon' : 'home.evening', { name: me?.name ?? '' });

  if (me?.role === 'dealer') {
    return (
      <>
        <PageHeader title={greeting} subtitle={t('roles.dealer')} />
        <PortalCards />
        <PortalHelp />
        <DealerHome accountId={me.accountId} />
      </>
    );
  }

  const h = home.data;
  const mine = me?.role === 'manager';
  return (
    <>
      <PageHeader title={greeting} subtitle={me ? t('home.subtitle', { role: t(`roles.${me.role}`) }) : undefined}
        actions={<Button component={Link} to="/accounts" variant="light" leftSection={<IconBuildingStore size={16} />}>{t('home.allAccounts')}</Button>} />
      {home.isError && <ErrorState error={home.error} onRetry={() => void home.refetch()} />}
      {home.isPending && (
        <SimpleGrid cols={{ base: 1, sm: 3 }} mb="lg">{[0, 1, 2].map((i) => <Skeleton key={i} h={90} radius="md" />)}</SimpleGrid>
      )}
      <MyDay />
      {h && (
        <Stack gap="lg" mt="lg">
          <SimpleGrid cols={{ base: 1, xs: 3 }}>
            <Stat label={t(mine ? 'home.myAccounts' : 'home.accountsInScope')} value={f.number(h.counts.accounts)} icon={<IconBuildingStore size={22} />} />
            <Stat label={t('home.keyAccounts')} value={f.number(h.counts.keyAccounts)} icon={<IconStar size={22} />} />
            <Stat label={t('home.activities30')} value={h.counts.activitiesLast30Days === null ? '—' : f.number(h.counts.activitiesLast30Days)} icon={<IconCalendarEvent size={22} />} />
          </SimpleGrid>

          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
            <Card>
              <Title order={2} size="h4" mb="xs">{t(mine ? 'home.myKeyAccounts' : 'home.keyAccountsTitle')}</Title>
              {h.keyAccounts.length === 0 ? <Empty title={t('home.noKeyAccounts')} /> : (
                <Stack gap={0}>{h.keyAccounts.map((a) => <AccountRow key={a.id} a={a} />)}</Stack>
              )}
            </Card>

            <Card>
              <Group gap="xs" mb="xs">
                <Title order={2} size="h4">{t('home.attention')}</Title>
                {h.attention.noVisit.length + (h.attention.birthdays?.length ?? 0) > 0 && (
                  <Badge color="red" variant="light">{f.number(h.attention.noVisit.length + (h.attention.birthdays?.length ?? 0))}</Badge>
                )}
              </Group>
              {h.attention.noVisit.length === 0 && !h.attention.birthdays?.length && <Empty title={t('home.allClear')}>{t('home.allClearBody')}</Empty>}
              {h.attention.noVisit.length > 0 && (
                <>
                  <Group gap={6} mt="xs"><IconAlertTriangle size={16} color="var(--mantine-color-orange-7)" /><Text size="sm" fw={600}>{t('home.noVisit30')}</Text></Group>
                  <Stack gap={0}>{h.attention.noVisit.map((a) => <AccountRow key={a.id} a={a} />)}</Stack>
                </>
              )}
              {!!h.attention.birthdays?.length && (
                <>
                  <Group gap={6} mt="md"><IconCake size={16} color="var(--mantine-color-pink-7)" /><Text size="sm" fw={600}>{t('home.birthdays')}</Text></Group>
                  {h.attention.birthdays.map((b) => (
                    <Group key={b.contactId} justify="space-between" py={6} wrap="nowrap">
                      <div style={{ minWidth: 0 }}>
                        <Text size="sm" fw={500} truncate><AccountName account={{ name: b.name, nameEn: b.nameEn }} /></Text>
                        <Anchor component={Link} to={`/accounts/${b.accountId}`} size="xs" c="dimmed" display="block" truncate><AccountName account={{ accountName: b.accountName, accountNameEn: b.accountNameEn }} /></Anchor>
                      </div>
                      <Badge variant="light" color={b.inDays <= 3 ? "pink" : "gray"} tt="none" style={{ flexShrink: 0 }}>
                        {b.inDays === 0 ? t('home.today') : t('home.inDays', { count: b.inDays, date: f.monthDay(b.date) })}
                      </Badge>
                    </Group>
                  ))}
                </>
              )}
            </Card>
          </SimpleGrid>

          <SimpleGrid cols={{ base: 1, md: h.revenueByMonth.length ? 2 : 1 }} spacing="lg">
            <Card>
              <Title order={2} size="h4" mb="md">{t('home.recentActivity')}</Title>
              {!h.recentActivity?.length ? <Empty title={t('home.noActivity')} /> : (
                <Timeline bulletSize={26} lineWidth={2}>
                  {h.recentActivity.map((a) => {
                    const Icon = activityIcon[a.kind];
                    return (
                      <Timeline.Item key={a.id} bullet={<Icon size={14} />} title={<Text size="sm" fw={500}>{a.subject}</Text>}>
                        <Text size="xs" c="dimmed">
                          <Anchor component={Link} to={`/accounts/${a.accountId}`} size="xs" underline="always"><AccountName account={a} /></Anchor>
                          {' · '}{t(`activityKinds.${a.kind}`)}{a.userName ? ` · ${a.userName}` : ''}
                        </Text>
                        <Text size="xs" c="dimmed" className="ok-timeline-time">{f.dateTime(a.startsAt)}</Text>
                      </Timeline.Item>
                    );
                  })}
                </Timeline>
              )}
            </Card>
            {h.revenueByMonth.length > 0 && (
              <Card>
                <Title order={2} size="h4" mb="md">{t('home.revenue')}</Title>
                <Suspense fallback={<Loading />}><RevenueChart data={h.revenueByMonth} /></Suspense>
              </Card>
            )}
          </SimpleGrid>
        </Stack>
      )}
    </>
  );
}
