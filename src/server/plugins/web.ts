import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const webDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/web');

/** Serves the built web app (dist/web) with a fallback to index.html for client-side routes. */
export async function webPlugin(app: FastifyInstance): Promise<void> {
  if (!existsSync(path.join(webDistDir, 'index.html'))) return;
  await app.register(fastifyStatic, { root: webDistDir, wildcard: false, index: 'index.html', maxAge: '1h', immutable: false });
  app.get('/*', { config: { policy: 'public' }, schema: { hide: true } }, async (req, reply) => {
    if (req.url.startsWith('/api/')) {
      return reply.status(404).type('application/problem+json').send({ type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found', detail: `No route ${req.method} ${req.url.split('?')[0]}`, instance: req.url });
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
