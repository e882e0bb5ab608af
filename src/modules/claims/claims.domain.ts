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

/**
 * Service levels per kind, in working minutes on the service desk's calendar: the first response
 * (the investigation started) and the decision, both counted from filing. A constant table: the
 * services module keeps its levels per request type in a table an admin edits; claims have three
 * kinds and one set of levels, so a table here is enough until someone needs to change them.
 */
export const CLAIM_LEVELS: Record<ClaimKind, { responseMinutes: number; decisionMinutes: number }> = {
  late: { responseMinutes: 8 * 60, decisionMinutes: 5 * 8 * 60 },
  damage: { responseMinutes: 4 * 60, decisionMinutes: 3 * 8 * 60 },
  shortage: { responseMinutes: 4 * 60, decisionMinutes: 3 * 8 * 60 },
};

export type SlaState = 'running' | 'met' | 'breached';

/** One service level at `now`: met when done by its due instant, breached when done late or not done by then, else running. ISO instants compare as text. */
export function slaState(dueAt: string, doneAt: string | null, now: string): SlaState {
  if (doneAt) return doneAt <= dueAt ? 'met' : 'breached';
  return now > dueAt ? 'breached' : 'running';
}

/** The claim's number from its filing date and a sequence of the year: CLM-2026-00042. */
export const claimNumber = (filedAt: string, seq: number): string => `CLM-${filedAt.slice(0, 4)}-${String(seq).padStart(5, '0')}`;
