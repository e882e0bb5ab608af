import { z } from 'zod';
import { roles } from '../auth/auth.domain.js';
import { departments } from '../services/services.domain.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from '../auth/auth.passwords.js';

export const Role = z.enum(roles);
export const Locale = z.enum(['en', 'zh-CN']);

export const User = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  locale: Locale,
  timeZone: z.string(),
  phone: z.string().nullable().describe('Work phone; the dealer portal shows the account manager\'s'),
  teamId: z.string().nullable(),
  accountId: z.string().nullable(),
  department: z.enum(departments).nullable().describe('The department whose service queue the user works'),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type User = z.infer<typeof User>;

/** A work phone as people write it: digits with spaces, dashes, dots, brackets, a leading +. */
const phone = z.string().trim().max(40).regex(/^\+?[0-9][0-9 ().-]{4,}$/, 'a phone number: digits, spaces, + - ( ) .').nullable();

const timeZone = z.string().refine((tz) => {
  try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; }
}, 'not a known IANA time zone');

/** A password someone sets: the rule is `passwordProblem`, checked here so every body that sets one gets it. */
export const Password = z.string()
  .superRefine((pw, ctx) => {
    const problem = passwordProblem(pw);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  .describe(`At least ${PASSWORD_MIN_LENGTH} characters, not only spaces, and not one of the 10,000 most common passwords`);

export const CreateUserBody = z.strictObject({
  email: z.string().trim().toLowerCase().email().max(200),
  name: z.string().trim().min(1).max(200),
  role: Role,
  password: Password,
  locale: Locale.default('zh-CN'),
  timeZone: timeZone.default('Asia/Shanghai'),
  phone: phone.default(null),
  teamId: z.string().uuid().nullable().default(null),
  accountId: z.string().uuid().nullable().default(null).describe('Required for dealer portal users: their account'),
  department: z.enum(departments).nullable().default(null).describe('Staff only: the department queue the user works (required for department staff)'),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  role: Role.optional(),
  teamId: z.string().uuid().nullable().optional(),
  accountId: z.string().uuid().nullable().optional(),
  active: z.boolean().optional(),
  locale: Locale.optional(),
  timeZone: timeZone.optional(),
  phone: phone.optional(),
  department: z.enum(departments).nullable().optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const UpdateProfileBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  locale: Locale.optional(),
  timeZone: timeZone.optional(),
});

export const UserQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
  q: z.string().max(100).optional(),
  role: Role.optional(),
  teamId: z.string().uuid().optional(),
});

export const Team = z.object({
  id: z.string(),
  name: z.string(),
  directorId: z.string().nullable(),
  territoryId: z.string().nullable(),
  memberCount: z.number().int(),
  version: z.number().int(),
});
export type Team = z.infer<typeof Team>;

export const CreateTeamBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  directorId: z.string().uuid().nullable().default(null),
  territoryId: z.string().uuid().nullable().default(null),
});
export const UpdateTeamBody = CreateTeamBody.partial();

export const Territory = z.object({ id: z.string(), code: z.string(), name: z.string(), nameZh: z.string() });
