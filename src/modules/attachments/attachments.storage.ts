/**
 * Where the bytes of attachments are kept: files in a directory (SQLite's default, under the data
 * directory; or a directory several servers share), or a table of the database (PostgreSQL's
 * default). Either way an upload is first written whole to a staging file, checked, and only then
 * made the attachment's content, inside the transaction that records it: no row without its bytes,
 * no bytes without their row.
 */
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Dialect } from '../../db/database.js';
import { attachmentsDir, type Config } from '../../server/config.js';
import * as repo from './attachments.repository.js';

export type StorageKind = 'directory' | 'database';

/** The content of a stored attachment: a stream from a file, or the bytes from the database. */
export type Content = Readable | Buffer;

export type AttachmentStore = {
  readonly kind: StorageKind;
  /** Where uploads are written while they arrive and are checked (`<id>.part`). */
  readonly stagingDir: string;
  /** Inside the transaction that records the attachment: makes the staged file its content. */
  put(trx: repo.Q, id: string, staged: string): Promise<void>;
  /** The transaction that ran `put` did not commit: undoes what `put` did outside the database. */
  undoPut(id: string): Promise<void>;
  /** The content, or null when it is missing. */
  read(k: repo.Q, id: string): Promise<Content | null>;
  /** Inside the transaction that deletes the attachment. */
  remove(trx: repo.Q, id: string): Promise<void>;
  /** After that transaction committed: removes what lies outside the database. */
  afterRemove(id: string): Promise<void>;
  /** Files of the store no row knows (ids), for the cleanup; none for the database. */
  storedIds(olderThan: Date): Promise<string[]>;
};

const gone = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Files named by the attachment id in `dir`, uploads staged in `dir/.staging`: a rename is atomic within one file system. */
export function directoryStore(dir: string): AttachmentStore {
  const file = (id: string) => {
    if (!ID.test(id)) throw new Error(`not an attachment id: ${id}`);
    return path.join(dir, id);
  };
  return {
    kind: 'directory',
    stagingDir: path.join(dir, '.staging'),
    async put(_trx, id, staged) { await mkdir(dir, { recursive: true }); await rename(staged, file(id)); },
    async undoPut(id) { await unlink(file(id)).catch((e: unknown) => { if (!gone(e)) throw e; }); },
    async read(_k, id) {
      try {
        const fh = await open(file(id), 'r');
        return fh.createReadStream();
      } catch (e) {
        if (gone(e)) return null;
        throw e;
      }
    },
    async remove() { /* the file goes once the row is gone (afterRemove) */ },
    async afterRemove(id) { await unlink(file(id)).catch((e: unknown) => { if (!gone(e)) throw e; }); },
    async storedIds(olderThan) {
      const names = await readdir(dir).catch((e: unknown) => { if (gone(e)) return [] as string[]; throw e; });
      const out: string[] = [];
      for (const n of names.filter((x) => ID.test(x))) {
        const s = await stat(path.join(dir, n)).catch(() => null);
        if (s?.isFile() && s.mtime < olderThan) out.push(n);
      }
      return out;
    },
  };
}

/** Bytes in the attachment_blobs table, in the transaction of the row: every server sees them, a backup holds them. */
export function databaseStore(stagingDir: string): AttachmentStore {
  return {
    kind: 'database',
    stagingDir,
    async put(trx, id, staged) { await repo.insertBlob(trx, id, await readFile(staged)); },
    async undoPut() { /* rolled back with the transaction */ },
    read: (k, id) => repo.readBlob(k, id),
    remove: (trx, id) => repo.deleteBlob(trx, id),
    async afterRemove() { /* deleted with the row */ },
    storedIds: async () => [],
  };
}

/** The directory files are kept in: the configured one, else `attachments` under the data directory. */

export type Stores = {
  /** Where new uploads go. */
  current: AttachmentStore;
  /** The store an attachment's row names (older files stay readable after the configuration changed). */
  of(kind: string): AttachmentStore;
  all: AttachmentStore[];
};

/**
 * A configured directory (OPENKAM_ATTACHMENTS_DIR) on either database; without one, the data
 * directory on SQLite and the database on PostgreSQL (so several servers see the same files).
 */
export function storesFor(config: Pick<Config, 'dataDir' | 'attachments'>, dialect: Dialect): Stores {
  const directory = directoryStore(attachmentsDir(config));
  const database = databaseStore(path.join(config.dataDir, 'attachment-uploads'));
  const current = config.attachments.dir || dialect === 'sqlite' ? directory : database;
  return {
    current,
    of: (kind) => {
      if (kind === 'directory') return directory;
      if (kind === 'database') return database;
      throw new Error(`unknown attachment storage: ${kind}`);
    },
    all: [directory, database],
  };
}

/** Removes staged uploads older than `olderThan` (a request that died while its file arrived). */
export async function sweepStaging(store: AttachmentStore, olderThan: Date): Promise<number> {
  const names = await readdir(store.stagingDir).catch(() => [] as string[]);
  let removed = 0;
  for (const n of names.filter((x) => x.endsWith('.part'))) {
    const f = path.join(store.stagingDir, n);
    const s = await stat(f).catch(() => null);
    if (s && s.mtime < olderThan) { await unlink(f).catch(() => undefined); removed++; }
  }
  return removed;
}
