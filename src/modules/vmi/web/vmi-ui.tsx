/** Small pieces the VMI pages share: status and exception badges, product names, the error sentence, a labelled figure. */
import { Badge, Text } from '@mantine/core';
import { type ReactNode, useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../web/api/client.js';
import { isEnglish } from '../../../web/names.js';
import { useProblemText } from '../../../web/ui/errors.js';
import type { VmiDraftStatus } from './vmi-api.js';

const statusColor: Record<VmiDraftStatus, string> = { draft: 'blue', sent: 'orange', signed: 'green', rejected: 'red', expired: 'gray', cancelled: 'gray' };
const kindColor: Record<string, string> = { stockout: 'red', belowMin: 'orange', aboveMax: 'violet', slowMover: 'gray' };

export function DraftStatusBadge({ status, portal = false }: { status: VmiDraftStatus; portal?: boolean }) {
  const { t } = useTranslation();
  return <Badge color={statusColor[status]} variant="light" tt="none" style={{ flexShrink: 0, overflow: 'visible' }} data-testid="vmi-status" data-status={status}>{t(portal ? `vmi.statusPortal.${status}` : `vmi.status.${status}`)}</Badge>;
}

export function ExceptionBadge({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return <Badge color={kindColor[kind] ?? 'gray'} variant="light" tt="none" style={{ flexShrink: 0, overflow: 'visible' }}>{t(`vmi.exception.${kind}`)}</Badge>;
}

type Named = { sku?: string | null; productNameEn?: string | null; productNameZh?: string | null; nameEn?: string | null; nameZh?: string | null };

/** The product's name in the reader's language (its SKU when it has none). */
export function useProductName() {
  const { i18n } = useTranslation();
  const en = isEnglish(i18n.language);
  return useCallback((p: Named): string => {
    const name = en ? p.productNameEn ?? p.nameEn : p.productNameZh ?? p.nameZh;
    return name ?? p.productNameEn ?? p.nameEn ?? p.sku ?? '—';
  }, [en]);
}

/** The sentence for a failed VMI call: a stale version, an expired draft, a field, or the app's general wording. */
export function useVmiError() {
  const { t } = useTranslation();
  const problem = useProblemText();
  return useCallback((err: unknown): string => {
    if (err instanceof ApiError) {
      if (/expired/i.test(err.code) || /expired/i.test(err.detail) || err.status === 410) return t('vmi.errors.expired');
      if (err.status === 409) return t('vmi.errors.stale');
      const field = err.fieldErrors[0]?.path.replace(/^body\./, '').split('.')[0];
      if (field && ['note', 'reason', 'lines', 'quantity', 'reasonCode'].includes(field)) return t(`vmi.errors.${field}`);
      if (err.status === 400 && err.detail) return t('vmi.errors.refused', { detail: err.detail });
    }
    return problem(err);
  }, [t, problem]);
}

export function Figure({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return <div data-testid={testId}><Text size="xs" c="dimmed">{label}</Text><Text size="sm" fw={600} component="div">{children}</Text></div>;
}

/** A whole number of days, or "—" (no demand expected). */
export const coverText = (t: (k: string, o?: Record<string, unknown>) => string, days: number | null): string =>
  days === null || !Number.isFinite(days) ? t('vmi.noDemand') : t('vmi.days', { count: Math.round(days) });
