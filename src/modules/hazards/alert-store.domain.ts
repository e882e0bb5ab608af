/**
 * Which CAP alerts are in force at a moment: pure supersession and expiry logic over a set of
 * parsed messages. Storage is the caller's; this only decides.
 */
import { alertExpiresMs, capKey, type CapAlert, type CapStatus } from './cap.domain.js';

export type ActiveSetOptions = {
  /** Lifetime of an alert none of whose infos has `expires` (default 24 h after `sent`). */
  defaultTtlMs?: number;
  /** Statuses that count (default only Actual: Test, Exercise, System and Draft never warn). */
  statuses?: readonly CapStatus[];
};

export type ActiveAlert = { alert: CapAlert; expiresMs: number };

export type AlertFate =
  | { alert: CapAlert; fate: 'superseded'; by: CapAlert }
  | { alert: CapAlert; fate: 'cancelled'; by: CapAlert }
  | { alert: CapAlert; fate: 'expired'; expiresMs: number }
  | { alert: CapAlert; fate: 'not-yet-sent' }
  | { alert: CapAlert; fate: 'ignored'; reason: string };

export type ActiveSet = {
  /** Alerts in force at the moment, newest first. */
  active: ActiveAlert[];
  /** Every other alert with the reason it is not active. */
  inactive: AlertFate[];
};

export const DEFAULT_ALERT_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The alerts in force at `atMs`. Only messages sent by then are known. An Update supersedes
 * every message it references (and is itself active); a Cancel removes what it references and
 * is never active itself; Ack and Error never warn. An alert drops out once every info has
 * expired (or, with no expires anywhere, `defaultTtlMs` after it was sent). Duplicates of the
 * same sender+identifier are read once.
 */
export function computeActiveSet(alerts: readonly CapAlert[], atMs: number, options: ActiveSetOptions = {}): ActiveSet {
  const ttl = options.defaultTtlMs ?? DEFAULT_ALERT_TTL_MS;
  const statuses = options.statuses ?? ['Actual'];
  const inactive: AlertFate[] = [];

  const known = new Map<string, CapAlert>();
  for (const a of alerts) {
    if (a.sent.epochMs > atMs) {
      inactive.push({ alert: a, fate: 'not-yet-sent' });
      continue;
    }
    if (!statuses.includes(a.status)) {
      inactive.push({ alert: a, fate: 'ignored', reason: `status ${a.status}` });
      continue;
    }
    const key = capKey(a.sender, a.identifier);
    if (known.has(key)) {
      inactive.push({ alert: a, fate: 'ignored', reason: 'duplicate of a message already seen' });
      continue;
    }
    known.set(key, a);
  }

  // The latest message that supersedes or cancels each referenced message.
  const replacedBy = new Map<string, CapAlert>();
  for (const a of known.values()) {
    if (a.msgType !== 'Update' && a.msgType !== 'Cancel') continue;
    for (const ref of a.references) {
      const key = capKey(ref.sender, ref.identifier);
      const prev = replacedBy.get(key);
      if (!prev || prev.sent.epochMs < a.sent.epochMs) replacedBy.set(key, a);
    }
  }

  const active: ActiveAlert[] = [];
  for (const [key, a] of known) {
    const by = replacedBy.get(key);
    if (by) {
      inactive.push(by.msgType === 'Cancel' ? { alert: a, fate: 'cancelled', by } : { alert: a, fate: 'superseded', by });
      continue;
    }
    if (a.msgType === 'Cancel' || a.msgType === 'Ack' || a.msgType === 'Error') {
      inactive.push({ alert: a, fate: 'ignored', reason: `msgType ${a.msgType} carries no warning of its own` });
      continue;
    }
    const expiresMs = alertExpiresMs(a, ttl);
    if (expiresMs <= atMs) {
      inactive.push({ alert: a, fate: 'expired', expiresMs });
      continue;
    }
    active.push({ alert: a, expiresMs });
  }
  active.sort((x, y) => y.alert.sent.epochMs - x.alert.sent.epochMs);
  return { active, inactive };
}
