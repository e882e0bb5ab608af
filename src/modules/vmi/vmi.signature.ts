/**
 * A stored signature as the API shows it, and its hash (decision 034): SHA-256 of the canonical
 * signed document (vmi.drafts.domain.ts `signedDocument`), recomputed to verify it.
 */
import { createHash } from 'node:crypto';
import type { VmiDecision, VmiSignature } from './vmi.contract.js';
import { signedDocument, type SignedLine } from './vmi.drafts.domain.js';
import type { VmiSignaturesTable } from './vmi.table.js';

/** SHA-256 (hex) of the signed document: the draft, the version seen, the decision and exactly the signed lines. */
export const signatureDigest = (s: Parameters<typeof signedDocument>[0]): string => createHash('sha256').update(signedDocument(s), 'utf8').digest('hex');

type Stored = VmiSignaturesTable & { signer_name: string | null };

/** Whether the stored hash is the hash of the stored lines (a row changed behind the API's back fails). */
export function verifyStored(s: VmiSignaturesTable): boolean {
  const lines = JSON.parse(s.lines_json) as SignedLine[];
  return signatureDigest({ draftId: s.draft_id, draftVersion: Number(s.draft_version), decision: s.decision, lines }) === s.lines_sha256;
}

export const signatureOut = (s: Stored): VmiSignature => ({
  id: s.id, draftVersion: Number(s.draft_version), decision: s.decision as VmiDecision, reason: s.reason,
  signedBy: { id: s.signed_by, name: s.signer_name ?? '—' }, signedAt: s.signed_at, lines: JSON.parse(s.lines_json) as SignedLine[],
  hash: s.lines_sha256, orderNo: s.order_no,
});
