import { Alert, Badge, Button, Card, CopyButton, Group, Modal, PasswordInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy, IconKey, IconLogout } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../api/client.js';
import type { ApiToken, Locale, Me } from '../api/types.js';
import { useFormat } from '../format.js';
import { useSession } from '../session.js';
import { useFieldErrors, useProblemText } from '../ui/errors.js';
import { PageHeader } from '../ui/page-header.js';
import { Empty, ErrorState, Loading } from '../ui/states.js';

const timeZones = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'UTC'];

function Preferences() {
  const { t } = useTranslation();
  const { me, setLocale } = useSession();
  const qc = useQueryClient();
  const problem = useProblemText();
  const [name, setName] = useState(me?.name ?? '');
  const save = useMutation({
    mutationFn: (body: { name?: string; timeZone?: string }) => api<Me>('/auth/me', { method: 'PATCH', body }),
    onSuccess: (m) => { qc.setQueryData(['me'], m); notifications.show({ color: 'teal', message: t('profile.saved') }); },
    onError: (err) => notifications.show({ color: 'red', title: t('errors.title'), message: problem(err) }),
  });
  if (!me) return null;
  return (
    <Card>
      <Title order={2} size="h4" mb="md">{t('profile.preferences')}</Title>
      <Stack>
        <TextInput label={t('profile.email')} value={me.email} readOnly variant="filled" />
        <Group align="flex-end" gap="xs">
          <TextInput style={{ flex: 1 }} label={t('profile.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Button variant="light" disabled={!name.trim() || name === me.name} loading={save.isPending} onClick={() => save.mutate({ name: name.trim() })}>{t('common.save')}</Button>
        </Group>
        <Select label={t('profile.language')} value={me.locale} allowDeselect={false} onChange={(v) => v && void setLocale(v as Locale)} data={[{ value: 'zh-CN', label: '中文（简体）' }, { value: 'en', label: 'English' }]} />
        <Select label={t('profile.timeZone')} value={me.timeZone} allowDeselect={false} searchable onChange={(v) => v && save.mutate({ timeZone: v })}
          data={[...new Set([me.timeZone, ...timeZones])].map((z) => ({ value: z, label: z.replace(/_/g, ' ') }))} />
      </Stack>
    </Card>
  );
}

/**
 * Asks before an action that ends access elsewhere; says what will stop working (API tokens too) before
 * the user confirms.
 */
function ConfirmAction({ opened, onClose, title, lines, confirmLabel, busy, onConfirm }: {
  opened: boolean; onClose: () => void; title: string; lines: string[]; confirmLabel: string; busy: boolean; onConfirm: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700} component="span">{title}</Text>} size="md" centered closeButtonProps={{ 'aria-label': t('common.cancel') }}>
      <Stack>
        {lines.map((l) => <Text key={l} size="sm">{l}</Text>)}
        <Group justify="flex-end" wrap="nowrap">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button color="red" loading={busy} onClick={onConfirm} data-testid="confirm-action">{confirmLabel}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function PasswordCard() {
  const { t } = useTranslation();
  const fieldErrors = useFieldErrors();
  const problem = useProblemText();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const qc = useQueryClient();
  const change = useMutation({
    mutationFn: () => api('/auth/password', { method: 'POST', body: { currentPassword: current, newPassword: next } }),
    onSuccess: () => {
      setConfirming(false); setCurrent(''); setNext('');
      void qc.invalidateQueries({ queryKey: ['tokens'] });
      notifications.show({ color: 'teal', message: t('profile.passwordChanged') });
    },
    onError: (err) => { setConfirming(false); setErrors(fieldErrors(err)); if (!Object.keys(fieldErrors(err)).length) notifications.show({ color: 'red', title: t('errors.title'), message: problem(err) }); },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    if (next.length < 10) { setErrors({ newPassword: t('errors.field.passwordLength') }); return; }
    if (!next.trim()) { setErrors({ newPassword: t('errors.field.passwordBlank') }); return; }
    setConfirming(true);
  };
  return (
    <Card>
      <Title order={2} size="h4" mb="md">{t('profile.password')}</Title>
      <form onSubmit={submit} noValidate>
        <Stack>
          <PasswordInput label={t('profile.currentPassword')} autoComplete="current-password" value={current} error={errors.currentPassword} onChange={(e) => setCurrent(e.currentTarget.value)} />
          <PasswordInput label={t('profile.newPassword')} description={t('profile.passwordRule')} autoComplete="new-password" value={next} error={errors.newPassword} onChange={(e) => setNext(e.currentTarget.value)} />
          <Group justify="flex-end"><Button type="submit" loading={change.isPending} disabled={!current || !next}>{t('profile.changePassword')}</Button></Group>
        </Stack>
      </form>
      <ConfirmAction opened={confirming} onClose={() => setConfirming(false)} title={t('profile.changePasswordConfirmTitle')}
        lines={[t('profile.changePasswordConfirm'), t('profile.tokensWillBeRevoked')]} confirmLabel={t('profile.changePassword')} busy={change.isPending} onConfirm={() => change.mutate()} />
    </Card>
  );
}

function Tokens() {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const problem = useProblemText();
  const fieldErrors = useFieldErrors();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => api<{ items: ApiToken[] }>('/auth/tokens') });
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'read' | 'read-write'>('read');
  const [created, setCreated] = useState<(ApiToken & { token: string }) | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: () => api<ApiToken & { token: string }>('/auth/tokens', { method: 'POST', body: { name: name.trim(), scope } }),
    onSuccess: (tok) => { setCreated(tok); setName(''); void qc.invalidateQueries({ queryKey: ['tokens'] }); },
    onError: (err) => { setErrors(fieldErrors(err)); notifications.show({ color: 'red', title: t('errors.title'), message: problem(err) }); },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/auth/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: ['tokens'] }); notifications.show({ color: 'teal', message: t('profile.tokenRevoked') }); },
    onError: (err) => notifications.show({ color: 'red', title: t('errors.title'), message: problem(err) }),
  });
  const items = tokens.data?.items ?? [];
  return (
    <Card>
      <Title order={2} size="h4">{t('profile.tokens')}</Title>
      <Text size="sm" c="dimmed" mb="md">{t('profile.tokensHint')}</Text>
      <form onSubmit={(e) => { e.preventDefault(); setErrors({}); if (name.trim()) create.mutate(); }} noValidate>
        <Group align="flex-end" gap="xs" mb="md">
          <TextInput style={{ flex: '1 1 180px' }} label={t('profile.tokenName')} placeholder={t('profile.tokenNamePlaceholder')} value={name} error={errors.name} onChange={(e) => setName(e.currentTarget.value)} />
          <Select w={150} label={t('profile.tokenScope')} value={scope} allowDeselect={false} onChange={(v) => setScope((v ?? 'read') as 'read' | 'read-write')}
            data={[{ value: 'read', label: t('profile.scopes.read') }, { value: 'read-write', label: t('profile.scopes.read-write') }]} />
          <Button type="submit" leftSection={<IconKey size={16} />} loading={create.isPending} disabled={!name.trim()}>{t('profile.createToken')}</Button>
        </Group>
      </form>
      {tokens.isPending && <Loading />}
      {tokens.isError && <ErrorState error={tokens.error} />}
      {tokens.isSuccess && items.length === 0 && <Empty title={t('profile.noTokens')} />}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="xs">
            <Table.Thead><Table.Tr><Table.Th>{t('profile.tokenName')}</Table.Th><Table.Th>{t('profile.tokenScope')}</Table.Th><Table.Th>{t('profile.created')}</Table.Th><Table.Th>{t('profile.lastUsed')}</Table.Th><Table.Th><span className="visually-hidden">{t('common.actions')}</span></Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {items.map((k) => (
                <Table.Tr key={k.id}>
                  <Table.Td><Text size="sm" fw={500}>{k.name}</Text><Text size="xs" c="dimmed" className="ok-code">{k.prefix}…</Text></Table.Td>
                  <Table.Td><Badge variant="light" size="sm">{t(`profile.scopes.${k.scope}`)}</Badge></Table.Td>
                  <Table.Td><Text size="sm">{f.date(k.createdAt)}</Text></Table.Td>
                  <Table.Td><Text size="sm">{k.lastUsedAt ? f.relative(k.lastUsedAt) : t('profile.never')}</Text></Table.Td>
                  <Table.Td ta="right">
                    {k.revokedAt ? <Badge color="gray" variant="outline" size="sm">{t('profile.revoked')}</Badge>
                      : <Button size="compact-sm" color="red" variant="subtle" loading={revoke.isPending && revoke.variables === k.id} onClick={() => revoke.mutate(k.id)}>{t('profile.revoke')}</Button>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={!!created} onClose={() => setCreated(null)} title={t('profile.tokenCreated')} size="lg">
        {created && (
          <Stack>
            <Alert color="yellow" variant="light">{t('profile.tokenOnce')}</Alert>
            <Group gap="xs" wrap="nowrap">
              <TextInput style={{ flex: 1 }} readOnly value={created.token} aria-label={t('profile.tokenValue')} className="ok-code" onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={created.token}>
                {({ copied, copy }) => <Button onClick={copy} color={copied ? 'teal' : 'brand'} leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}>{copied ? t('common.copied') : t('common.copy')}</Button>}
              </CopyButton>
            </Group>
            <Group justify="flex-end"><Button variant="default" onClick={() => setCreated(null)}>{t('common.done')}</Button></Group>
          </Stack>
        )}
      </Modal>
    </Card>
  );
}

function Sessions() {
  const { t } = useTranslation();
  const { forget } = useSession();
  const navigate = useNavigate();
  const problem = useProblemText();
  const [confirming, setConfirming] = useState(false);
  const everywhere = useMutation({
    mutationFn: () => api<{ sessionsEnded: number; tokensRevoked: number }>('/auth/logout-everywhere', { method: 'POST' }),
    onSuccess: () => { forget(); navigate('/sign-in'); },
    onError: (err) => { setConfirming(false); notifications.show({ color: 'red', title: t('errors.title'), message: problem(err) }); },
  });
  return (
    <Card>
      <Title order={2} size="h4">{t('profile.sessions')}</Title>
      <Text size="sm" c="dimmed" mb="md">{t('profile.sessionsHint')}</Text>
      <Button color="red" variant="light" leftSection={<IconLogout size={16} />} onClick={() => setConfirming(true)}>{t('profile.signOutEverywhere')}</Button>
      <ConfirmAction opened={confirming} onClose={() => setConfirming(false)} title={t('profile.signOutEverywhereConfirmTitle')}
        lines={[t('profile.signOutEverywhereConfirm'), t('profile.tokensWillBeRevoked')]} confirmLabel={t('profile.signOutEverywhere')} busy={everywhere.isPending} onConfirm={() => everywhere.mutate()} />
    </Card>
  );
}

export function ProfilePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!me) return <Loading />;
  return (
    <>
      <PageHeader title={t('profile.title')} subtitle={`${me.name} · ${t(`roles.${me.role}`)}`} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Preferences />
        <PasswordCard />
      </SimpleGrid>
      <Stack mt="lg" gap="lg">
        <Tokens />
        <Sessions />
      </Stack>
    </>
  );
}
