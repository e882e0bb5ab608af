/** The Rebates tab of an account: the agreements covering it, with basis and rebate to date. */
import { Button, Group, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../../web/session.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { AgreementsList } from './agreements-page.js';
import { useAgreements, writeRoles } from './rebates-api.js';

export function AccountRebatesTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const q = useAgreements(accountId);
  if (q.isLoading) return <Loading />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <Stack>
      {me && writeRoles.includes(me.role) && <Group><Button component={Link} to="/rebates/new" variant="light">{t('rebates.new')}</Button></Group>}
      {q.data!.items.length ? <AgreementsList items={q.data!.items} /> : <Empty title={t('rebates.none')}>{t('rebates.noneHint')}</Empty>}
    </Stack>
  );
}
