import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pageOf } from '../../db/keyset.js';
import type { Ctx, Deps } from '../../server/context.js';
import { AppError, forbidden, notFound } from '../../server/errors.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Attachment, AttachmentPage } from './attachments.contract.js';
import {
  ALLOWED_EXTENSIONS, FILE_TYPES, findCentralDirectory, HEAD_BYTES, isZip, nameForType, type RefusedKind, sanitizeFileName, sniff, storedType, zipEntryNames,
} from './attachments.domain.js';
import * as repo from './attachments.repository.js';
import { type Content, storesFor, sweepStaging } from './attachments.storage.js';

/** Audit actions of this module. Uploads are the module's own timeline events; downloads are reads kept for the audit, not events of the account. */
export const AUDIT = { upload: 'attachment_upload', download: 'attachment_download', delete: 'delete' } as const;
export const ENTITY = 'attachment';
export const SWEEP_JOB = 'attachments.sweep';

/** A zip's central directory read to tell Word, Excel and PowerPoint apart (an Office file's is a few kilobytes). */
const MAX_DIRECTORY_BYTES = 8 * 1024 ** 2;
const EOCD_SEARCH = 22 + 0xffff;

const toAttachment = (r: repo.AttachmentRow): Attachment => ({
  id: r.id, accountId: r.account_id, fileName: r.file_name, contentType: r.content_type, sizeBytes: Number(r.size_bytes), sha256: r.sha256,
  uploadedBy: { id: r.uploaded_by, name: r.uploader_name ?? '—' }, createdAt: r.created_at,
});

const mb = (bytes: number) => `${Math.round((bytes / 1024 ** 2) * 10) / 10} MB`;
const tooLarge = (max: number) => new AppError('attachment_too_large', 413, `The file is larger than the ${mb(max)} limit for attachments`, { maxBytes: max });

const refusal: Record<RefusedKind, string> = {
  executable: 'Programs and scripts cannot be attached',
  markup: 'Web pages, SVG drawings and other markup cannot be attached: a browser would run the scripts they may hold',
  archive: 'Archives (zip and the like) cannot be attached; attach the files inside them',
  macro: 'Office documents with macros cannot be attached; save the document without macros (.docx, .xlsx, .pptx)',
  unknown: 'This kind of file cannot be attached',
};

async function assertAccount(ctx: Ctx, accountId: string, write: boolean): Promise<void> {
  if (!(await repo.accountInScope(ctx.db.kysely, ctx.actor, accountId, false))) throw notFound('Account');
  if (write && !(await repo.accountInScope(ctx.db.kysely, ctx.actor, accountId, true))) throw forbidden('You may not change this account');
}

/** The account's attachments, newest first, with the limits an upload must keep to. */
export async function listAttachments(ctx: Ctx, accountId: string, q: { limit: number; cursor?: string }): Promise<AttachmentPage> {
  await assertAccount(ctx, accountId, false);
  const rows = await repo.listAttachments(ctx.db.kysely, ctx.actor, accountId, q.cursor, q.limit);
  return { ...pageOf(rows, q.limit, (r) => r.created_at, (r) => r.id, toAttachment), maxBytes: ctx.config.attachments.maxBytes, extensions: ALLOWED_EXTENSIONS };
}

export async function getAttachment(ctx: Ctx, id: string): Promise<Attachment> {
  const r = await repo.findAttachment(ctx.db.kysely, ctx.actor, id);
  if (!r) throw notFound('Attachment');
  return toAttachment(r);
}

type Staged = { size: number; sha256: string; head: Buffer; hasNul: boolean };

/** Writes the body to `file` whole (flushed to disk), refusing it past `max` bytes; hashes it and keeps its first bytes on the way. */
async function stage(body: Readable, file: string, max: number): Promise<Staged> {
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headLen = 0;
  let size = 0;
  let hasNul = false;
  const check = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > max) { cb(tooLarge(max)); return; }
      hash.update(chunk);
      if (!hasNul && chunk.includes(0)) hasNul = true;
      if (headLen < HEAD_BYTES) { head.push(chunk.subarray(0, HEAD_BYTES - headLen)); headLen += Math.min(chunk.length, HEAD_BYTES - headLen); }
      cb(null, chunk);
    },
  });
  // The request is piped, not put in the pipeline: refused, it is read on to its end and dropped
  // (as Node does with a body nobody reads) rather than destroyed, so the client gets the answer.
  const aborted = () => { if (!body.readableEnded) check.destroy(new AppError('upload_aborted', 400, 'The upload was interrupted')); };
  body.once('error', aborted).once('close', aborted);
  body.pipe(check);
  try {
    // 'wx': a new file only; flushed to the disk before it is closed, so a rename makes it whole or not at all.
    await pipeline(check, createWriteStream(file, { flags: 'wx', flush: true }));
  } catch (e) {
    body.unpipe(check);
    body.resume();
    throw e;
  } finally {
    body.off('error', aborted).off('close', aborted);
  }
  return { size, sha256: hash.digest('hex'), head: Buffer.concat(head), hasNul };
}

/** The entry names of the zip in `file`, or null when its directory cannot be read (then it is no Office file). */
async function zipNames(file: string, size: number): Promise<string[] | null> {
  const fh = await open(file, 'r');
  try {
    const tailLen = Math.min(size, EOCD_SEARCH);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    const cd = findCentralDirectory(tail, size);
    if (!cd || cd.size > MAX_DIRECTORY_BYTES) return null;
    const dir = Buffer.alloc(cd.size);
    await fh.read(dir, 0, cd.size, cd.offset);
    return zipEntryNames(dir);
  } finally {
    await fh.close();
  }
}

const removeFile = (file: string) => unlink(file).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });

/**
 * Stores a file on the account: its bytes are written to a staging file whole, its type told from
 * them (refused: programs, markup, archives, macros, anything unknown), then the row, the content
 * and the audit entry are written in one transaction. A refused or failed upload leaves nothing.
 */
export async function uploadAttachment(ctx: Ctx, accountId: string, body: Readable, q: { fileName: string }, declaredBytes: number | null): Promise<Attachment> {
  await assertAccount(ctx, accountId, true);
  return storeAttachment(ctx, accountId, body, q, declaredBytes);
}

/**
 * Stores a file on an account as `uploadAttachment` does, for a module that has already decided the
 * caller may add it (a dealer's evidence on its own claim: the dealer may not change the account
 * otherwise). The same checks of size and type apply; the upload is audited the same way.
 */
export async function storeAttachment(ctx: Ctx, accountId: string, body: Readable, q: { fileName: string }, declaredBytes: number | null): Promise<Attachment> {
  if (!(await repo.accountInScope(ctx.db.kysely, ctx.actor, accountId, false))) throw notFound('Account');
  const max = ctx.config.attachments.maxBytes;
  // Said too large up front: refused before a byte is read.
  if (declaredBytes !== null && declaredBytes > max) throw tooLarge(max);
  const given = sanitizeFileName(q.fileName);
  const store = storesFor(ctx.config, ctx.db.dialect).current;
  const id = newId();
  await mkdir(store.stagingDir, { recursive: true });
  const staged = path.join(store.stagingDir, `${id}.part`);
  try {
    const s = await stage(body, staged, max);
    if (s.size === 0) throw new AppError('attachment_empty', 400, 'The file is empty');
    const sniffed = sniff(s.head, isZip(s.head) ? await zipNames(staged, s.size) : null, s.hasNul);
    if (!sniffed.ok) {
      throw new AppError('attachment_type_refused', 415, `${refusal[sniffed.refused]}. Accepted: PDF, pictures (PNG, JPEG, GIF, WebP, HEIC), Word, Excel, PowerPoint, CSV and plain text`, {
        refused: sniffed.refused, extensions: ALLOWED_EXTENSIONS,
      });
    }
    const type = storedType(sniffed.type, given);
    const fileName = nameForType(given, type);
    const row = {
      id, account_id: accountId, file_name: fileName, content_type: FILE_TYPES[type].mime, size_bytes: s.size, sha256: s.sha256,
      storage: store.kind, uploaded_by: ctx.actor.userId, created_at: ctx.clock.now().toISOString(),
    };
    try {
      await ctx.db.kysely.transaction().execute(async (trx) => {
        await repo.insertAttachment(trx, row);
        await store.put(trx, id, staged);
        await recordAudit(trx, ctx, {
          action: AUDIT.upload, entity: ENTITY, entityId: id, accountId,
          after: { fileName, contentType: row.content_type, sizeBytes: s.size, sha256: s.sha256, storage: store.kind },
        });
      });
    } catch (e) {
      // The content may already be in place (a file renamed before the commit failed): it goes,
      // unless the row turns out to be there after all (a commit whose answer was lost). When the
      // database cannot say, the file stays for the cleanup job, which keeps it only with its row.
      const committed = await repo.existingIds(ctx.db.kysely, [id]).then((ids) => ids.has(id), () => null);
      if (committed === false) await store.undoPut(id);
      throw e;
    }
    return getAttachment(ctx, id);
  } finally {
    await removeFile(staged);
  }
}

/** An attachment's content to download, with its row; the download is audited (a HEAD request, which sends nothing, is not). */
export async function downloadAttachment(ctx: Ctx, id: string, opts: { audit: boolean } = { audit: true }): Promise<{ attachment: Attachment; content: Content }> {
  const r = await repo.findAttachment(ctx.db.kysely, ctx.actor, id);
  if (!r) throw notFound('Attachment');
  const content = await storesFor(ctx.config, ctx.db.dialect).of(r.storage).read(ctx.db.kysely, id);
  if (!content) throw new AppError('attachment_missing', 410, 'The file of this attachment is missing from the storage; ask an administrator');
  if (opts.audit) await recordAudit(ctx.db.kysely, ctx, { action: AUDIT.download, entity: ENTITY, entityId: id, accountId: r.account_id, after: { fileName: r.file_name } });
  return { attachment: toAttachment(r), content };
}

/** Deletes the attachment: its row and content together (audited), for whoever may change the account. */
export async function deleteAttachment(ctx: Ctx, id: string): Promise<void> {
  const r = await repo.findAttachment(ctx.db.kysely, ctx.actor, id);
  if (!r) throw notFound('Attachment');
  await assertAccount(ctx, r.account_id, true);
  const store = storesFor(ctx.config, ctx.db.dialect).of(r.storage);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await store.remove(trx, id);
    if (!(await repo.deleteAttachment(trx, ctx.actor, id))) throw notFound('Attachment');
    await recordAudit(trx, ctx, { action: AUDIT.delete, entity: ENTITY, entityId: id, accountId: r.account_id, before: toAttachment(r) });
  });
  // The row is gone: a file that cannot be removed now is an orphan the cleanup job removes.
  await store.afterRemove(id).catch(() => undefined);
}

/**
 * The cleanup job: staged uploads left by requests that died, and files of the directory no row
 * knows (an account deleted with its attachments, a delete whose file removal failed), once an hour old.
 */
export async function sweepAttachments(deps: Pick<Deps, 'db' | 'clock' | 'config'>): Promise<{ removed: number }> {
  const cutoff = new Date(deps.clock.now().getTime() - 3600_000);
  let removed = 0;
  for (const store of storesFor(deps.config, deps.db.dialect).all) {
    removed += await sweepStaging(store, cutoff);
    const ids = await store.storedIds(cutoff);
    if (!ids.length) continue;
    const known = await repo.existingIds(deps.db.kysely, ids);
    for (const id of ids.filter((x) => !known.has(x))) { await store.afterRemove(id); removed++; }
  }
  return { removed };
}
