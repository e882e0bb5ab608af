import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../web/api/client.js';

/** Server messages of the visit program's checks, phrased in the user's language. */
const known: [RegExp, string][] = [
  [/not a site of the account/i, 'visits.fieldErrors.siteOfAccount'],
  [/portfolio/i, 'visits.fieldErrors.portfolio'],
  [/route belongs to another/i, 'visits.fieldErrors.routeMismatch'],
  [/no such route/i, 'visits.fieldErrors.noRoute'],
  [/before the first visit/i, 'visits.fieldErrors.endsBefore'],
  [/HH:MM/, 'visits.fieldErrors.time'],
  [/IANA time zone/i, 'visits.fieldErrors.timeZone'],
  [/not a contact of the account|required for customer_request/i, 'visits.move.contactRequired'],
  [/required for reason other/i, 'visits.move.noteRequired'],
  [/^no change/i, 'visits.errors.noChange'],
  [/no such account/i, 'visits.fieldErrors.account'],
  [/not an active manager/i, 'visits.fieldErrors.manager'],
  [/too_big|too_small|at most|at least|less than|greater than|<=|>=/i, 'visits.fieldErrors.range'],
  [/required|received undefined/i, 'errors.field.required'],
];

/**
 * Field errors of a problem+json answer keyed by the form field: `body.slot.startTime`,
 * `body.startTime` and `body.base.lat` become `startTime`, `startTime` and `base`.
 */
export function useVisitFieldErrors() {
  const { t } = useTranslation();
  return useCallback((err: unknown): Record<string, string> => {
    if (!(err instanceof ApiError)) return {};
    const out: Record<string, string> = {};
    for (const e of err.fieldErrors) {
      const field = e.path.replace(/^body\./, '').replace(/^slot\./, '').split('.')[0] ?? e.path;
      const k = known.find(([re]) => re.test(e.message));
      out[field] ??= k ? t(k[1]) : t('errors.field.invalid');
    }
    return out;
  }, [t]);
}
