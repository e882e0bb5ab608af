/** /claims: the claims one sees, in columns by where they stand (stacked on a phone), filtered by kind; closed ones on demand. */
import { Badge, Group, Select, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../../web/ui/page-header.js';
import { Empty, ErrorState, Loading } from '../../../web/ui/states.js';
import { type Claim, useClaims } from './claims-api.js';
import { ClaimCard } from './claims-ui.js';

const columns: { key: string; statuses: Claim['status'][] }[] = [
  { key: 'filed', statuses: ['filed'] },
  { key: 'investigating', statuses: ['investigating'] },
  { key: 'decided', statuses: ['accepted', 'partly_accepted', 'rejected'] },
  { key: 'credited', statuses: ['credited'] },
];
const done: Claim['status'][] = ['closed', 'withdrawn'];

/** Claims grouped in the board's columns; `withDone` adds the closed and withdrawn ones. */
export function ClaimColumns({ items, withDone, showAccount = true }: { items: Claim[]; withDone: boolean; showAccount?: boolean }) {
  const { t } = useTranslation();
  const cols = withDone ? [...columns, { key: 'done', statuses: done }] : columns;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: cols.length }} spacing="md" data-testid="claims-board">
      {cols.map((col) => {
        const inCol = items.filter((c) => col.statuses.includes(c.status));
        return (
          <Stack key={col.key} gap="xs" p="xs" style={{ background: 'var(--mantine-color-gray-0)', borderRadius: 8 }}>
            <Group justify="space-between"><Title order={3} size="h5">{t(`claims.column.${col.key}`)}</Title><Badge variant="default">{inCol.length}</Badge></Group>
            {inCol.length ? inCol.map((c) => <ClaimCard key={c.id} c={c} to={`/claims/${c.id}`} showAccount={showAccount} />) : <Text size="sm" c="dimmed">{t('claims.column.empty')}</Text>}
          </Stack>
        );
      })}
    </SimpleGrid>
  );
}

export function ClaimsBoardPage() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<string | null>(null);
  const [withDone, setWithDone] = useState(false);
  const q = useClaims({ kind });
  // Credited claims are no longer open but stay on the board until closed: the closed ones are hidden here, not in the query.
  const items = (q.data?.items ?? []).filter((c) => withDone || !done.includes(c.status));
  return (
    <Stack>
      <PageHeader title={t('claims.title')} subtitle={t('claims.subtitle')} />
      <Group gap="sm" wrap="wrap">
        <Select w={200} placeholder={t('claims.filter.allKinds')} clearable value={kind} onChange={setKind} aria-label={t('claims.filter.kind')}
          data={(['late', 'damage', 'shortage'] as const).map((k) => ({ value: k, label: t(`claims.kind.${k}`) }))} />
        <Switch checked={withDone} onChange={(e) => setWithDone(e.currentTarget.checked)} label={t('claims.filter.withDone')} />
      </Group>
      {q.isLoading ? <Loading /> : q.error ? <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        : !items.length ? <Empty title={t('claims.none')}>{t('claims.noneHint')}</Empty> : <ClaimColumns items={items} withDone={withDone} />}
    </Stack>
  );
}
