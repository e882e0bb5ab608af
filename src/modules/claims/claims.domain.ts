/**
 * Compensation claims for late delivery, damage or shortage: the lifecycle, what each step needs,
 * and the service levels. Pure: no I/O; the service loads, asks here, saves and audits.
 *
 * filed → investigating → accepted | partly_accepted | rejected; accepted and partly accepted →
 * credited (a credit note for the accepted amount); credited and rejected → closed. The filer may
 * withdraw while the claim is filed or investigating. Decision 023.
 */

export const claimKinds = ['late', 'damage', 'shortage'] as const;
export type ClaimKind = (typeof claimKinds)[number];

export const claimStatuses = ['filed', 'investigating', 'accepted', 'partly_accepted', 'rejected', 'credited', 'closed', 'withdrawn'] as const;
export type ClaimStatus = (typeof claimStatuses)[number];

/** Statuses in which the claim still waits on the company: a response, a decision or its credit note. */
export const openStatuses: ClaimStatus[] = ['filed', 'investigating', 'accepted', 'partly_accepted'];
/** Statuses after which nothing more happens. */
export const finalStatuses: readonly ClaimStatus[] = ['closed', 'withdrawn'];

export const claimActions = ['investigate', 'accept', 'partly_accept', 'reject', 'credit', 'close', 'withdraw'] as const;
export type ClaimAction = (typeof claimActions)[number];

/** Which status each action leads from, and to. */
const moves: Record<ClaimAction, { from: readonly ClaimStatus[]; to: ClaimStatus }> = {
  investigate: { from: ['filed'], to: 'investigating' },
  accept: { from: ['investigating'], to: 'accepted' },
  partly_accept: { from: ['investigating'], to: 'partly_accepted' },
  reject: { from: ['investigating'], to: 'rejected' },
  credit: { from: ['accepted', 'partly_accepted'], to: 'credited' },
  close: { from: ['credited', 'rejected'], to: 'closed' },
  withdraw: { from: ['filed', 'investigating'], to: 'withdrawn' },
};

/** The actions possible from a status (what the detail page offers). */
export const actionsFrom = (status: ClaimStatus): ClaimAction[] => claimActions.filter((a) => moves[a].from.includes(status));

/** What a claim is when a step is asked for. */
export type ClaimState = { status: ClaimStatus; claimedMinor: number; currency: string; acceptedMinor: number | null; filedBy: string };

/** What a step brings: the reason, the accepted amount, the credit note, who asks. */
export type StepInput = {
  action: ClaimAction;
  actorId: string;
  reason?: string | null;
  acceptedMinor?: number | null;
  creditNote?: { number: string; amountMinor: number; currency: string; issueDate: string } | null;
};

/** A refused step: 409 when the claim is not in a status that allows it, 400 when the input is wrong, 403 when the caller may not. */
export type Refusal = { ok: false; status: 400 | 403 | 409; message: string; field?: string };
export type StepResult = { ok: true; to: ClaimStatus; acceptedMinor: number | null } | Refusal;

const label: Record<ClaimStatus, string> = {
  filed: 'filed', investigating: 'under investigation', accepted: 'accepted', partly_accepted: 'partly accepted', rejected: 'rejected',
  credited: 'credited', closed: 'closed', withdrawn: 'withdrawn',
};
const needs: Record<ClaimAction, string> = {
  investigate: 'Only a filed claim can be taken into investigation',
  accept: 'Only a claim under investigation can be decided; start the investigation first',
  partly_accept: 'Only a claim under investigation can be decided; start the investigation first',
  reject: 'Only a claim under investigation can be decided; start the investigation first',
  credit: 'A credit note is issued only for an accepted or partly accepted claim',
  close: 'Only a credited or rejected claim can be closed',
  withdraw: 'A claim can be withdrawn only while it is filed or under investigation',
};

/** Whether a step may be taken, and where it leads. Every rule of the lifecycle is here. */
export function step(claim: ClaimState, input: StepInput): StepResult {
  const move = moves[input.action];
  if (!move.from.includes(claim.status)) return { ok: false, status: 409, message: `${needs[input.action]} (this claim is ${label[claim.status]})` };
  const reason = input.reason?.trim() ?? '';
  switch (input.action) {
    case 'accept':
    case 'reject':
      if (!reason) return { ok: false, status: 400, message: 'A decision needs its reason', field: 'reason' };
      return { ok: true, to: move.to, acceptedMinor: input.action === 'accept' ? claim.claimedMinor : 0 };
    case 'partly_accept': {
      if (!reason) return { ok: false, status: 400, message: 'A decision needs its reason', field: 'reason' };
      const a = input.acceptedMinor;
      if (a == null || !Number.isInteger(a)) return { ok: false, status: 400, message: 'A partly accepted claim needs the accepted amount (in minor units)', field: 'acceptedMinor' };
      if (a <= 0) return { ok: false, status: 400, message: 'The accepted amount must be more than zero; reject the claim instead', field: 'acceptedMinor' };
      if (a >= claim.claimedMinor) return { ok: false, status: 400, message: 'The accepted amount must be less than the amount claimed; accept the claim instead', field: 'acceptedMinor' };
      return { ok: true, to: move.to, acceptedMinor: a };
    }
    case 'credit': {
      const n = input.creditNote;
      if (!n || !n.number.trim()) return { ok: false, status: 400, message: 'The credit note needs its number', field: 'number' };
      if (n.currency !== claim.currency) return { ok: false, status: 400, message: `The credit note must be in the claim's currency (${claim.currency})`, field: 'currency' };
      if (n.amountMinor !== claim.acceptedMinor) {
        return { ok: false, status: 400, message: `The credit note must be for the accepted amount (${claim.acceptedMinor ?? 0} minor units)`, field: 'amountMinor' };
      }
      return { ok: true, to: move.to, acceptedMinor: claim.acceptedMinor };
    }
    case 'withdraw':
      if (input.actorId !== claim.filedBy) return { ok: false, status: 403, message: 'Only whoever filed the claim may withdraw it' };
      return { ok: true, to: move.to, acceptedMinor: claim.acceptedMinor };
    default:
      return { ok: true, to: move.to, acceptedMinor: claim.acceptedMinor };
  }
}

/** A claim kind's two service levels, in working minutes of the service desk's calendar, both counted from filing. */
export type ClaimLevels = { responseMinutes: number; decisionMinutes: number };

/**
 * The levels when the settings name none (decision 032): the first response (the investigation
 * started) and the decision. Late: 8 h and 5 days of 8 h; damage and shortage: 4 h and 3 days.
 */
export const DEFAULT_CLAIM_LEVELS: Record<ClaimKind, ClaimLevels> = {
  late: { responseMinutes: 8 * 60, decisionMinutes: 5 * 8 * 60 },
  damage: { responseMinutes: 4 * 60, decisionMinutes: 3 * 8 * 60 },
  shortage: { responseMinutes: 4 * 60, decisionMinutes: 3 * 8 * 60 },
};

/** "4h", "90m", "1.5h" → working minutes; null when it is not such a duration. */
function workingMinutes(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(h|m)$/.exec(text.trim().toLowerCase());
  if (!m) return null;
  const minutes = Number(m[1]) * (m[2] === 'h' ? 60 : 1);
  return Number.isInteger(minutes) && minutes > 0 ? minutes : null;
}

/**
 * Levels from a setting such as "late=8h/40h, damage=4h/24h" (kind=response/decision, working
 * hours or minutes); kinds it leaves out keep the defaults. Throws, naming the part, on a kind
 * that does not exist, a malformed duration or a decision due before the response.
 */
export function parseClaimLevels(spec: string, defaults: Record<ClaimKind, ClaimLevels> = DEFAULT_CLAIM_LEVELS): Record<ClaimKind, ClaimLevels> {
  const out = { ...defaults };
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z_]+)\s*=\s*([^/]+)\/(.+)$/.exec(part);
    if (!m) throw new Error(`"${part}" is not kind=response/decision, e.g. damage=4h/24h`);
    const kind = m[1] as ClaimKind;
    if (!claimKinds.includes(kind)) throw new Error(`"${m[1]}" in "${part}" is not a claim kind (${claimKinds.join(', ')})`);
    const responseMinutes = workingMinutes(m[2]!);
    const decisionMinutes = workingMinutes(m[3]!);
    if (responseMinutes === null || decisionMinutes === null) throw new Error(`"${part}": durations are working hours or minutes, e.g. 4h, 90m`);
    if (decisionMinutes < responseMinutes) throw new Error(`"${part}": the decision cannot be due before the response`);
    out[kind] = { responseMinutes, decisionMinutes };
  }
  return out;
}

export type SlaState = 'running' | 'met' | 'breached';

/** One service level at `now`: met when done by its due instant, breached when done late or not done by then, else running. ISO instants compare as text. */
export function slaState(dueAt: string, doneAt: string | null, now: string): SlaState {
  if (doneAt) return doneAt <= dueAt ? 'met' : 'breached';
  return now > dueAt ? 'breached' : 'running';
}

/** The claim's number from its filing date and a sequence of the year: CLM-2026-00042. */
export const claimNumber = (filedAt: string, seq: number): string => `CLM-${filedAt.slice(0, 4)}-${String(seq).padStart(5, '0')}`;
