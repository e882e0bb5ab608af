import { AppShell, Avatar, Burger, Group, Menu, NavLink, ScrollArea, SegmentedControl, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBuildingStore, IconChevronDown, IconHistory, IconHome, IconLogout, IconUserCircle, IconUsers, IconAddressBook, IconBuilding } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import type { Locale } from '../api/types.js';
import { capabilities, useSession } from '../session.js';
import { allowedFor, features } from '../features.js';
import { initials } from './initials.js';
import { Logo } from './logo.js';

export { initials };

type Item = { to: string; label: string; icon: ReactNode; exact?: boolean };

export function LanguageSwitch({ size = 'xs' }: { size?: 'xs' | 'sm' }) {
  const { i18n, t } = useTranslation();
  const { setLocale } = useSession();
  return (
    <SegmentedControl
      size={size}
      aria-label={t('common.language')}
      value={i18n.language}
      onChange={(v) => void setLocale(v as Locale)}
      data={[{ value: 'en', label: 'EN' }, { value: 'zh-CN', label: '中文' }]}
    />
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { me, signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const can = capabilities(me?.role);

  const items: Item[] = can.staff
    ? [
        { to: '/', label: t('nav.home'), icon: <IconHome size={18} />, exact: true },
        { to: '/accounts', label: t('nav.accounts'), icon: <IconBuildingStore size={18} /> },
        { to: '/contacts', label: t('nav.contacts'), icon: <IconAddressBook size={18} /> },
        ...features.flatMap((f) => f.nav ?? []).filter((n) => allowedFor(me, n.roles)).sort((a, b) => (a.order ?? 50) - (b.order ?? 50))
          .map((n) => ({ to: n.to, label: t(n.labelKey), icon: n.icon })),
        ...(can.admin ? [{ to: '/admin/users', label: t('nav.usersTeams'), icon: <IconUsers size={18} /> }] : []),
        ...(can.audit ? [{ to: '/admin/audit', label: t('nav.audit'), icon: <IconHistory size={18} /> }] : []),
      ]
    : [
        { to: '/', label: t('nav.home'), icon: <IconHome size={18} />, exact: true },
        ...(me?.accountId ? [{ to: `/accounts/${me.accountId}`, label: t('nav.myCompany'), icon: <IconBuilding size={18} /> }] : []),
        // The portal's own pages a feature names for the dealer (My stock).
        ...features.flatMap((f) => f.nav ?? []).filter((n) => n.roles?.includes('dealer') && allowedFor(me, n.roles)).sort((a, b) => (a.order ?? 50) - (b.order ?? 50))
          .map((n) => ({ to: n.to, label: t(n.labelKey), icon: n.icon })),
      ];
  const active = (it: Item) => (it.exact ? location.pathname === it.to : location.pathname.startsWith(it.to));

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding={{ base: 'sm', sm: 'lg' }}>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <UnstyledButton component={Link} to="/" onClick={close}>
              <Logo />
            </UnstyledButton>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitch />
            <Menu position="bottom-end" width={220}>
              <Menu.Target>
                <UnstyledButton>
                  <VisuallyHidden>{t('nav.userMenu')}</VisuallyHidden>
                  <Group gap={6} wrap="nowrap">
                    <Avatar size={32} radius="xl" color="brand" aria-hidden="true">{initials(me?.name ?? '')}</Avatar>
                    <Text size="sm" fw={500} visibleFrom="md" maw={160} truncate>{me?.name}</Text>
                    <IconChevronDown size={14} />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{me ? t(`roles.${me.role}`) : ''}</Menu.Label>
                <Menu.Item leftSection={<IconUserCircle size={16} />} onClick={() => navigate('/profile')}>{t('nav.profile')}</Menu.Item>
                <Menu.Divider />
                <Menu.Item leftSection={<IconLogout size={16} />} color="red" onClick={() => void signOut().then(() => navigate('/sign-in'))}>{t('nav.signOut')}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t('nav.main')}>
        <AppShell.Section grow component={ScrollArea}>
          <VisuallyHidden><h2>{t('nav.main')}</h2></VisuallyHidden>
          {items.map((it) => (
            <NavLink key={it.to} component={Link} to={it.to} label={it.label} leftSection={it.icon} active={active(it)} onClick={close} variant="light" style={{ borderRadius: 8 }} mb={2} />
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <NavLink component={Link} to="/profile" label={t('nav.profile')} leftSection={<IconUserCircle size={18} />} active={location.pathname === '/profile'} onClick={close} variant="light" style={{ borderRadius: 8 }} />
        </AppShell.Section>
      </AppShell.Navbar>
      {/* AppShell.Main is the page's one <main>: pages render inside it, never a main of their own. */}
      <AppShell.Main>
        <div style={{ maxWidth: 1280, margin: '0 auto' }}>{children}</div>
      </AppShell.Main>
    </AppShell>
  );
}

