/** Zod schemas of the stakeholder map: staff only, never the dealer portal. */
import { z } from 'zod';
import { BUYING_ROLES, STANCES, TIE_KINDS } from './stakeholders.domain.js';

export const BuyingRole = z.enum(BUYING_ROLES).describe('Role in buying: decision_maker, influencer, buyer, user, gatekeeper, finance');
export const Stance = z.enum(STANCES).describe('Stance towards us: champion, supporter, neutral, sceptic, opponent');
export const TieKind = z.enum(TIE_KINDS);

export const StakeholderPerson = z.object({
  contactId: z.string(),
  accountId: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  title: z.string().nullable(),
  buyingRole: BuyingRole,
  stance: Stance,
  influence: z.number().int().min(1).max(5).describe('From the contact'),
  reportsToContactId: z.string().nullable(),
  owner: z.object({ id: z.string(), name: z.string() }).nullable().describe('Our relationship owner'),
  strength: z.number().int().min(1).max(5).nullable().describe('Strength of our relationship, 1 (weak) to 5 (strong)'),
  lastContactOn: z.string().nullable().describe('YYYY-MM-DD'),
  freshnessDays: z.number().int().nullable().describe('Days since our last contact; null if never'),
  mapped: z.boolean().describe('False while the role and stance are still read from the contact'),
  version: z.number().int().describe('0 until the map has been set for this person'),
});
export type StakeholderPerson = z.infer<typeof StakeholderPerson>;

export const Tie = z.object({
  id: z.string(),
  kind: TieKind,
  note: z.string().nullable(),
  from: z.object({ contactId: z.string(), accountId: z.string(), name: z.string() }),
  to: z.object({ contactId: z.string(), accountId: z.string(), name: z.string() }),
  createdAt: z.string(),
});
export type Tie = z.infer<typeof Tie>;

export const GapCode = z.enum(['no_decision_maker', 'decision_maker_not_contacted', 'no_champion', 'single_point_of_contact']);
export const Gap = z.object({ code: GapCode, contactId: z.string().nullable(), days: z.number().int().nullable() });

export const StakeholderMap = z.object({
  accountId: z.string(),
  asOf: z.string().describe('The day freshness and gaps are counted on (YYYY-MM-DD)'),
  people: z.array(StakeholderPerson),
  ties: z.array(Tie),
  gaps: z.array(Gap),
  rules: z.object({ decisionMakerDays: z.number().int(), recentDays: z.number().int() }),
});
export type StakeholderMap = z.infer<typeof StakeholderMap>;

export const SetStakeholderBody = z.strictObject({
  buyingRole: BuyingRole,
  stance: Stance,
  reportsToContactId: z.string().uuid().nullable().default(null),
  ownerUserId: z.string().uuid().nullable().default(null),
  strength: z.number().int().min(1).max(5).nullable().default(null),
  version: z.number().int().min(0).describe('The version you read; 0 when the person is not yet mapped'),
});

export const ContactedBody = z.strictObject({ on: z.iso.date().describe('The day we were in contact (YYYY-MM-DD); not in the future') });

export const CreateTieBody = z.strictObject({
  fromContactId: z.string().uuid(),
  toContactId: z.string().uuid(),
  kind: TieKind,
  note: z.string().trim().max(500).nullable().default(null),
});
