import { z } from 'zod';

export const ActivityKind = z.enum(['call', 'meeting', 'visit', 'event']);

export const Activity = z.object({
  id: z.string(),
  accountId: z.string(),
  userId: z.string(),
  kind: ActivityKind,
  startsAt: z.string().describe('UTC ISO-8601'),
  durationMinutes: z.number().int(),
  subject: z.string(),
  notes: z.string().nullable(),
  visitId: z.string().nullable().describe('The program visit this activity records (set by its check-in and check-out; edit it on the visit). Null: logged by hand'),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Activity = z.infer<typeof Activity>;

const fields = {
  kind: ActivityKind,
  startsAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString()),
  durationMinutes: z.number().int().min(0).max(24 * 60),
  subject: z.string().trim().min(1).max(200),
  notes: z.string().max(10_000).nullable(),
};
export const CreateActivityBody = z.strictObject({ accountId: z.string().uuid(), ...fields, notes: fields.notes.default(null) });
export const UpdateActivityBody = z.strictObject(fields).partial();
