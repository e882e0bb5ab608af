import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { idParams } from '../../server/http.js';
import { DEVICE_COOKIE, SESSION_COOKIE, sessionCookieOptions } from '../../server/plugins/auth.js';
import { UpdateProfileBody } from '../users/users.contract.js';
import { updateProfile } from '../users/users.service.js';
import { ApiToken, ChangePasswordBody, CreatedToken, CreateTokenBody, LoginBody, Me } from './auth.contract.js';
import type { Actor } from './auth.domain.js';
import * as auth from './auth.service.js';
import { LoginThrottle } from './auth.throttle.js';

const tags = ['auth'];
const me = (a: Actor): Me => ({
  id: a.userId, email: a.email, name: a.name, role: a.role, teamId: a.teamId, department: a.department ?? null, accountId: a.accountId,
  locale: a.locale as Me['locale'], timeZone: a.timeZone, csrfToken: a.csrfToken ?? null,
});

export async function authRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const throttle = new LoginThrottle(deps.clock);

  app.post('/api/v1/auth/login', {
    config: { policy: 'public' },
    schema: { tags, summary: 'Sign in with e-mail and password (sets the session cookie)', body: LoginBody, response: { 200: Me } },
  }, async (req, reply) => {
    const r = await auth.login({ ...deps, throttle, requestId: req.id }, { ...req.body, ip: req.ip, userAgent: req.headers['user-agent'], deviceToken: req.cookies[DEVICE_COOKIE] });
    reply.setCookie(SESSION_COOKIE, r.token, sessionCookieOptions(deps, req, deps.config.sessionHours * 3600));
    // Sent only to the sign-in route: no other request needs it.
    reply.setCookie(DEVICE_COOKIE, r.deviceToken, { ...sessionCookieOptions(deps, req, auth.KNOWN_DEVICE_DAYS * 86_400), path: '/api/v1/auth/login' });
    return me(r.actor);
  });

  app.post('/api/v1/auth/logout', {
    config: { policy: 'self' },
    schema: { tags, summary: 'Sign out of this session', response: { 204: z.null() } },
  }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await auth.logout(ctxOf(req, deps), token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.post('/api/v1/auth/logout-everywhere', {
    config: { policy: 'self' },
    schema: {
      tags, summary: 'Sign out of every session on every device and revoke your API tokens',
      response: { 200: z.object({ sessionsEnded: z.number().int(), tokensRevoked: z.number().int() }) },
    },
  }, async (req, reply) => {
    const r = await auth.logoutEverywhere(ctxOf(req, deps));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return r;
  });

  app.get('/api/v1/auth/me', {
    config: { policy: 'self' },
    schema: { tags, summary: 'The signed-in user, with the CSRF token for writes', response: { 200: Me } },
  }, async (req) => me(ctxOf(req, deps).actor));

  app.patch('/api/v1/auth/me', {
    config: { policy: 'self' },
    schema: { tags, summary: 'Change your name, language or time zone', body: UpdateProfileBody, response: { 200: Me } },
  }, async (req) => {
    const ctx = ctxOf(req, deps);
    const u = await updateProfile(ctx, req.body);
    return me({ ...ctx.actor, name: u.name, locale: u.locale, timeZone: u.timeZone });
  });

  app.post('/api/v1/auth/password', {
    config: { policy: 'self' },
    schema: { tags, summary: 'Change your password (ends your other sessions and revokes your API tokens)', body: ChangePasswordBody, response: { 204: z.null() } },
  }, async (req, reply) => {
    await auth.changePassword(ctxOf(req, deps), req.cookies[SESSION_COOKIE], req.body.currentPassword, req.body.newPassword);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/auth/tokens', {
    config: { policy: 'self' },
    schema: { tags, summary: 'Your personal API tokens', response: { 200: z.object({ items: z.array(ApiToken) }) } },
  }, async (req) => ({ items: await auth.listApiTokens(ctxOf(req, deps)) }));

  app.post('/api/v1/auth/tokens', {
    config: { policy: 'self' },
    schema: { tags, summary: 'Create a personal API token (the token is shown once)', body: CreateTokenBody, response: { 201: CreatedToken } },
  }, async (req, reply) => {
    const t = await auth.createApiToken(ctxOf(req, deps), req.body.name, req.body.scope);
    return reply.status(201).send(t);
  });

  app.delete('/api/v1/auth/tokens/:id', {
    config: { policy: 'self' },
    schema: { tags, summary: 'Revoke a personal API token', params: idParams, response: { 204: z.null() } },
  }, async (req, reply) => {
    await auth.revokeApiToken(ctxOf(req, deps), req.params.id);
    return reply.status(204).send(null);
  });
}
