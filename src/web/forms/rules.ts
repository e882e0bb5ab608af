import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Field rules that mirror the server's Zod contracts (src/modules/*\/*.contract.ts), so a form says
 * what is wrong before it is sent. The server checks again; its field errors land on the same fields.
 */
export function useRules() {
  const { t } = useTranslation();
  return useMemo(() => {
    const required = (max: number) => (v: string) => (v.trim() === '' ? t('errors.field.required') : v.trim().length > max ? t('errors.field.maxLength', { max }) : null);
    const optional = (max: number) => (v: string) => (v.trim().length > max ? t('errors.field.maxLength', { max }) : null);
    const chosen = (v: string | null) => (v ? null : t('errors.field.required'));
    const code = (v: string) => {
      const s = v.trim();
      if (!s) return t('errors.field.required');
      if (s.length > 40) return t('errors.field.maxLength', { max: 40 });
      return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s) ? null : t('errors.field.code');
    };
    const email = (v: string) => {
      const s = v.trim();
      if (!s) return null;
      if (s.length > 200) return t('errors.field.maxLength', { max: 200 });
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) ? null : t('errors.field.email');
    };
    const isoDate = (v: string) => {
      if (!v) return null;
      const ok = /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(new Date(`${v}T00:00:00Z`).getTime()) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
      return ok ? null : t('errors.field.date');
    };
    const intRange = (min: number, max: number) => (v: number | string) =>
      typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? null : t('errors.field.range', { min, max });
    /** A coordinate as typed: empty, or a number within range. */
    const coordinate = (min: number, max: number) => (v: number | string) =>
      v === '' ? null : typeof v === 'number' && v >= min && v <= max ? null : t('errors.field.range', { min, max });
    const time = (v: string) => (/^([01]\d|2[0-3]):[0-5]\d$/.test(v) ? null : t('errors.field.time'));
    return { required, optional, chosen, code, email, isoDate, intRange, coordinate, time, t };
  }, [t]);
}
