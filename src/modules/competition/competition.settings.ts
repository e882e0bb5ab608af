import { z } from 'zod';
import { ConfigError } from '../../server/config.js';
import { thresholdBp } from './competition.domain.js';

/**
 * Settings of the competition module, from the environment, parsed once when its routes are
 * registered: the share by which a competitor's price must undercut our pocket price to raise an
 * alert (OPENKAM_UNDERCUT_ALERT_PERCENT, default 5: strictly more than 5 %).
 */
const EnvSchema = z.object({
  OPENKAM_UNDERCUT_ALERT_PERCENT: z.coerce.number().min(0).max(100).default(5),
});

export type CompetitionSettings = { undercutAlertPercent: number; undercutAlertBp: number };

export function loadCompetitionSettings(env: NodeJS.ProcessEnv = process.env): CompetitionSettings {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const percent = parsed.data.OPENKAM_UNDERCUT_ALERT_PERCENT;
  return { undercutAlertPercent: percent, undercutAlertBp: thresholdBp(percent) };
}
