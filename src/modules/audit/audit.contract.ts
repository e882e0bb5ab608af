import { z } from 'zod';

export const AuditEntry = z.object({
  id: z.string(),
  at: z.string().describe('UTC ISO-8601'),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string().describe('create, update, delete, login, …'),
  entity: z.string(),
  entityId: z.string(),
  accountId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  requestId: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
  entity: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
  actorId: z.string().max(100).optional(),
  action: z.string().max(50).optional(),
  from: z.string().datetime().optional(),
  to: z.string().datetime().optional(),
});
