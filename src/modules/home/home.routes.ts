import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ctxOf, type Deps } from '../../server/context.js';
import { Home, PublicConfig } from './home.contract.js';
import { getHome } from './home.service.js';

const tags = ['home'];

export async function homeRoutes(fastify: FastifyInstance, deps: Deps): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/v1/config', {
    config: { policy: 'public' },
    schema: { tags, summary: 'Public settings for the web app (basemap)', response: { 200: PublicConfig } },
  }, async () => ({ tileUrl: deps.config.tileUrl ?? null, demo: deps.config.demo }));

  app.get('/api/v1/home', {
    config: { policy: 'account:read' },
    schema: { tags, summary: 'Your home page: key accounts, recent activity, what needs attention', response: { 200: Home } },
  }, async (req) => getHome(ctxOf(req, deps)));
}
