import path from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  OPENKAM_DATA_DIR: z.string().min(1).default('./data'),
  OPENKAM_DEMO: bool.default(true),
  OPENKAM_SECURE_COOKIES: z.enum(['auto', 'always', 'never']).default('auto'),
  OPENKAM_TRUST_PROXY: bool.default(false),
  OPENKAM_SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 14),
  OPENKAM_READY_MIN_FREE_MB: z.coerce.number().int().min(0).default(64),
  // ASVS 4.0.3 V3.3.2 (level 2) and NIST SP 800-63B (AAL2): re-authenticate after 30 minutes unused.
  OPENKAM_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60 * 90).default(30),
  OPENKAM_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(1024 ** 3).default(1024 * 1024),
  OPENKAM_TILE_URL: z.string().url().optional(),
  // Interpolated into pg-boss's SQL: a plain lower-case identifier only.
  OPENKAM_PGBOSS_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier').default('pgboss'),
  OPENKAM_UPLOAD_MAX_AGE_HOURS: z.coerce.number().min(1).max(24 * 365).default(24),
  OPENKAM_IMPORT_WORKERS: z.coerce.number().int().min(1).max(64).default(4),
  OPENKAM_IMPORT_WORKER_MEMORY_MB: z.coerce.number().int().min(32).max(64 * 1024).default(512),
  OPENKAM_IMPORT_XLSX_MAX_UNCOMPRESSED_MB: z.coerce.number().int().min(1).max(64 * 1024).default(1024),
  OPENKAM_IMPORT_XLSX_MAX_CELLS: z.coerce.number().int().min(1).default(30_000_000),
  OPENKAM_IMPORT_XLSX_MAX_STRINGS: z.coerce.number().int().min(1).default(2_000_000),
  OPENKAM_IMPORT_MAX_COLUMNS: z.coerce.number().int().min(1).max(16_384).default(1000),
  OPENKAM_IMPORT_MAX_LINE_CHARS: z.coerce.number().int().min(1000).default(1_000_000),
  OPENKAM_ATTACHMENT_MAX_MB: z.coerce.number().int().min(1).max(1024).default(20),
  OPENKAM_ATTACHMENTS_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  sqliteFile: string;
  demo: boolean;
  secureCookies: 'auto' | 'always' | 'never';
  trustProxy: boolean;
  sessionHours: number;
  /** A session unused this long ends (the idle timeout). */
  sessionIdleMinutes: number;
  bodyLimitBytes: number;
  /** /readyz says not ready when the disk under the SQLite file has less free than this. */
  readyMinFreeBytes: number;
  tileUrl: string | undefined;
  /** The PostgreSQL schema of the pg-boss job queue (PostgreSQL mode only). */
  pgBossSchema: string;
  logLevel: string;
  /** Uploads not imported within this age are removed by the cleanup job. */
  uploadMaxAgeHours: number;
  /** How uploaded files are read: in worker threads with these limits (see sales.reader.ts). */
  fileReading: FileReadingConfig;
  attachments: AttachmentsConfig;
};

/** Files attached to accounts (src/modules/attachments). */
export type AttachmentsConfig = {
  /** The largest file accepted, in bytes. */
  maxBytes: number;
  /**
   * Where the files are kept when set (absolute): a directory several servers may share. Unset: under
   * the data directory on SQLite, in the database on PostgreSQL.
   */
  dir: string | undefined;
};

/** The directory that holds attachment files: the configured one, else `<data>/attachments`. */
export const attachmentsDir = (config: Pick<Config, 'dataDir' | 'attachments'>): string => config.attachments.dir ?? path.join(config.dataDir, 'attachments');

export type FileReadingConfig = {
  /** Files read at once (each in its own worker thread); more wait their turn. */
  workers: number;
  /** Old-generation heap of each reader thread, MB: a file that needs more is refused. */
  workerMemoryMb: number;
  limits: ReadLimits;
};

/** Limits a file must stay within to be read; each is refused with a clear error beyond it. */
export type ReadLimits = {
  /** XLSX: each part read (the sheet, the shared strings, the styles), inflated, in bytes. */
  xlsxMaxUncompressedBytes: number;
  xlsxMaxCells: number;
  /** XLSX: entries of the shared-strings table. */
  xlsxMaxStrings: number;
  /** Fields of one line (CSV) or row (XLSX). */
  maxColumns: number;
  /** Characters of one CSV record (a quoted field's line breaks included) or XLSX cell. */
  maxLineChars: number;
};

/** Thrown at boot when an environment variable has a bad value; the message names each one. */
export class ConfigError extends Error {}

/** Parses the environment once, at boot. Unknown variables are ignored; bad values are named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}=${JSON.stringify(env[String(i.path[0])])}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.OPENKAM_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    sqliteFile: path.join(dataDir, 'openkam.sqlite'),
    demo: e.OPENKAM_DEMO,
    secureCookies: e.OPENKAM_SECURE_COOKIES,
    trustProxy: e.OPENKAM_TRUST_PROXY,
    sessionHours: e.OPENKAM_SESSION_HOURS,
    sessionIdleMinutes: e.OPENKAM_SESSION_IDLE_MINUTES,
    bodyLimitBytes: e.OPENKAM_BODY_LIMIT_BYTES,
    readyMinFreeBytes: e.OPENKAM_READY_MIN_FREE_MB * 1024 ** 2,
    tileUrl: e.OPENKAM_TILE_URL,
    pgBossSchema: e.OPENKAM_PGBOSS_SCHEMA,
    logLevel: e.LOG_LEVEL,
    uploadMaxAgeHours: e.OPENKAM_UPLOAD_MAX_AGE_HOURS,
    fileReading: {
      workers: e.OPENKAM_IMPORT_WORKERS,
      workerMemoryMb: e.OPENKAM_IMPORT_WORKER_MEMORY_MB,
      limits: {
        xlsxMaxUncompressedBytes: e.OPENKAM_IMPORT_XLSX_MAX_UNCOMPRESSED_MB * 1024 ** 2,
        xlsxMaxCells: e.OPENKAM_IMPORT_XLSX_MAX_CELLS,
        xlsxMaxStrings: e.OPENKAM_IMPORT_XLSX_MAX_STRINGS,
        maxColumns: e.OPENKAM_IMPORT_MAX_COLUMNS,
        maxLineChars: e.OPENKAM_IMPORT_MAX_LINE_CHARS,
      },
    },
    attachments: {
      maxBytes: e.OPENKAM_ATTACHMENT_MAX_MB * 1024 ** 2,
      dir: e.OPENKAM_ATTACHMENTS_DIR ? path.resolve(e.OPENKAM_ATTACHMENTS_DIR) : undefined,
    },
  };
}
