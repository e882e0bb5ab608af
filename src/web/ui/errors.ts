import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.js';

const byCode: Record<string, string> = {
  network: 'errors.network',
  invalid_credentials: 'errors.invalidCredentials',
  too_many_attempts: 'errors.tooManyAttempts',
  unauthenticated: 'errors.unauthenticated',
  forbidden: 'errors.forbidden',
  csrf: 'errors.unauthenticated',
  not_found: 'errors.notFound',
  duplicate: 'errors.duplicate',
  conflict: 'errors.conflict',
  invalid_reference: 'errors.conflict',
  precondition_failed: 'errors.stale',
  precondition_required: 'errors.stale',
  too_many_rows: 'errors.tooManyRows',
  invalid_request: 'errors.invalid',
  validation_failed: 'errors.invalid',
  file_too_complex: 'errors.fileTooComplex',
  file_malformed: 'errors.fileMalformed',
  bad_header: 'errors.badHeader',
  file_removed: 'errors.fileRemoved',
};

/**
 * Whether trying the same request again can help: the network, a timeout, a rate limit or the
 * server's own failure. A record that does not exist (404, 410), a refusal (401, 403) or a
 * request the server rejected (400, 409, 422…) answers the same again, so nothing offers a retry.
 */
export const isRetryable = (err: unknown): boolean =>
  !(err instanceof ApiError) || err.status === 0 || err.status === 408 || err.status === 429 || err.status >= 500;

/** Whether the error says the record is not there (or not visible to the caller). */
export const isNotFound = (err: unknown): boolean => err instanceof ApiError && (err.status === 404 || err.status === 410 || err.code === 'not_found');

/** Whether the error is a stale write: someone else saved the record since it was read (412 / 428). */
export const isStale = (err: unknown): boolean => err instanceof ApiError && (err.status === 412 || err.status === 428);

const fieldMessages: [RegExp, string][] = [
  [/at least 10 characters/i, 'errors.field.passwordLength'],
  [/only spaces/i, 'errors.field.passwordBlank'],
  [/most common passwords/i, 'errors.field.passwordCommon'],
  [/already used/i, 'errors.field.alreadyUsed'],
  [/wrong password/i, 'errors.field.wrongPassword'],
  [/email/i, 'errors.field.email'],
  [/required|expected string, received undefined/i, 'errors.field.required'],
  [/letters, digits, dot, dash or underscore/i, 'errors.field.code'],
  [/not an active manager or director/i, 'errors.field.owner'],
  [/no such account/i, 'errors.field.account'],
  [/too big|too long|<=/i, 'errors.field.tooLong'],
  [/too small|>=/i, 'errors.field.tooSmall'],
  [/HH:MM/, 'errors.field.time'],
  [/date/i, 'errors.field.date'],
];

/** Turns an error (problem+json from the API or anything else) into a sentence a person understands. */
export function useProblemText() {
  const { t } = useTranslation();
  return useCallback((err: unknown): string => {
    if (err instanceof ApiError) {
      const key = byCode[err.code] ?? (err.status >= 500 ? 'errors.server' : err.status === 404 ? 'errors.notFound' : err.status === 403 ? 'errors.forbidden' : 'errors.unknown');
      return t(key);
    }
    return t('errors.unknown');
  }, [t]);
}

/** Field errors of a failed form submission, keyed by the body field name (`body.email` → `email`). */
export function useFieldErrors() {
  const { t } = useTranslation();
  return useCallback((err: unknown): Record<string, string> => {
    if (!(err instanceof ApiError)) return {};
    const out: Record<string, string> = {};
    for (const e of err.fieldErrors) {
      const field = e.path.replace(/^body\./, '').split('.')[0] ?? e.path;
      const known = fieldMessages.find(([re]) => re.test(e.message));
      out[field] = known ? t(known[1]) : t('errors.field.invalid');
    }
    return out;
  }, [t]);
}
