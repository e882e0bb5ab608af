/** Pieces shared by the claims pages: status and service-level badges, a claim's row, the text of a refused step. */
import { Badge, Card, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../../web/api/client.js';
import { useFormat } from '../../../web/format.js';
import { useProblemText } from '../../../web/ui/errors.js';
import type { Claim } from './claims-api.js';

const statusColor: Record<Claim['status'], string> = {
  filed: 'blue', investigating: 'yellow', accepted: 'teal', partly_accepted: 'teal', rejected: 'red', credited: 'green', closed: 'gray', withdrawn: 'gray',
};

export function ClaimStatusBadge({ status, portal = false }: { status: Claim['status']; portal?: boolean }) {
  const { t } = useTranslation();
  return <Badge color={statusColor[status]} variant="light" data-testid="claim-status">{t(portal ? `claims.statusPortal.${status}` : `claims.status.${status}`)}</Badge>;
}

/** The pending (or last) service level: response while filed, decision after; breached red, met green, running with its due time. */
export function SlaBadge({ claim }: { claim: Pick<Claim, 'sla' | 'status'> }) {
  const { t } = useTranslation();
  const f = useFormat();
  const level = claim.status === 'filed' ? 'response' : 'decision';
  const s = claim.sla[level];
  if (claim.status === 'withdrawn') return null;
  const color = s.state === 'breached' ? 'red' : s.state === 'met' ? 'green' : 'gray';
  return (
    <Tooltip label={t('claims.sla.due', { level: t(`claims.sla.${level}`), at: f.dateTime(s.dueAt) })}>
      <Badge color={color} variant={s.state === 'running' ? 'outline' : 'light'} tt="none" data-testid="claim-sla">
        {s.state === 'running' ? t('claims.sla.dueIn', { level: t(`claims.sla.${level}`), when: f.relative(s.dueAt) }) : `${t(`claims.sla.${level}`)}: ${t(`claims.sla.${s.state}`)}`}
      </Badge>
    </Tooltip>
  );
}

export function ClaimCard({ c, to, portal = false, showAccount = true }: { c: Claim; to: string; portal?: boolean; showAccount?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Card withBorder padding="sm" component={Link} to={to} data-testid="claim-card">
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Text fw={600} size="sm">{c.number}</Text>
          <Text size="sm" fw={600}>{f.money(c.acceptedMinor ?? c.claimedMinor, c.currency)}</Text>
        </Group>
        <Text size="sm" lineClamp={2}>{c.title}</Text>
        {showAccount && <Text size="xs" c="dimmed">{c.accountName}</Text>}
        <Group gap={6} wrap="wrap">
          <Badge variant="default" size="sm">{t(`claims.kind.${c.kind}`)}</Badge>
          {!portal && <SlaBadge claim={c} />}
          {portal && <ClaimStatusBadge status={c.status} portal />}
        </Group>
      </Stack>
    </Card>
  );
}

/** A refused step in the reader's language: known fields and the wrong-status answer by key, anything else as the app says it. */
export function useClaimError() {
  const { t } = useTranslation();
  const problem = useProblemText();
  return useCallback((err: unknown): string => {
    if (err instanceof ApiError) {
      if (err.code === 'claim_status') return t('claims.errors.status');
      const field = err.fieldErrors[0]?.path.replace(/^body\./, '').split('.')[0];
      if (field && ['reason', 'acceptedMinor', 'amountMinor', 'currency', 'number', 'shipmentIds', 'orderLineIds', 'title', 'claimedMinor'].includes(field)) return t(`claims.errors.${field}`);
      if (err.status === 403 && err.detail.startsWith('Only whoever filed')) return t('claims.errors.notFiler');
      if (err.status === 413 || err.status === 415) return t('claims.errors.file');
    }
    return problem(err);
  }, [t, problem]);
}
