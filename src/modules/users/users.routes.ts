import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { expectedVersion, idParams, pageOf, withEtag } from '../../server/http.js';
import { AuditEntry, AuditQuery } from '../audit/audit.contract.js';
import { browseAudit } from '../audit/audit.service.js';
import { CreateTeamBody, CreateUserBody, Team, Territory, UpdateTeamBody, UpdateUserBody, User, UserQuery } from './users.contract.js';
import * as users from './users.service.js';

export async function usersRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['users and teams'];

  app.get('/api/v1/users', {
    config: { policy: 'user:read' },
    schema: { tags, summary: 'People: search by name or e-mail, filter by role or team', querystring: UserQuery, response: { 200: pageOf(User) } },
  }, async (req) => users.listUsers(ctxOf(req, deps), req.query));

  app.post('/api/v1/users', {
    config: { policy: 'user:admin' },
    schema: { tags, summary: 'Create a user', body: CreateUserBody, response: { 201: User } },
  }, async (req, reply) => reply.status(201).send(withEtag(reply, await users.createUser({ ...deps, actor: req.actor, requestId: req.id }, req.body))));

  app.get('/api/v1/users/:id', {
    config: { policy: 'user:read' },
    schema: { tags, summary: 'One user', params: idParams, response: { 200: User } },
  }, async (req, reply) => withEtag(reply, await users.getUser(ctxOf(req, deps), req.params.id)));

  app.patch('/api/v1/users/:id', {
    config: { policy: 'user:admin' },
    schema: { tags, summary: 'Change role, team, account or deactivate (If-Match required)', params: idParams, body: UpdateUserBody, response: { 200: User } },
  }, async (req, reply) => {
    const version = expectedVersion(req, req.params.id);
    return withEtag(reply, await users.updateUserAsAdmin(ctxOf(req, deps), req.params.id, version, req.body));
  });

  app.get('/api/v1/teams', {
    config: { policy: 'user:read' },
    schema: { tags, summary: 'Teams with their director and size', response: { 200: z.object({ items: z.array(Team) }) } },
  }, async (req) => ({ items: await users.listTeams(ctxOf(req, deps)) }));

  app.post('/api/v1/teams', {
    config: { policy: 'user:admin' },
    schema: { tags, summary: 'Create a team', body: CreateTeamBody, response: { 201: Team } },
  }, async (req, reply) => reply.status(201).send(withEtag(reply, await users.createTeam(ctxOf(req, deps), req.body))));

  app.patch('/api/v1/teams/:id', {
    config: { policy: 'user:admin' },
    schema: { tags, summary: 'Rename a team or change its director (If-Match required)', params: idParams, body: UpdateTeamBody, response: { 200: Team } },
  }, async (req, reply) => {
    const version = expectedVersion(req, req.params.id);
    return withEtag(reply, await users.updateTeam(ctxOf(req, deps), req.params.id, version, req.body));
  });

  app.get('/api/v1/territories', {
    config: { policy: 'user:read' },
    schema: { tags, summary: 'Sales territories', response: { 200: z.object({ items: z.array(Territory) }) } },
  }, async (req) => ({ items: await users.listTerritories(ctxOf(req, deps)) }));

  app.get('/api/v1/audit', {
    config: { policy: 'audit:read' },
    schema: { tags: ['audit'], summary: 'The audit log (admins)', querystring: AuditQuery, response: { 200: pageOf(AuditEntry) } },
  }, async (req) => browseAudit(ctxOf(req, deps), req.query));
}
