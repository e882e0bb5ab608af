/** The Claims tab of an account: its claims by where they stand, and filing a new one about its shipments. */
import { Button, Group, Stack, Switch } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../web/api/client.js';
import { useSession } from '../../../web/session.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { ClaimColumns } from './board-page.js';
import { useClaims, writeRoles } from './claims-api.js';
import { FileClaimModal } from './file-claim-form.js';

export function AccountClaimsTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const [withDone, setWithDone] = useState(true);
  const [filing, setFiling] = useState(false);
  const q = useClaims({ accountId });
  const items = (q.data?.items ?? []).filter((c) => withDone || !['closed', 'withdrawn'].includes(c.status));
  const account = useQuery({ queryKey: ['claims', 'account', accountId], queryFn: () => api<{ currency: string }>(`/accounts/${accountId}`) });
  const canWrite = !!me && writeRoles.includes(me.role);
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Switch checked={withDone} onChange={(e) => setWithDone(e.currentTarget.checked)} label={t('claims.filter.withDone')} />
        {canWrite && <Button leftSection={<IconPlus size={16} />} variant="light" onClick={() => setFiling(true)} data-testid="file-claim">{t('claims.file')}</Button>}
      </Group>
      {q.isLoading ? <Loading /> : q.error ? <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        : !items.length ? <Empty title={t('claims.noneAccount')}>{t('claims.noneHint')}</Empty> : <ClaimColumns items={items} withDone={withDone} showAccount={false} />}
      {filing && <FileClaimModal opened onClose={() => setFiling(false)} accountId={accountId} currency={account.data?.currency ?? 'CNY'} portal={false} />}
    </Stack>
  );
}
