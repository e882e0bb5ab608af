import { Badge, type BadgeProps, Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../web/api/client.js';
import { useProblemText } from '../../../web/ui/errors.js';
import { AMBER_TEXT } from '../../../web/theme.js';

/** The visit program's own problem codes, phrased in the user's language. */
const codes: Record<string, string> = {
  check_in_too_early: 'visits.errors.checkInTooEarly',
  check_in_closed: 'visits.errors.checkInClosed',
  no_change: 'visits.errors.noChange',
};

/** Toasts with a named close button (screen readers announce what it does). */
export function useNotify() {
  const { t } = useTranslation();
  const problem = useProblemText();
  const closeButtonProps = { 'aria-label': t('visits.close') };
  return {
    ok: useCallback((message: string, color = 'teal') => notifications.show({ color, message, closeButtonProps }), [t]), // eslint-disable-line react-hooks/exhaustive-deps
    /** `message`: a more precise sentence than the code's (e.g. with the time check-in opens). */
    fail: useCallback((err: unknown, message?: string) => {
      const own = err instanceof ApiError ? codes[err.code] : undefined;
      notifications.show({ color: 'red', title: t('errors.title'), message: message ?? (own ? t(own) : problem(err)), closeButtonProps });
    }, [t, problem]), // eslint-disable-line react-hooks/exhaustive-deps
  };
}

/** A badge whose text keeps WCAG AA contrast in every colour (Mantine's orange is too light for small text). */
export function ToneBadge({ color, style, ...props }: BadgeProps & { children?: React.ReactNode; 'aria-label'?: string; title?: string }) {
  return <Badge color={color} {...props} style={color === 'orange' || color === 'yellow' ? { color: AMBER_TEXT, ...(style as object) } : style} />;
}

/** "Show more" under a cursor-paged list: fetches the next page while there is one. */
export function ShowMore({ query }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  const { t } = useTranslation();
  if (!query.hasNextPage) return null;
  return (
    <Group justify="center" mt="sm">
      <Button variant="default" size="sm" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>{t('visits.showMore')}</Button>
    </Group>
  );
}

/** A horizontally scrolling box that keyboard users can focus and scroll (a wide table on a phone). */
export function ScrollX({ label, minWidth, children }: { label: string; minWidth: number; children: React.ReactNode }) {
  return (
    <div className="ok-scroll-x" tabIndex={0} role="region" aria-label={label}>
      <div style={{ minWidth }}>{children}</div>
    </div>
  );
}
