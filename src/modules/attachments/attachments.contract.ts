import { z } from 'zod';

export const Attachment = z.object({
  id: z.string(),
  accountId: z.string(),
  fileName: z.string().describe('As uploaded, made safe (folders, control characters and characters Windows forbids removed; other scripts kept)'),
  contentType: z.string().describe('Told from the bytes, not from the name or the type the client sent'),
  sizeBytes: z.number().int(),
  sha256: z.string().describe('Hex SHA-256 of the bytes'),
  uploadedBy: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.string(),
});
export type Attachment = z.infer<typeof Attachment>;

export const AttachmentPage = z.object({
  items: z.array(Attachment),
  nextCursor: z.string().nullable(),
  maxBytes: z.number().int().describe('The largest file an upload may be (OPENKAM_ATTACHMENT_MAX_MB)'),
  extensions: z.array(z.string()).describe('The kinds of file accepted, by extension (the content is what is checked)'),
});
export type AttachmentPage = z.infer<typeof AttachmentPage>;

export const AttachmentListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const UploadAttachmentQuery = z.strictObject({
  fileName: z.string().trim().min(1, 'Name the file').max(1000).describe('The file\'s name (URL-encoded UTF-8); made safe before it is stored'),
});

export const AccountParams = z.object({ id: z.string().uuid().describe('Account id') });
