import { z } from 'zod';

export const Note = z.object({
  id: z.string(),
  accountId: z.string(),
  authorId: z.string(),
  body: z.string(),
  pinned: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Note = z.infer<typeof Note>;

const fields = { body: z.string().trim().min(1, 'Write the note').max(20_000), pinned: z.boolean() };
export const CreateNoteBody = z.strictObject({ accountId: z.string().uuid(), body: fields.body, pinned: fields.pinned.default(false) });
export const UpdateNoteBody = z.strictObject(fields).partial();
