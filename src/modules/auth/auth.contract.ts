import { z } from 'zod';
import { Locale, Password, Role } from '../users/users.contract.js';

export const LoginBody = z.strictObject({
  email: z.string().trim().toLowerCase().email().max(200),
  password: z.string().min(1).max(200),
});

export const Me = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  teamId: z.string().nullable(),
  department: z.string().nullable().describe('The department whose service queue the user works, if any'),
  accountId: z.string().nullable(),
  locale: Locale,
  timeZone: z.string(),
  csrfToken: z.string().nullable().describe('Send as X-CSRF-Token on cookie-authenticated writes'),
});
export type Me = z.infer<typeof Me>;

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: Password,
});

export const TokenScope = z.enum(['read', 'read-write']);
export const CreateTokenBody = z.strictObject({ name: z.string().trim().min(1).max(100), scope: TokenScope });
export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scope: TokenScope,
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const CreatedToken = ApiToken.extend({ token: z.string().describe('Shown once; store it now') });
