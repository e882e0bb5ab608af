import type { Kysely, Transaction } from 'kysely';
import { keyset } from '../../db/keyset.js';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../auth/auth.domain.js';
import { accountVisibleTo, accountWritableBy } from '../../server/policy.js';
import type { AccountAttachmentsTable } from './attachments.table.js';

export type Q = Kysely<Database> | Transaction<Database>;
export type AttachmentRow = AccountAttachmentsTable & { uploader_name: string | null };

const withUploader = (k: Q, actor: Actor) => k.selectFrom('account_attachments')
  .leftJoin('users', 'users.id', 'account_attachments.uploaded_by')
  .selectAll('account_attachments').select('users.name as uploader_name')
  .where(accountVisibleTo(actor, 'account_attachments.account_id'));

/** Whether the actor sees the account (`write`: and may change it). */
export async function accountInScope(k: Q, actor: Actor, accountId: string, write: boolean): Promise<boolean> {
  const row = await k.selectFrom('accounts').select('id').where('id', '=', accountId)
    .where(write ? accountWritableBy(actor, 'accounts.id') : accountVisibleTo(actor, 'accounts.id')).executeTakeFirst();
  return !!row;
}

/** One page of an account's attachments the actor sees, newest first. */
export async function listAttachments(k: Q, actor: Actor, accountId: string, cursor: string | undefined, limit: number): Promise<AttachmentRow[]> {
  const q = withUploader(k, actor).where('account_attachments.account_id', '=', accountId);
  return keyset(q, { column: 'account_attachments.created_at', direction: 'desc' }, 'account_attachments.id', cursor, limit).execute();
}

export async function findAttachment(k: Q, actor: Actor, id: string): Promise<AttachmentRow | undefined> {
  return withUploader(k, actor).where('account_attachments.id', '=', id).executeTakeFirst();
}

export async function insertAttachment(k: Q, row: AccountAttachmentsTable): Promise<void> {
  await k.insertInto('account_attachments').values(row).execute();
}

/** Deletes the attachment if the actor may change its account; whether it did. */
export async function deleteAttachment(k: Q, actor: Actor, id: string): Promise<boolean> {
  const r = await k.deleteFrom('account_attachments').where('id', '=', id)
    .where(accountWritableBy(actor, 'account_attachments.account_id')).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Which of these ids have a row (the cleanup of a directory store keeps their files). */
export async function existingIds(k: Q, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await k.selectFrom('account_attachments').select('id').where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) out.add(r.id);
  }
  return out;
}

export async function insertBlob(k: Q, attachmentId: string, content: Buffer): Promise<void> {
  await k.insertInto('attachment_blobs').values({ attachment_id: attachmentId, content }).execute();
}

export async function readBlob(k: Q, attachmentId: string): Promise<Buffer | null> {
  const r = await k.selectFrom('attachment_blobs').select('content').where('attachment_id', '=', attachmentId).executeTakeFirst();
  return r ? Buffer.from(r.content) : null;
}

export async function deleteBlob(k: Q, attachmentId: string): Promise<void> {
  await k.deleteFrom('attachment_blobs').where('attachment_id', '=', attachmentId).execute();
}
