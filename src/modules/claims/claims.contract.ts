/**
 * Zod schemas of the claims API, shared with the web app. Amounts are integer minor units of the
 * claim's currency; instants are UTC ISO text, dates YYYY-MM-DD.
 */
import { z } from 'zod';
import { claimActions, claimKinds, claimStatuses } from './claims.domain.js';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real date');
const Minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Currency = z.string().regex(/^[A-Z]{3}$/, 'a currency code such as CNY');
const Reason = z.string().trim().max(4000);

export const ClaimKind = z.enum(claimKinds);
export const ClaimStatus = z.enum(claimStatuses);
export const ClaimAction = z.enum(claimActions);

const claimFields = {
  kind: ClaimKind,
  title: z.string().trim().min(1, 'Say in a few words what happened').max(200),
  description: z.string().trim().max(4000).optional(),
  claimedMinor: Minor.min(1, 'The amount claimed must be more than zero'),
  currency: Currency,
  orderLineIds: z.array(z.string().uuid()).max(200).default([]).describe('Order lines the claim is about'),
  shipmentIds: z.array(z.string().uuid()).max(200).default([]).describe('Shipments the claim is about (their order lines are linked too)'),
};
const someLine = (b: { orderLineIds: string[]; shipmentIds: string[] }) => b.orderLineIds.length + b.shipmentIds.length > 0;
const someLineMessage = { message: 'Pick at least one order line or shipment the claim is about', path: ['shipmentIds'] };

export const FileClaimBody = z.strictObject({ accountId: z.string().uuid(), ...claimFields }).refine(someLine, someLineMessage);
export const PortalFileClaimBody = z.strictObject(claimFields).refine(someLine, someLineMessage);

export const DecisionBody = z.strictObject({
  outcome: z.enum(['accepted', 'partly_accepted', 'rejected']),
  reason: Reason.describe('Why; shown to the dealer'),
  acceptedMinor: Minor.optional().describe('partly_accepted: the amount accepted, less than claimed'),
});
export const CreditNoteBody = z.strictObject({ number: z.string().trim().min(1).max(100), amountMinor: Minor, currency: Currency, issueDate: Day });
export const StepBody = z.strictObject({ reason: Reason.optional() });
export const NoteBody = z.strictObject({ body: z.string().trim().min(1, 'Write the note').max(4000) });
export const EvidenceQuery = z.strictObject({
  fileName: z.string().trim().min(1, 'Name the file').max(1000),
  internal: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('Staff only: evidence the dealer does not see'),
});
export const PortalEvidenceQuery = z.strictObject({ fileName: z.string().trim().min(1, 'Name the file').max(1000) });

export const ClaimQuery = z.strictObject({
  status: z.union([ClaimStatus, z.literal('open')]).optional().describe('a status, or open (filed, investigating, or accepted and waiting for its credit note)'),
  accountId: z.string().uuid().optional(),
  kind: ClaimKind.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export const AccountClaimQuery = ClaimQuery.omit({ accountId: true });

export const EvidenceParams = z.object({ id: z.string().uuid(), attachmentId: z.string().uuid() });

const SlaLevel = z.object({
  dueAt: z.string(), doneAt: z.string().nullable(), state: z.enum(['running', 'met', 'breached']),
  minutes: z.number().int().nullable().describe('The target in working minutes of the service desk, as set when the claim was filed (null: filed before targets were kept)'),
});

export const Claim = z.object({
  id: z.string(), number: z.string(), accountId: z.string(), accountName: z.string(), kind: ClaimKind, status: ClaimStatus, title: z.string(),
  claimedMinor: z.number().int(), currency: z.string(), acceptedMinor: z.number().int().nullable(),
  filedBy: z.object({ id: z.string(), name: z.string() }), filedVia: z.enum(['staff', 'portal']),
  sla: z.object({ response: SlaLevel, decision: SlaLevel }).describe('First response (investigation started) and decision, on the working calendar'),
  createdAt: z.string(), updatedAt: z.string(), version: z.number().int(),
});
export type Claim = z.infer<typeof Claim>;

export const ClaimPage = z.object({ items: z.array(Claim), nextCursor: z.string().nullable() });

export const ClaimLine = z.object({
  orderLineId: z.string(), orderNo: z.string(), lineNo: z.string().nullable(), item: z.string().nullable(), quantity: z.number().nullable(), unit: z.string().nullable(),
  promisedDate: z.string().nullable(), shipmentId: z.string().nullable(), shipmentNo: z.string().nullable(), deliveredDate: z.string().nullable(), shippedQuantity: z.number().nullable(),
});
export type ClaimLine = z.infer<typeof ClaimLine>;

export const ClaimEvent = z.object({
  id: z.string(), at: z.string(), kind: z.enum(['filed', 'status', 'note', 'evidence']), fromStatus: ClaimStatus.nullable(), toStatus: ClaimStatus.nullable(),
  reason: z.string().nullable(), internal: z.boolean(), actor: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type ClaimEvent = z.infer<typeof ClaimEvent>;

export const Evidence = z.object({
  attachmentId: z.string(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int(), internal: z.boolean(),
  addedBy: z.object({ id: z.string(), name: z.string() }), addedAt: z.string(),
});
export type Evidence = z.infer<typeof Evidence>;

export const ClaimDetail = Claim.extend({
  description: z.string().nullable(), decisionReason: z.string().nullable(),
  creditNote: z.object({ number: z.string(), amountMinor: z.number().int(), currency: z.string(), issueDate: z.string() }).nullable(),
  lines: z.array(ClaimLine), events: z.array(ClaimEvent), evidence: z.array(Evidence),
  actions: z.array(ClaimAction).describe('The steps the claim\'s status allows next'),
});
export type ClaimDetail = z.infer<typeof ClaimDetail>;
