import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { idParams } from '../../server/http.js';
import { CreateKeyDateBody, KeyDateItem, ReminderItem, RemindersQuery } from './key-dates.contract.js';
import * as keyDates from './key-dates.service.js';
import { Gift, GiftDecisionBody, RecordGiftBody, Register, RegisterQuery } from './gifts.contract.js';
import * as gifts from './gifts.service.js';
import { loadGiftPolicy } from './gifts.settings.js';
import { relationshipsContribution } from './relationships.contributions.js';
import { ContactedBody, CreateTieBody, SetStakeholderBody, StakeholderMap, StakeholderPerson, Tie } from './stakeholders.contract.js';
import * as stakeholders from './stakeholders.service.js';

const tags = ['relationships'];

/**
 * Relationships: the stakeholder map of an account (roles in buying, stance, reporting lines,
 * ties, our owners, freshness and gaps), key dates with their reminders, and gifts under the
 * policy with their compliance register. Staff only; no portal
 * route reads any of it.
 */
export async function relationshipsRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const giftPolicy = loadGiftPolicy();
  deps.contributions.add(relationshipsContribution);
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/accounts/:id/stakeholder-map', {
    config: { policy: 'relationship:read' },
    schema: { tags, summary: 'An account\'s stakeholder map: people, reporting lines, ties, freshness and gaps', params: idParams, response: { 200: StakeholderMap } },
  }, async (req) => stakeholders.getStakeholderMap(ctxOf(req, deps), req.params.id));
  app.put('/api/v1/stakeholders/:id', {
    config: { policy: 'relationship:write' },
    schema: { tags, summary: 'Set a contact\'s place on the map (id: the contact\'s id): role in buying, stance, reports-to, our owner and strength', params: idParams, body: SetStakeholderBody, response: { 200: StakeholderPerson } },
  }, async (req) => stakeholders.setStakeholder(ctxOf(req, deps), req.params.id, req.body));
  app.post('/api/v1/stakeholders/:id/contacted', {
    config: { policy: 'relationship:write' },
    schema: { tags, summary: 'Record that we were in contact with this person on a day (the last contact only moves forward)', params: idParams, body: ContactedBody, response: { 200: StakeholderPerson } },
  }, async (req) => stakeholders.recordContact(ctxOf(req, deps), req.params.id, req.body));
  app.post('/api/v1/stakeholder-ties', {
    config: { policy: 'relationship:write' },
    schema: { tags, summary: 'Tie two people (family, former colleagues, friends, partners), of one account or two', body: CreateTieBody, response: { 201: Tie } },
  }, async (req, reply) => reply.status(201).send(await stakeholders.createTie(ctxOf(req, deps), req.body)));
  app.delete('/api/v1/stakeholder-ties/:id', {
    config: { policy: 'relationship:write' },
    schema: { tags, summary: 'Remove a tie', params: idParams },
  }, async (req, reply) => {
    await stakeholders.deleteTie(ctxOf(req, deps), req.params.id);
    return reply.status(204).send();
  });

  app.get('/api/v1/accounts/:id/key-dates', {
    config: { policy: 'relationship:read' },
    schema: { tags, summary: 'An account\'s key dates (anniversaries, birthdays Gregorian or lunar, its own days) with their next occurrence', params: idParams, response: { 200: z.object({ items: z.array(KeyDateItem) }) } },
  }, async (req) => ({ items: await keyDates.listKeyDates(ctxOf(req, deps), req.params.id) }));
  app.post('/api/v1/key-dates', {
    config: { policy: 'relationship:write' },
    schema: { tags, summary: 'Record a key date of an account or one of its people', body: CreateKeyDateBody, response: { 201: KeyDateItem } },
  }, async (req, reply) => reply.status(201).send(await keyDates.createKeyDate(ctxOf(req, deps), req.body)));
  app.delete('/api/v1/key-dates/:id', {
    config: { policy: 'relationship:write' },
    schema: { tags, summary: 'Remove a key date', params: idParams },
  }, async (req, reply) => {
    await keyDates.deleteKeyDate(ctxOf(req, deps), req.params.id);
    return reply.status(204).send();
  });
  app.get('/api/v1/key-date-reminders', {
    config: { policy: 'relationship:read' },
    schema: { tags, summary: 'Reminders due in a window (at most 400 days) for the key dates of the accounts you see, and the festivals if asked', querystring: RemindersQuery, response: { 200: z.object({ items: z.array(ReminderItem) }) } },
  }, async (req) => ({ items: await keyDates.listReminders(ctxOf(req, deps), req.query) }));

  app.post('/api/v1/gifts', {
    config: { policy: 'relationship:write' },
    schema: { tags, summary: 'Record a gift or hospitality: allowed within the policy, otherwise pending approval with the reasons', body: RecordGiftBody, response: { 201: Gift } },
  }, async (req, reply) => reply.status(201).send(await gifts.recordGift(ctxOf(req, deps), giftPolicy, req.body)));
  app.post('/api/v1/gifts/:id/decision', {
    config: { policy: 'gift:approve' },
    schema: { tags, summary: 'Approve or decline a gift pending approval (not one you gave)', params: idParams, body: GiftDecisionBody, response: { 200: Gift } },
  }, async (req) => gifts.decideGift(ctxOf(req, deps), req.params.id, req.body));
  app.get('/api/v1/gift-register', {
    config: { policy: 'relationship:read' },
    schema: { tags, summary: 'The compliance register of a year: gifts in date order with each person\'s running total, and the policy', querystring: RegisterQuery, response: { 200: Register } },
  }, async (req) => gifts.giftRegister(ctxOf(req, deps), giftPolicy, req.query));
}
