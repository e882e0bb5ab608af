import type { FastifyInstance } from 'fastify';
import { nulPaths } from '../../shared/text.js';
import { AppError } from '../errors.js';

const message = 'must not contain the NUL character (U+0000)';

/**
 * Refuses U+0000 anywhere in a request's path parameters, query string or JSON body, with 400 and
 * the field's path, before any route's schema runs. One check on the request rather than a
 * refinement on each of the contracts' string schemas, so that no field can be missed: a NUL would
 * be stored as is by SQLite and fail the statement (500) on PostgreSQL.
 */
export function textInputPlugin(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const paths = [...nulPaths(req.params, 'params'), ...nulPaths(req.query, 'querystring'), ...nulPaths(req.body, 'body')];
    if (paths.length === 0) return;
    throw new AppError('validation_failed', 400, `Invalid request: ${paths.map((p) => `${p}: ${message}`).join('; ')}`, { errors: paths.map((path) => ({ path, message })) });
  });
}
