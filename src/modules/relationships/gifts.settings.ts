import { z } from 'zod';
import { ConfigError } from '../../server/config.js';
import { DEFAULT_GIFT_POLICY, type GiftPolicy, policyProblems } from './gifts.domain.js';

/**
 * The gift and hospitality policy, from the environment, parsed once when the routes are
 * registered: OPENKAM_GIFT_CURRENCY (CNY), OPENKAM_GIFT_PER_GIFT_MINOR (50000: CNY 500) and
 * OPENKAM_GIFT_PER_PERSON_YEAR_MINOR (200000: CNY 2,000). Cash equivalents always need approval.
 */
const EnvSchema = z.object({
  OPENKAM_GIFT_CURRENCY: z.string().regex(/^[A-Z]{3}$/).default(DEFAULT_GIFT_POLICY.currency),
  OPENKAM_GIFT_PER_GIFT_MINOR: z.coerce.number().int().min(0).default(DEFAULT_GIFT_POLICY.perGiftLimitMinor),
  OPENKAM_GIFT_PER_PERSON_YEAR_MINOR: z.coerce.number().int().min(0).default(DEFAULT_GIFT_POLICY.perPersonYearLimitMinor),
});

export function loadGiftPolicy(env: NodeJS.ProcessEnv = process.env): GiftPolicy {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const policy: GiftPolicy = {
    ...DEFAULT_GIFT_POLICY, currency: parsed.data.OPENKAM_GIFT_CURRENCY,
    perGiftLimitMinor: parsed.data.OPENKAM_GIFT_PER_GIFT_MINOR, perPersonYearLimitMinor: parsed.data.OPENKAM_GIFT_PER_PERSON_YEAR_MINOR,
  };
  const problems = policyProblems(policy);
  if (problems.length) throw new ConfigError(problems.map((p) => p.message).join('; '));
  return policy;
}
