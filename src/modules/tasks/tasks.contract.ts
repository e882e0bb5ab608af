import { z } from 'zod';

export const TaskStatus = z.enum(['open', 'done']);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD');

export const Task = z.object({
  id: z.string(),
  accountId: z.string(),
  title: z.string(),
  notes: z.string().nullable(),
  assigneeId: z.string(),
  dueDate: z.string().nullable().describe('YYYY-MM-DD, in the assignee\'s calendar'),
  status: TaskStatus,
  doneAt: z.string().nullable(),
  doneBy: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Task = z.infer<typeof Task>;

const fields = {
  title: z.string().trim().min(1, 'Give the task a title').max(200),
  notes: z.string().max(10_000).nullable(),
  assigneeId: z.string().uuid(),
  dueDate: date.nullable(),
  status: TaskStatus,
};
export const CreateTaskBody = z.strictObject({
  accountId: z.string().uuid(), title: fields.title, notes: fields.notes.default(null),
  assigneeId: fields.assigneeId.optional().describe('Who does it; you when omitted'), dueDate: fields.dueDate.default(null),
});
export const UpdateTaskBody = z.strictObject(fields).partial();
