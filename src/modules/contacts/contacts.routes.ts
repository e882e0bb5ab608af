import { contactsContribution } from './contacts.contributions.js';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { accountRecordRoutes, type AccountRecordSpec } from '../../server/account-records.js';
import type { Deps } from '../../server/context.js';
import { Contact, CreateContactBody, DecisionRole, UpdateContactBody } from './contacts.contract.js';

type Body = Partial<z.infer<typeof CreateContactBody>>;

export const contactSpec: AccountRecordSpec<Contact, z.infer<typeof CreateContactBody>, z.infer<typeof UpdateContactBody>> = {
  table: 'contacts', entity: 'contact', label: 'Contact', path: '/api/v1/contacts', tag: 'contacts',
  readPolicy: 'contact:read', writePolicy: 'contact:write',
  item: Contact, createBody: CreateContactBody, updateBody: UpdateContactBody,
  filters: { decisionRole: DecisionRole.optional(), birthdayMonth: z.coerce.number().int().min(1).max(12).optional() },
  applyFilters: (q, f) => {
    if (f.decisionRole) q = q.where('contacts.decision_role', '=', f.decisionRole);
    if (f.birthdayMonth) q = q.where('contacts.birthday', 'like', `%-${String(f.birthdayMonth).padStart(2, '0')}-%`);
    return q;
  },
  sorts: { name: 'contacts.name', createdAt: 'contacts.created_at', influence: 'contacts.influence' },
  defaultSort: 'name',
  searchColumns: ['name', 'name_en', 'title', 'phone', 'email'],
  toItem: (r) => ({
    id: r.id, accountId: r.account_id, name: r.name as string, nameEn: r.name_en as string | null, title: r.title as string | null,
    decisionRole: r.decision_role as Contact['decisionRole'], influence: r.influence as number, birthday: r.birthday as string | null,
    preferredChannel: r.preferred_channel as Contact['preferredChannel'], phone: r.phone as string | null, email: r.email as string | null,
    notes: r.notes as string | null, createdAt: r.created_at as string, updatedAt: r.updated_at as string, version: r.version,
  }),
  toRow: (b: Body) => {
    const row: Record<string, unknown> = {};
    if (b.name !== undefined) row.name = b.name;
    if (b.nameEn !== undefined) row.name_en = b.nameEn;
    if (b.title !== undefined) row.title = b.title;
    if (b.decisionRole !== undefined) row.decision_role = b.decisionRole;
    if (b.influence !== undefined) row.influence = b.influence;
    if (b.birthday !== undefined) row.birthday = b.birthday;
    if (b.preferredChannel !== undefined) row.preferred_channel = b.preferredChannel;
    if (b.phone !== undefined) row.phone = b.phone;
    if (b.email !== undefined) row.email = b.email;
    if (b.notes !== undefined) row.notes = b.notes;
    return row;
  },
};

export async function contactsRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  deps.contributions.add(contactsContribution);
  await accountRecordRoutes(app, deps, contactSpec);
}
