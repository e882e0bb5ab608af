import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { classifyStorageFailure, storageFailureDetail } from '../../db/storage-errors.js';
import { AppError, type FieldError } from '../errors.js';

type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: FieldError[];
  [key: string]: unknown;
};

const titles: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 410: 'Gone', 412: 'Precondition Failed',
  413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 428: 'Precondition Required', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

function dbConstraint(err: unknown): AppError | null {
  const e = err as { code?: string; message?: string; constraint?: string };
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === '23505') {
    return new AppError('duplicate', 409, 'A record with the same unique value already exists');
  }
  if (e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || e.code === '23503') {
    return new AppError('invalid_reference', 409, 'The record refers to something that does not exist, or is still referred to');
  }
  return null;
}

/** RFC 9457 problem+json for every error; unknown errors are logged and answered 500 without internals. */
export async function errorsPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    let problem: Problem;
    let logged = false;
    // Fastify marks its own client-side failures 4xx (an aborted upload is an ECONNRESET too).
    const clientSide = typeof error.statusCode === 'number' && error.statusCode < 500;
    const storage = error instanceof AppError || clientSide ? null : classifyStorageFailure(error);
    const base = { instance: req.url, type: 'about:blank' };
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const errors = error.validation.flatMap((v) => {
        const at = [where, ...v.instancePath.split('/').filter(Boolean)];
        const keys = (v.params as { keys?: string[] }).keys;
        // Name each unknown field in its own path, so a form can point at it.
        if (v.keyword === 'unrecognized_keys' && keys?.length) return keys.map((k) => ({ path: [...at, k].join('.'), message: 'unknown field' }));
        return [{ path: at.join('.'), message: v.message ?? 'invalid' }];
      });
      problem = { ...base, status: 400, title: titles[400]!, code: 'validation_failed', detail: `Invalid ${where}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors };
    } else if (error instanceof AppError) {
      problem = { ...base, status: error.status, title: titles[error.status] ?? 'Error', code: error.code, detail: error.message, ...(error.details ?? {}) };
      for (const [k, v] of Object.entries(error.headers ?? {})) reply.header(k, v);
    } else if (storage) {
      // The database (or the disk under it) cannot serve now: 503, with the database's own words in
      // the log (SQLITE_FULL, 57P01 terminating connection…), the client told only the reason.
      req.log.error({ err: error, reason: storage.reason }, `database unavailable: ${storage.cause}`);
      logged = true;
      problem = { ...base, status: 503, title: titles[503]!, code: 'database_unavailable', detail: storageFailureDetail[storage.reason], reason: storage.reason };
      if (storage.reason === 'unreachable') reply.header('retry-after', '5');
    } else if (dbConstraint(error)) {
      const e = dbConstraint(error)!;
      problem = { ...base, status: e.status, title: titles[e.status]!, code: e.code, detail: e.message };
    } else if (isResponseSerializationError(error)) {
      req.log.error({ err: error }, 'response does not match its schema');
      problem = { ...base, status: 500, title: titles[500]!, code: 'internal', detail: 'Something went wrong on our side; it has been logged' };
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own client errors: malformed JSON, body too large, wrong content type…
      const code = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'body_too_large'
        : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported_media_type'
        : error.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError ? 'malformed_body' : 'bad_request';
      problem = { ...base, status: error.statusCode, title: titles[error.statusCode] ?? 'Bad Request', code, detail: error.message };
    } else {
      req.log.error({ err: error }, 'unhandled error');
      problem = { ...base, status: 500, title: titles[500]!, code: 'internal', detail: 'Something went wrong on our side; it has been logged' };
    }
    if (problem.status >= 500 && !logged) req.log.error({ code: problem.code }, problem.detail);
    return reply.status(problem.status).type('application/problem+json').send(problem);
  });

  app.setNotFoundHandler((req, reply) => {
    return reply.status(404).type('application/problem+json').send({
      type: 'about:blank', title: titles[404], status: 404, code: 'not_found', detail: `No route ${req.method} ${req.url.split('?')[0]}`, instance: req.url,
    });
  });
}
