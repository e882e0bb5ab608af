import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { expectedVersion, idParams, pageOf, withEtag } from '../../server/http.js';
import { CreateProductBody, Product, ProductQuery, UpdateProductBody } from './products.contract.js';
import * as products from './products.service.js';

const tags = ['products'];

export async function productsRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/api/v1/products', {
    config: { policy: 'product:read' },
    schema: { tags, summary: 'The product catalogue', querystring: ProductQuery, response: { 200: pageOf(Product) } },
  }, async (req) => products.listProducts(ctxOf(req, deps), req.query));
  app.post('/api/v1/products', {
    config: { policy: 'product:write' },
    schema: { tags, summary: 'Create a product', body: CreateProductBody, response: { 201: Product } },
  }, async (req, reply) => reply.status(201).send(withEtag(reply, await products.createProduct(ctxOf(req, deps), req.body))));
  app.get('/api/v1/products/:id', {
    config: { policy: 'product:read' },
    schema: { tags, summary: 'One product', params: idParams, response: { 200: Product } },
  }, async (req, reply) => withEtag(reply, await products.getProduct(ctxOf(req, deps), req.params.id)));
  app.patch('/api/v1/products/:id', {
    config: { policy: 'product:write' },
    schema: { tags, summary: 'Update a product (If-Match required)', params: idParams, body: UpdateProductBody, response: { 200: Product } },
  }, async (req, reply) => {
    const version = expectedVersion(req, req.params.id);
    return withEtag(reply, await products.updateProduct(ctxOf(req, deps), req.params.id, version, req.body));
  });
}
