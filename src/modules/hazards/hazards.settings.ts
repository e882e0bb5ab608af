import { z } from 'zod';
import { parseAllowList, type AllowList } from '../../platform/outbound-address.js';
import { ConfigError } from '../../server/config.js';

/**
 * Settings of "Protect the dealer", from the environment, parsed once when the routes are
 * registered. They live here rather than in src/server/config.ts so the module owns its knobs;
 * a bad value stops the server with a message naming it, like the core configuration.
 */
const EnvSchema = z.object({
  OPENKAM_HAZARD_BUFFER_M: z.coerce.number().int().min(0).max(200_000).default(5000),
  OPENKAM_HAZARD_POLL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(5),
  OPENKAM_HAZARD_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  OPENKAM_HAZARD_ALERT_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
  // Feeds may be fetched from public addresses only; these (an internal CAP server) besides.
  OPENKAM_FEED_ALLOW_HOSTS: z.string().default('').transform((text, ctx) => {
    try {
      return parseAllowList(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
      return z.NEVER;
    }
  }),
  OPENKAM_CAP_MAX_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(5 * 1024 * 1024),
  OPENKAM_TRACK_MAX_BYTES: z.coerce.number().int().min(1024).max(200 * 1024 * 1024).default(20 * 1024 * 1024),
  OPENKAM_SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  OPENKAM_SMTP_FROM: z.string().min(3).default('OpenKAM <noreply@openkam.local>'),
  OPENKAM_WEBHOOK_URL: z.string().url().regex(/^https?:\/\//, 'must be http(s)').optional(),
  OPENKAM_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  OPENKAM_PUBLIC_URL: z.string().url().optional(),
});

export type HazardSettings = {
  bufferM: number;
  pollMinutes: number;
  fetchTimeoutMs: number;
  /** What a feed fetch may reach besides public addresses (OPENKAM_FEED_ALLOW_HOSTS). */
  feedAllowList: AllowList;
  alertTtlMs: number;
  capMaxBytes: number;
  trackMaxBytes: number;
  smtpUrl: string | undefined;
  smtpFrom: string;
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
  publicUrl: string | undefined;
};

export function loadHazardSettings(env: NodeJS.ProcessEnv = process.env): HazardSettings {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}=${JSON.stringify(env[String(i.path[0])])}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.OPENKAM_WEBHOOK_URL && !e.OPENKAM_WEBHOOK_SECRET) {
    throw new ConfigError('Invalid configuration:\n  OPENKAM_WEBHOOK_SECRET: required when OPENKAM_WEBHOOK_URL is set (webhooks are always signed)');
  }
  return {
    bufferM: e.OPENKAM_HAZARD_BUFFER_M,
    pollMinutes: e.OPENKAM_HAZARD_POLL_MINUTES,
    fetchTimeoutMs: e.OPENKAM_HAZARD_FETCH_TIMEOUT_MS,
    feedAllowList: e.OPENKAM_FEED_ALLOW_HOSTS,
    alertTtlMs: e.OPENKAM_HAZARD_ALERT_TTL_HOURS * 3_600_000,
    capMaxBytes: e.OPENKAM_CAP_MAX_BYTES,
    trackMaxBytes: e.OPENKAM_TRACK_MAX_BYTES,
    smtpUrl: e.OPENKAM_SMTP_URL,
    smtpFrom: e.OPENKAM_SMTP_FROM,
    webhookUrl: e.OPENKAM_WEBHOOK_URL,
    webhookSecret: e.OPENKAM_WEBHOOK_SECRET,
    publicUrl: e.OPENKAM_PUBLIC_URL,
  };
}
