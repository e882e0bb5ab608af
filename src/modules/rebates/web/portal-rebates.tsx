/** The dealer's own rebates: how far it is, what it has earned, what the next tier needs. Nothing internal. */
import { Card, Progress, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../web/format.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { usePortalProgress } from './rebates-api.js';
import { NextTierLine, useBasis } from './rebates-ui.js';

export function PortalRebatesPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const basis = useBasis();
  const q = usePortalProgress();
  if (q.isLoading) return <Loading />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const items = q.data!.items;
  return (
    <Stack maw={720}>
      <Title order={2}>{t('rebates.portalTitle')}</Title>
      {!items.length && <Empty title={t('rebates.portalNone')} />}
      {items.map((p) => {
        const target = p.next ? p.basisToDate + p.next.moreNeeded : p.basisToDate;
        return (
          <Card key={p.id} withBorder data-testid="portal-rebate">
            <Text fw={700}>{p.name}</Text>
            <Text size="sm" c="dimmed">{p.number} · {f.monthDay(p.lastDay)}</Text>
            <Text mt="xs">{t('rebates.portal.basisToDate')}: <b>{basis(p.basisToDate, p.basisKind, p.currency)}</b></Text>
            <Text>{t('rebates.portal.earned')}: <b>{f.money(p.earnedToDateMinor, p.currency)}</b>{p.ratePercent !== null ? ` (${p.ratePercent} %)` : ''}</Text>
            <Progress mt="xs" value={target > 0 ? Math.min(100, (p.basisToDate / target) * 100) : 100} aria-label={t('rebates.portal.nextLabel')} />
            <NextTierLine next={p.next} basisKind={p.basisKind} currency={p.currency} periodEnd={p.periodEnd} />
          </Card>
        );
      })}
    </Stack>
  );
}
