import type { z } from 'zod';
import type { Ctx } from '../../server/context.js';
import { AppError, notFound } from '../../server/errors.js';
import { newId } from '../../shared/ids.js';
import { recordAudit } from '../audit/audit.service.js';
import { productsRecategorised } from '../sales/sales.service.js';
import type { CreateProductBody, Product, UpdateProductBody } from './products.contract.js';
import * as repo from './products.repository.js';

export const listProducts = (ctx: Ctx, q: { q?: string; category?: string; cursor?: string; limit: number }) => repo.listProducts(ctx.db.kysely, q);

export async function getProduct(ctx: Ctx, id: string): Promise<Product> {
  const r = await repo.findProduct(ctx.db.kysely, id);
  if (!r) throw notFound('Product');
  return repo.toProduct(r);
}

export async function createProduct(ctx: Ctx, b: z.infer<typeof CreateProductBody>): Promise<Product> {
  const now = ctx.clock.now().toISOString();
  const row = { id: newId(), sku: b.sku, name_en: b.nameEn, name_zh: b.nameZh, unit: b.unit, pack_size: b.packSize, category: b.category, created_at: now, updated_at: now, version: 1 };
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (await trx.selectFrom('products').select('id').where('sku', '=', b.sku).executeTakeFirst()) {
      throw new AppError('duplicate', 409, `SKU ${b.sku} already exists`, { errors: [{ path: 'body.sku', message: 'already used' }] });
    }
    await repo.insertProduct(trx, row);
    await recordAudit(trx, ctx, { action: 'create', entity: 'product', entityId: row.id, after: b });
  });
  return repo.toProduct(row);
}

export async function updateProduct(ctx: Ctx, id: string, version: number, b: z.infer<typeof UpdateProductBody>): Promise<Product> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await repo.findProduct(trx, id);
    if (!before) throw notFound('Product');
    const ok = await repo.updateProduct(trx, id, version, {
      ...(b.nameEn !== undefined && { name_en: b.nameEn }), ...(b.nameZh !== undefined && { name_zh: b.nameZh }),
      ...(b.unit !== undefined && { unit: b.unit }), ...(b.packSize !== undefined && { pack_size: b.packSize }),
      ...(b.category !== undefined && { category: b.category }), updated_at: ctx.clock.now().toISOString(),
    });
    if (!ok) throw new AppError('precondition_failed', 412, 'The product was changed by someone else since you read it; reload and try again');
    if (b.category !== undefined && b.category !== before.category) await productsRecategorised(trx, [id]);
    await recordAudit(trx, ctx, { action: 'update', entity: 'product', entityId: id, before: repo.toProduct(before), after: b });
  });
  return getProduct(ctx, id);
}
