import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from './errors.js';

/** The strong ETag of a versioned record. */
export const etagOf = (id: string, version: number): string => `"${id}.${version}"`;

/**
 * The version a write expects, from If-Match. Updates require it (428 without), so that
 * two clients editing the same record cannot overwrite each other silently.
 */
export function expectedVersion(req: FastifyRequest, id: string): number {
  const header = req.headers['if-match'];
  if (!header) throw new AppError('precondition_required', 428, 'Send the If-Match header with the ETag you read');
  const m = /^(?:W\/)?"([^"]+)\.(\d+)"$/.exec(String(header).trim());
  if (!m || m[1] !== id) throw new AppError('precondition_failed', 412, 'If-Match does not match this record');
  return Number(m[2]);
}

/** Sets the ETag of a versioned record on the reply. */
export function withEtag<T extends { id: string; version: number }>(reply: FastifyReply, record: T): T {
  reply.header('etag', etagOf(record.id, record.version));
  return record;
}

/** Common list query: cursor paging and sort. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Rows per page (1–200)'),
  cursor: z.string().max(500).optional().describe('Opaque cursor from the previous page'),
};

export const pageOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const idParams = z.object({ id: z.string().uuid() });
