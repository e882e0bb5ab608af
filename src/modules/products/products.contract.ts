import { z } from 'zod';

export const Product = z.object({
  id: z.string(),
  sku: z.string(),
  nameEn: z.string(),
  nameZh: z.string(),
  unit: z.string(),
  packSize: z.number().int(),
  category: z.string(),
  version: z.number().int(),
});
export type Product = z.infer<typeof Product>;

export const CreateProductBody = z.strictObject({
  sku: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'letters, digits, dot, dash, slash or underscore'),
  nameEn: z.string().trim().min(1).max(200),
  nameZh: z.string().trim().min(1).max(200),
  unit: z.string().trim().min(1).max(20),
  packSize: z.number().int().min(1).max(1_000_000).default(1),
  category: z.string().trim().min(1).max(60),
});
export const UpdateProductBody = CreateProductBody.omit({ sku: true }).partial();

export const ProductQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
  q: z.string().trim().max(100).optional(),
  category: z.string().max(60).optional(),
});
