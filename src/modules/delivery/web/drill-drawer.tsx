/** The lines behind a figure: a dealer's, a month's or a mode's overdue open lines and shipments, with late flags. */
import { Anchor, Drawer, Group, Stack, Switch, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorState, Loading } from '../../../web/ui/states.js';
import { useOverdueLines, useShipments } from './delivery-api.js';
import { OverdueTable, Pager, ShipmentsTable, useToday } from './otif-ui.js';

/** What a drill shows: a dealer's, a month's or a mode's lines (`mode` as OTIF by mode names it; empty: none given). */
export type Drill = { title: string; accountId?: string; mode?: string; from: string; to: string };
const PAGE = 20;

export function DrillDrawer({ drill, onClose, accountName }: { drill: Drill | null; onClose: () => void; accountName: (id: string) => string }) {
  const { t } = useTranslation();
  return (
    <Drawer opened={!!drill} onClose={onClose} position="right" size="xl" title={<Text component="span" fw={700} size="lg">{drill?.title}</Text>} data-testid="otif-drill">
      {drill && <DrillBody key={`${drill.accountId}|${drill.mode}|${drill.from}|${drill.to}`} drill={drill} accountName={accountName} />}
      {drill?.accountId && <Anchor component={Link} to={`/accounts/${drill.accountId}?tab=delivery`} size="sm" mt="md" display="block">{t('delivery.drill.openAccount')}</Anchor>}
    </Drawer>
  );
}

function DrillBody({ drill, accountName }: { drill: Drill; accountName: (id: string) => string }) {
  const { t } = useTranslation();
  const today = useToday();
  const [lateOnly, setLateOnly] = useState(false);
  const [offset, setOffset] = useState(0);
  const [overdueOffset, setOverdueOffset] = useState(0);
  const scope = { ...(drill.accountId ? { accountId: drill.accountId } : {}), ...(drill.mode !== undefined ? { mode: drill.mode } : {}), from: drill.from, to: drill.to };
  const overdue = useOverdueLines({ ...scope, limit: PAGE, offset: overdueOffset });
  const ships = useShipments({ ...scope, lateOnly, limit: PAGE, offset });
  const names = drill.accountId ? undefined : accountName;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">{t('delivery.drill.period', { from: drill.from, to: drill.to })}</Text>
      <Stack gap="xs">
        <Text fw={600}>{t('delivery.drill.overdue', { count: overdue.data?.total ?? 0 })}</Text>
        {overdue.isLoading ? <Loading /> : overdue.error ? <ErrorState error={overdue.error} onRetry={() => void overdue.refetch()} />
          : overdue.data!.items.length ? <><OverdueTable items={overdue.data!.items} {...(names ? { accountName: names } : {})} /><Pager offset={overdueOffset} limit={PAGE} count={overdue.data!.items.length} total={overdue.data!.total} onOffset={setOverdueOffset} /></>
          : <Text size="sm" c="dimmed">{t('delivery.drill.noOverdue')}</Text>}
      </Stack>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{t('delivery.drill.shipments')}</Text>
          <Switch size="sm" label={t('delivery.lateOnly')} checked={lateOnly} onChange={(e) => { setLateOnly(e.currentTarget.checked); setOffset(0); }} />
        </Group>
        {ships.isLoading ? <Loading /> : ships.error ? <ErrorState error={ships.error} onRetry={() => void ships.refetch()} />
          : ships.data!.items.length ? <><ShipmentsTable items={ships.data!.items} today={today} {...(names ? { accountName: names } : {})} /><Pager offset={offset} limit={PAGE} count={ships.data!.items.length} onOffset={setOffset} /></>
          : <Text size="sm" c="dimmed">{t(lateOnly ? 'delivery.drill.noLate' : 'delivery.drill.noShipments')}</Text>}
      </Stack>
    </Stack>
  );
}
