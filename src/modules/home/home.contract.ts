import { z } from 'zod';
import { accountNames } from '../../platform/names.contract.js';
import { Tier } from '../accounts/accounts.contract.js';
import { ActivityKind } from '../activities/activities.contract.js';
import { Role } from '../users/users.contract.js';

/** Public settings the web app reads before sign-in (no secrets). */
export const PublicConfig = z.object({
  tileUrl: z.string().nullable().describe('Raster tile URL template; null means the offline vector basemap'),
  demo: z.boolean(),
});
export type PublicConfig = z.infer<typeof PublicConfig>;

export const HomeAccount = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  tier: Tier.nullable(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  ownerName: z.string().nullable(),
  lastVisitAt: z.string().nullable().describe('Start of the latest visit or meeting, UTC'),
});
export type HomeAccount = z.infer<typeof HomeAccount>;

export const HomeActivity = z.object({
  id: z.string(),
  accountId: z.string(),
  ...accountNames,
  kind: ActivityKind,
  subject: z.string(),
  startsAt: z.string(),
  userName: z.string().nullable(),
});
export type HomeActivity = z.infer<typeof HomeActivity>;

export const HomeBirthday = z.object({
  contactId: z.string(),
  name: z.string(),
  nameEn: z.string().nullable().describe("The contact's English name; null when they have none"),
  accountId: z.string(),
  ...accountNames,
  birthday: z.string().describe('YYYY-MM-DD'),
  date: z.string().describe('The coming birthday, YYYY-MM-DD'),
  inDays: z.number().int(),
});
export type HomeBirthday = z.infer<typeof HomeBirthday>;

export const Home = z.object({
  role: Role,
  counts: z.object({ accounts: z.number().int(), keyAccounts: z.number().int(), activitiesLast30Days: z.number().int().nullable() }),
  keyAccounts: z.array(HomeAccount).describe('Tier A accounts in scope, the longest unvisited first'),
  recentActivity: z.array(HomeActivity).nullable().describe('null when the role may not read activities'),
  attention: z.object({
    noVisit: z.array(HomeAccount).describe('Key accounts (tier A or B) with no visit or meeting in 30+ days'),
    birthdays: z.array(HomeBirthday).nullable().describe('Contact birthdays in the next 30 days; null when the role may not read contacts'),
  }),
  revenueByMonth: z.array(z.object({ month: z.string(), amountMinor: z.number(), currency: z.string() })).describe('Net sales of the last 12 months in scope'),
  tileUrl: z.string().nullable(),
});
export type Home = z.infer<typeof Home>;
