/**
 * Outbound delivery of a new advisory: e-mail to the manager (SMTP from OPENKAM_SMTP_URL) and a
 * signed webhook (OPENKAM_WEBHOOK_URL, HMAC-SHA256 with OPENKAM_WEBHOOK_SECRET). Both are optional
 * and best-effort: an unset setting skips the channel (logged), a failure is logged and recorded
 * on the advisory, and neither ever rolls back the advisory.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sendMail } from '../../platform/mail.js';
import type { HazardSettings } from './hazards.settings.js';

type Log = { info(obj: unknown, msg?: string): void; warn(obj: unknown, msg?: string): void };

export const SIGNATURE_HEADER = 'x-openkam-signature';
export const TIMESTAMP_HEADER = 'x-openkam-timestamp';

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`); timestamp in Unix seconds. */
export function signWebhook(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does: recompute the signature over the raw body and compare in constant time;
 * refuse timestamps further than `toleranceSec` from `nowSec` (replays).
 */
export function verifyWebhookSignature(secret: string, signature: string, timestamp: string, body: string, nowSec: number, toleranceSec = 300): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSec - ts) > toleranceSec) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const got = Buffer.from(signature);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

export type AdvisoryMessage = {
  advisoryId: string;
  accountId: string;
  accountName: string;
  accountNameEn: string | null;
  siteId: string;
  siteName: string;
  headline: string | null;
  inside: boolean;
  distanceM: number;
  valueAtRisk: { amountMinor: number; currency: string } | null;
  proposal: { text: string; textZh: string };
  manager: { id: string; name: string; email: string } | null;
  link: string | null;
};

export type DeliveryResult = { email: string; webhook: string };

async function sendEmail(settings: HazardSettings, log: Log, m: AdvisoryMessage): Promise<string> {
  if (settings.smtpUrl && !m.manager) return 'skipped: the account has no manager';
  const value = m.valueAtRisk ? `${(m.valueAtRisk.amountMinor / 100).toFixed(2)} ${m.valueAtRisk.currency}` : '—';
  return sendMail(settings, log, {
    to: m.manager?.email ?? '',
    subject: `[OpenKAM] ${m.headline ?? 'Hazard warning'}: ${m.siteName} (${m.accountName})`,
    text: [
      `${m.manager?.name ?? ''},`,
      '',
      `${m.siteName} of ${m.accountName} is ${m.inside ? 'inside' : `${Math.round(m.distanceM)} m from`} the warning area: ${m.headline ?? ''}`,
      `Stock value at risk: ${value}`,
      `Proposed: ${m.proposal.text}`,
      `建议：${m.proposal.textZh}`,
      ...(m.link ? ['', m.link] : []),
    ].join('\n'),
  }, { advisoryId: m.advisoryId });
}

async function sendWebhook(settings: HazardSettings, log: Log, m: AdvisoryMessage, nowMs: number): Promise<string> {
  if (!settings.webhookUrl || !settings.webhookSecret) {
    log.info({ advisoryId: m.advisoryId }, 'advisory webhook skipped: OPENKAM_WEBHOOK_URL is not set');
    return 'skipped: webhook not configured';
  }
  const body = JSON.stringify({ type: 'advisory.opened', advisory: { ...m, manager: m.manager ? { id: m.manager.id, name: m.manager.name } : null } });
  const ts = Math.floor(nowMs / 1000);
  try {
    const res = await fetch(settings.webhookUrl, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', [TIMESTAMP_HEADER]: String(ts), [SIGNATURE_HEADER]: signWebhook(settings.webhookSecret, ts, body) },
      signal: AbortSignal.timeout(settings.fetchTimeoutMs),
      redirect: 'error',
    });
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) {
      log.warn({ advisoryId: m.advisoryId, status: res.status }, 'advisory webhook refused');
      return `failed: HTTP ${res.status}`;
    }
    return 'sent';
  } catch (err) {
    log.warn({ err, advisoryId: m.advisoryId }, 'advisory webhook failed');
    return `failed: ${err instanceof Error ? err.message.slice(0, 200) : 'error'}`;
  }
}

/** Sends both channels; never throws. */
export async function deliverAdvisory(settings: HazardSettings, log: Log, m: AdvisoryMessage, nowMs: number): Promise<DeliveryResult> {
  const [email, webhook] = await Promise.all([sendEmail(settings, log, m), sendWebhook(settings, log, m, nowMs)]);
  return { email, webhook };
}
