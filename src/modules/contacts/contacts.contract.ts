import { z } from 'zod';

export const DecisionRole = z.enum(['decision_maker', 'influencer', 'buyer', 'user', 'gatekeeper', 'champion']);
export const Channel = z.enum(['phone', 'wechat', 'email', 'visit', 'sms']);

export const Contact = z.object({
  id: z.string(),
  accountId: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  title: z.string().nullable(),
  decisionRole: DecisionRole,
  influence: z.number().int().min(1).max(5),
  birthday: z.string().nullable().describe('YYYY-MM-DD'),
  preferredChannel: Channel,
  phone: z.string().nullable(),
  email: z.string().nullable(),
  notes: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Contact = z.infer<typeof Contact>;

const fields = {
  name: z.string().trim().min(1).max(120),
  nameEn: z.string().trim().max(120).nullable(),
  title: z.string().trim().max(120).nullable(),
  decisionRole: DecisionRole,
  influence: z.number().int().min(1).max(5),
  birthday: z.iso.date().nullable(),
  preferredChannel: Channel,
  phone: z.string().trim().max(40).nullable(),
  email: z.string().trim().email().max(200).nullable(),
  notes: z.string().max(5000).nullable(),
};

export const CreateContactBody = z.strictObject({
  accountId: z.string().uuid(),
  ...fields,
  nameEn: fields.nameEn.default(null),
  title: fields.title.default(null),
  decisionRole: fields.decisionRole.default('user'),
  influence: fields.influence.default(3),
  birthday: fields.birthday.default(null),
  preferredChannel: fields.preferredChannel.default('phone'),
  phone: fields.phone.default(null),
  email: fields.email.default(null),
  notes: fields.notes.default(null),
});
export const UpdateContactBody = z.strictObject(fields).partial();
