import { z } from 'zod';

export const AccountKind = z.enum(['dealer', 'distributor', 'retail_chain']);
export const AccountStatus = z.enum(['prospect', 'active', 'dormant', 'closed']);
export const Tier = z.enum(['A', 'B', 'C']);
export const TeamRole = z.enum(['owner', 'support', 'logistics', 'executive_sponsor', 'technical']);

export const AccountTeamMember = z.object({ userId: z.string(), name: z.string(), role: TeamRole });

export const Account = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  kind: AccountKind,
  parentId: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  territoryId: z.string().nullable(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  tier: Tier.nullable(),
  status: AccountStatus,
  currency: z.string(),
  team: z.array(AccountTeamMember),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Account = z.infer<typeof Account>;

const code = z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash or underscore');

export const CreateAccountBody = z.strictObject({
  code,
  name: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().max(200).nullable().default(null),
  kind: AccountKind,
  parentId: z.string().uuid().nullable().default(null),
  ownerId: z.string().uuid().nullable().default(null).describe('Defaults to the caller'),
  territoryId: z.string().uuid().nullable().default(null),
  province: z.string().trim().max(50).nullable().default(null),
  city: z.string().trim().max(80).nullable().default(null),
  tier: Tier.nullable().default(null),
  status: AccountStatus.default('active'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code such as CNY').default('CNY'),
});
export type CreateAccountBody = z.infer<typeof CreateAccountBody>;

export const UpdateAccountBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  nameEn: z.string().trim().max(200).nullable().optional(),
  kind: AccountKind.optional(),
  parentId: z.string().uuid().nullable().optional(),
  ownerId: z.string().uuid().nullable().optional(),
  territoryId: z.string().uuid().nullable().optional(),
  province: z.string().trim().max(50).nullable().optional(),
  city: z.string().trim().max(80).nullable().optional(),
  tier: Tier.nullable().optional(),
  status: AccountStatus.optional(),
});
export type UpdateAccountBody = z.infer<typeof UpdateAccountBody>;

export const accountSorts = {
  name: 'accounts.name',
  /** The English display name (the Chinese one where there is none). */
  nameEn: 'coalesce(accounts.name_en, accounts.name)',
  code: 'accounts.code',
  updatedAt: 'accounts.updated_at',
  createdAt: 'accounts.created_at',
} as const;

export const AccountQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
  sort: z.string().max(20).optional().describe('name, code, updatedAt or createdAt; prefix - for descending'),
  q: z.string().trim().max(100).optional().describe('Search in code, name and English name'),
  tier: Tier.optional(),
  ownerId: z.string().uuid().optional(),
  territoryId: z.string().uuid().optional(),
  province: z.string().max(50).optional(),
  status: AccountStatus.optional(),
  kind: AccountKind.optional(),
});
export type AccountQuery = z.infer<typeof AccountQuery>;

export const TeamMemberBody = z.strictObject({ userId: z.string().uuid(), role: TeamRole });
