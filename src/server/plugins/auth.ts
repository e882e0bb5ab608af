import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorFromApiToken, actorFromSession } from '../../modules/auth/auth.service.js';
import { safeEqual } from '../../modules/auth/auth.tokens.js';
import type { Deps } from '../context.js';
import { AppError } from '../errors.js';
import { allows } from '../policy.js';

export const SESSION_COOKIE = 'openkam_session';
/** Marks a browser that signed in to an account before (a random token; the server keeps its hash). */
export const DEVICE_COOKIE = 'openkam_device';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionCookieOptions(deps: Deps, req: FastifyRequest, maxAgeSeconds: number) {
  const secure = deps.config.secureCookies === 'always' || (deps.config.secureCookies === 'auto' && req.protocol === 'https');
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, maxAge: maxAgeSeconds };
}

/**
 * Resolves the caller (API token or session cookie) and enforces each route's declared policy:
 * a route without one is refused (and the route-policy test fails), the role must hold the
 * permission, a read-only token may not write, and cookie-authenticated writes need the CSRF token.
 */
export function authPlugin(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    if (!req.url.startsWith('/api/v1/')) return; // health, docs and the web app declare their own
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      req.actor = await actorFromApiToken(deps, auth.slice(7).trim());
      if (!req.actor) throw new AppError('unauthenticated', 401, 'The API token is invalid or revoked');
    } else {
      const token = req.cookies[SESSION_COOKIE];
      if (token) req.actor = await actorFromSession(deps, token);
    }
    const policy = req.routeOptions.config.policy;
    if (!req.routeOptions.url) return; // unknown route: the 404 handler answers
    if (!policy) throw new AppError('no_policy', 500, 'This route declares no policy and is refused');
    if (policy === 'public') return;
    const actor = req.actor;
    if (!actor) throw new AppError('unauthenticated', 401, 'Sign in first');
    if (!allows(actor.role, policy)) throw new AppError('forbidden', 403, 'Your role does not allow this');
    if (SAFE_METHODS.has(req.method)) return;
    if (actor.via === 'token' && actor.tokenScope !== 'read-write') throw new AppError('forbidden', 403, 'This API token is read-only');
    if (actor.via === 'session') {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !actor.csrfToken || !safeEqual(sent, actor.csrfToken)) {
        throw new AppError('csrf', 403, 'Missing or wrong X-CSRF-Token header');
      }
    }
  });
}
