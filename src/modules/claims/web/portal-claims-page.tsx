/** /portal/claims: the dealer's own claims, and filing one about its delivered shipments. */
import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconReceiptRefund } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { useClaims } from './claims-api.js';
import { ClaimCard } from './claims-ui.js';
import { FileClaimModal } from './file-claim-form.js';

export function PortalClaimsPage() {
  const { t } = useTranslation();
  const [filing, setFiling] = useState(false);
  const q = useClaims({}, true);
  return (
    <Stack maw={760}>
      <Card padding="md" withBorder>
        <Group justify="space-between" gap="sm" wrap="wrap">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0, flex: '1 1 240px' }}>
            <IconReceiptRefund size={28} color="var(--mantine-color-brand-7)" aria-hidden style={{ flexShrink: 0 }} />
            <div style={{ minWidth: 0 }}>
              <Title order={2} size="h4">{t('claims.portal.pageTitle')}</Title>
              <Text size="sm" c="dimmed">{t('claims.portal.intro')}</Text>
            </div>
          </Group>
          <Button onClick={() => setFiling(true)} data-testid="file-claim">{t('claims.file')}</Button>
        </Group>
      </Card>
      {q.isLoading ? <Loading /> : q.error ? <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        : !q.data!.items.length ? <Empty title={t('claims.portal.none')}>{t('claims.portal.noneHint')}</Empty> : (
          <Stack gap="xs">{q.data!.items.map((c) => <ClaimCard key={c.id} c={c} to={`/portal/claims/${c.id}`} portal showAccount={false} />)}</Stack>
        )}
      {filing && <FileClaimModal opened onClose={() => setFiling(false)} accountId={null} portal />}
    </Stack>
  );
}
