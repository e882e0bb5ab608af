import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { expectedVersion, idParams, pageOf, withEtag } from '../../server/http.js';
import { AuditEntry, AuditQuery } from '../audit/audit.contract.js';
import { browseAudit } from '../audit/audit.service.js';
import { auditContribution } from '../audit/audit.contributions.js';
import { accountsContribution } from './accounts.contributions.js';
import { Account, AccountQuery, CreateAccountBody, TeamMemberBody, UpdateAccountBody } from './accounts.contract.js';
import * as accounts from './accounts.service.js';

const tags = ['accounts'];

export async function accountsRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // The account's history is served here, so the audit log's timeline part is registered here too.
  deps.contributions.add(auditContribution);
  deps.contributions.add(accountsContribution);

  app.get('/api/v1/accounts', {
    config: { policy: 'account:read' },
    schema: { tags, summary: 'Accounts you can see: search, filter, sort, cursor paging', querystring: AccountQuery, response: { 200: pageOf(Account) } },
  }, async (req) => accounts.listAccounts(ctxOf(req, deps), req.query));

  app.post('/api/v1/accounts', {
    config: { policy: 'account:create' },
    schema: { tags, summary: 'Create an account', body: CreateAccountBody, response: { 201: Account } },
  }, async (req, reply) => reply.status(201).send(withEtag(reply, await accounts.createAccount(ctxOf(req, deps), req.body))));

  app.get('/api/v1/accounts/:id', {
    config: { policy: 'account:read' },
    schema: { tags, summary: 'One account (ETag for If-Match)', params: idParams, response: { 200: Account } },
  }, async (req, reply) => withEtag(reply, await accounts.getAccount(ctxOf(req, deps), req.params.id)));

  app.patch('/api/v1/accounts/:id', {
    config: { policy: 'account:write' },
    schema: { tags, summary: 'Update an account (If-Match required)', params: idParams, body: UpdateAccountBody, response: { 200: Account } },
  }, async (req, reply) => {
    const version = expectedVersion(req, req.params.id);
    return withEtag(reply, await accounts.updateAccount(ctxOf(req, deps), req.params.id, version, req.body));
  });

  app.put('/api/v1/accounts/:id/team', {
    config: { policy: 'account:write' },
    schema: { tags, summary: 'Add a person to the account team, or change their role', params: idParams, body: TeamMemberBody, response: { 200: Account } },
  }, async (req, reply) => withEtag(reply, await accounts.setTeamMember(ctxOf(req, deps), req.params.id, req.body.userId, req.body.role)));

  app.delete('/api/v1/accounts/:id/team/:userId', {
    config: { policy: 'account:write' },
    schema: { tags, summary: 'Remove a person from the account team', params: z.object({ id: z.string().uuid(), userId: z.string().uuid() }), response: { 200: Account } },
  }, async (req, reply) => withEtag(reply, await accounts.removeTeamMember(ctxOf(req, deps), req.params.id, req.params.userId)));

  app.get('/api/v1/accounts/:id/audit', {
    config: { policy: 'activity:read' },
    schema: { tags, summary: "The account's change history", params: idParams, querystring: AuditQuery.pick({ limit: true, cursor: true }), response: { 200: pageOf(AuditEntry) } },
  }, async (req) => {
    const ctx = ctxOf(req, deps);
    await accounts.getAccount(ctx, req.params.id);
    return browseAudit(ctx, { ...req.query, accountId: req.params.id });
  });
}
