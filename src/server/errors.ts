/** A field-level problem, `path` in JSON-pointer-like dotted form (e.g. `body.contacts.0.email`). */
export type FieldError = { path: string; message: string };

/**
 * The one application error. `code` is a stable string clients can switch on;
 * the error handler turns it into RFC 9457 problem+json.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: { errors?: FieldError[]; [key: string]: unknown },
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError('not_found', 404, `${what} was not found`);
export const forbidden = (message = 'You are not allowed to do this') => new AppError('forbidden', 403, message);
export const conflict = (message: string) => new AppError('conflict', 409, message);
export const badRequest = (message: string, errors?: FieldError[]) =>
  new AppError('invalid_request', 400, message, errors ? { errors } : undefined);
