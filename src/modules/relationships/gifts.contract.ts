/** Zod schemas of gifts and hospitality and the compliance register: staff only, never the dealer portal. */
import { z } from 'zod';
import { GIFT_KINDS } from './gifts.domain.js';

export const GiftKind = z.enum(GIFT_KINDS as unknown as ['gift', 'hospitality', 'travel', 'cash_equivalent']);
export const GiftReason = z.object({
  code: z.enum(['over_per_gift_limit', 'over_kind_limit', 'over_per_person_year_limit', 'kind_needs_approval']),
  limitMinor: z.number().int().optional(),
  valueMinor: z.number().int().optional(),
  totalAfterMinor: z.number().int().optional(),
  kind: GiftKind.optional(),
});

export const Gift = z.object({
  id: z.string(),
  accountId: z.string(),
  contactId: z.string(),
  contactName: z.string(),
  givenOn: z.string(),
  kind: GiftKind,
  description: z.string(),
  amountMinor: z.number().int(),
  currency: z.string(),
  status: z.enum(['allowed', 'pending_approval', 'approved', 'declined']),
  reasons: z.array(GiftReason),
  givenBy: z.object({ id: z.string(), name: z.string() }),
  decidedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  personYearTotalMinor: z.number().int().describe('The person\'s total in the gift\'s calendar year, this gift included (declined gifts add nothing)'),
  version: z.number().int(),
});
export type Gift = z.infer<typeof Gift>;

export const RecordGiftBody = z.strictObject({
  contactId: z.string().uuid(),
  givenOn: z.iso.date(),
  kind: GiftKind,
  description: z.string().trim().min(1).max(300),
  amountMinor: z.number().int().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

export const GiftDecisionBody = z.strictObject({ decision: z.enum(['approve', 'decline']), version: z.number().int() });

export const RegisterQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100), accountId: z.string().uuid().optional() });
export const Register = z.object({
  year: z.number().int(),
  policy: z.object({ currency: z.string(), perGiftLimitMinor: z.number().int(), perPersonYearLimitMinor: z.number().int(), approvalAlwaysKinds: z.array(GiftKind) }),
  items: z.array(Gift),
});
