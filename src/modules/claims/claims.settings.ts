import { z } from 'zod';
import { ConfigError } from '../../server/config.js';
import { loadServiceSettings, type ServiceSettings } from '../services/services.settings.js';
import { type ClaimKind, type ClaimLevels, parseClaimLevels } from './claims.domain.js';

/**
 * Settings of claims, parsed once when the routes are registered (decision 032): the service
 * desk's working time (OPENKAM_SERVICE_*, from the services module) and the claim levels per
 * kind, OPENKAM_CLAIM_LEVELS="late=8h/40h,damage=4h/24h,shortage=4h/24h" (response/decision in
 * working hours or minutes; a kind left out keeps its default).
 */
const EnvSchema = z.object({ OPENKAM_CLAIM_LEVELS: z.string().default('') });

export type ClaimSettings = { calendar: ServiceSettings['calendar']; levels: Record<ClaimKind, ClaimLevels> };

export function loadClaimSettings(env: NodeJS.ProcessEnv = process.env): ClaimSettings {
  const { calendar } = loadServiceSettings(env);
  const e = EnvSchema.parse(env);
  try {
    return { calendar, levels: parseClaimLevels(e.OPENKAM_CLAIM_LEVELS) };
  } catch (err) {
    throw new ConfigError(`OPENKAM_CLAIM_LEVELS: ${err instanceof Error ? err.message : String(err)}`);
  }
}
