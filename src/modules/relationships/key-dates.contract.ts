/** Zod schemas of key dates and their reminders: staff only, never the dealer portal. */
import { z } from 'zod';
import { MAX_LEAD_DAYS } from './key-dates.domain.js';

export const KeyDateKind = z.enum(['company_anniversary', 'store_anniversary', 'birthday', 'custom']);
export const KeyDateRule = z.discriminatedUnion('calendar', [
  z.strictObject({ calendar: z.literal('gregorian'), month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31) }),
  z.strictObject({ calendar: z.literal('lunar'), month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(30), leap: z.boolean().default(false) }),
]);

const OccurrenceAdjustment = z.enum(['leap_month_absent', 'day_30_in_29_day_month', 'feb_29_in_common_year']);
export const Occurrence = z.object({
  date: z.string().describe('YYYY-MM-DD'),
  ordinal: z.number().int().nullable().describe('Years since the first year: 3 = 3rd anniversary'),
  adjustments: z.array(OccurrenceAdjustment).describe('How the date was moved to exist this year (see decision 039)'),
});

export const KeyDateItem = z.object({
  id: z.string(),
  accountId: z.string(),
  contactId: z.string().nullable(),
  kind: KeyDateKind,
  label: z.string(),
  rule: z.object({ calendar: z.enum(['gregorian', 'lunar']), month: z.number().int(), day: z.number().int(), leap: z.boolean() }),
  firstYear: z.number().int().nullable(),
  leadDays: z.array(z.number().int()),
  next: Occurrence.nullable(),
  version: z.number().int(),
});
export type KeyDateItem = z.infer<typeof KeyDateItem>;

export const CreateKeyDateBody = z.strictObject({
  accountId: z.string().uuid(),
  contactId: z.string().uuid().nullable().default(null),
  kind: KeyDateKind,
  label: z.string().trim().min(1).max(120),
  rule: KeyDateRule,
  firstYear: z.number().int().min(1900).max(2100).nullable().default(null).describe('The year it first happened (the lunar year for a lunar rule)'),
  leadDays: z.array(z.number().int().min(0).max(MAX_LEAD_DAYS)).max(6).nullable().default(null).describe('Days before to remind; null for 14, 3 and 0'),
});

export const RemindersQuery = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  accountId: z.string().uuid().optional(),
  festivals: z.enum(['true', 'false']).default('false').describe('Add Spring Festival, Dragon Boat and Mid-Autumn (no account)'),
});

export const ReminderItem = z.object({
  remindOn: z.string(),
  leadDays: z.number().int(),
  keyDateId: z.string(),
  kind: z.enum(['company_anniversary', 'store_anniversary', 'birthday', 'custom', 'festival']),
  label: z.string(),
  accountId: z.string().nullable(),
  contactId: z.string().nullable(),
  occurrence: Occurrence,
});
export type ReminderItem = z.infer<typeof ReminderItem>;
