import { Alert, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useConfig } from '../api/queries.js';
import { useSession } from '../session.js';
import { useProblemText } from '../ui/errors.js';
import { LanguageSwitch } from '../ui/layout.js';
import { Logo } from '../ui/logo.js';

export function SignInPage() {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const problem = useProblemText();
  const config = useConfig();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      // The app re-renders signed in and its /sign-in route forwards to ?next.
      await signIn(email, password);
    } catch (err) {
      setError(problem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Box className="ok-signin-bg">
      <Center mih="100vh" p="md">
        <Stack w="100%" maw={420} gap="lg">
          <Group justify="space-between">
            <Logo inverted />
            <LanguageSwitch />
          </Group>
          <Paper p={{ base: 'lg', sm: 'xl' }} shadow="xl" radius="lg" component="main">
            <form onSubmit={(e) => void submit(e)} noValidate>
              <Stack gap="md">
                <div>
                  <Title order={1} size="h3">{t('signIn.title')}</Title>
                  <Text c="dimmed" size="sm" mt={4}>{t('signIn.subtitle')}</Text>
                </div>
                {error && <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">{error}</Alert>}
                <TextInput label={t('signIn.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} name="email" />
                <PasswordInput label={t('signIn.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} name="password" />
                <Button type="submit" loading={busy} fullWidth size="md">{t('signIn.submit')}</Button>
                {config.data?.demo && <Text size="xs" c="dimmed" ta="center">{t('signIn.demoHint')}</Text>}
              </Stack>
            </form>
          </Paper>
          <Text size="xs" c="white" ta="center">{t('signIn.tagline')}</Text>
        </Stack>
      </Center>
    </Box>
  );
}
