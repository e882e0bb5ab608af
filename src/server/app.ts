import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { accountsExportRoutes } from '../modules/accounts/accounts.export.js';
import { accountsRoutes } from '../modules/accounts/accounts.routes.js';
import { activitiesRoutes } from '../modules/activities/activities.routes.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { homeRoutes } from '../modules/home/home.routes.js';
import { hazardsRoutes } from '../modules/hazards/hazards.routes.js';
import { contactsRoutes } from '../modules/contacts/contacts.routes.js';
import { productsRoutes } from '../modules/products/products.routes.js';
import { portfolioRoutes } from '../modules/portfolio/portfolio.routes.js';
import { salesRoutes } from '../modules/sales/sales.routes.js';
import { sitesRoutes } from '../modules/sites/sites.routes.js';
import { usersRoutes } from '../modules/users/users.routes.js';
import { visitsRoutes } from '../modules/visits/visits.routes.js';
import { type Clock, systemClock } from '../shared/clock.js';
import type { Config } from './config.js';
import type { Deps } from './context.js';
import { inProcessJobs, type Jobs } from './jobs.js';
import { authPlugin } from './plugins/auth.js';
import { errorsPlugin } from './plugins/errors.js';
import { healthPlugin } from './plugins/health.js';
import { openapiPlugin } from './plugins/openapi.js';
import { textInputPlugin } from './plugins/text-input.js';
import { webPlugin } from './plugins/web.js';
import { createContributions } from '../platform/contributions.js';
import { accountOverviewRoutes } from '../modules/accounts/account-overview.routes.js';
import { tasksRoutes } from '../modules/tasks/tasks.routes.js';
import { notesRoutes } from '../modules/notes/notes.routes.js';
import { attachmentsRoutes } from '../modules/attachments/attachments.routes.js';
import { servicesRoutes } from '../modules/services/services.routes.js';
import { capacityRoutes } from '../modules/capacity/capacity.routes.js';
import { rebatesRoutes } from '../modules/rebates/rebates.routes.js';
import { pricingRoutes } from '../modules/pricing/pricing.routes.js';
import { competitionRoutes } from '../modules/competition/competition.routes.js';
import { relationshipsRoutes } from '../modules/relationships/relationships.routes.js';
import { deliveryRoutes } from '../modules/delivery/delivery.routes.js';
import { stockRoutes } from '../modules/stock/stock.routes.js';
import { claimsRoutes } from '../modules/claims/claims.routes.js';
import { lanesRoutes } from '../modules/lanes/lanes.routes.js';
import { deliveryImportRoutes } from '../modules/delivery/import.routes.js';
import { vmiRoutes } from '../modules/vmi/vmi.routes.js';
import { vmiPortalRoutes } from '../modules/vmi/vmi.portal-routes.js';
import { vmiInventoryRoutes } from '../modules/vmi/vmi.inventory-routes.js';

export type RouteInfo = { method: string; url: string; policy: string | undefined; query: string[] };

/** Every route the app registered, with its declared policy and query fields (the route tests read this). */
export const routesOf = new WeakMap<FastifyInstance, RouteInfo[]>();

/** A feature module's routes plugin: registers its routes and its contributions. */
export type FeaturePlugin = (app: FastifyInstance, deps: Deps) => Promise<void>;

/** `features`: more feature plugins after the built-in ones (tests add a module of their own). */
export type BuildOptions = { clock?: Clock; logger?: boolean | object; jobs?: Jobs; features?: FeaturePlugin[] };

/** Builds the Fastify app: plugins registered explicitly, in a known order. */
export async function buildApp(config: Config, db: Db, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    ajv: { customOptions: { removeAdditional: false } },
  });
  const jobs = opts.jobs ?? inProcessJobs(app.log);
  const deps: Deps = { db, clock: opts.clock ?? systemClock, config, jobs, contributions: createContributions(app.log) };
  app.addHook('onClose', async () => jobs.stop());

  const routes: RouteInfo[] = [];
  routesOf.set(app, routes);
  app.addHook('onRoute', (r) => {
    const qs = r.schema?.querystring;
    const query = qs instanceof z.ZodObject ? Object.keys(qs.shape) : [];
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url, policy: r.config?.policy, query });
  });
  app.addHook('onSend', async (req, reply) => { reply.header('x-request-id', req.id); });

  // The API speaks JSON only: anything else is 415, not a string for the validator to puzzle over.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  errorsPlugin(app);
  textInputPlugin(app);

  const tile = config.tileUrl ? new URL(config.tileUrl.replace(/\{[a-z]\}/g, 'a')).origin : undefined;
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: { 'img-src': ["'self'", 'data:', 'blob:', ...(tile ? [tile] : [])], 'script-src': ["'self'"], 'worker-src': ["'self'", 'blob:'] },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await openapiPlugin(app);
  authPlugin(app, deps);

  healthPlugin(app, deps);

  await authRoutes(app, deps);
  await usersRoutes(app, deps);
  await accountsRoutes(app, deps);
  await accountsExportRoutes(app, deps);
  await homeRoutes(app, deps);
  await contactsRoutes(app, deps);
  await sitesRoutes(app, deps);
  await activitiesRoutes(app, deps);
  await tasksRoutes(app, deps);
  await notesRoutes(app, deps);
  await attachmentsRoutes(app, deps);
  await productsRoutes(app, deps);
  await salesRoutes(app, deps);
  await portfolioRoutes(app, deps);
  await visitsRoutes(app, deps);
  await hazardsRoutes(app, deps);
  await servicesRoutes(app, deps);
  await capacityRoutes(app, deps);
  await rebatesRoutes(app, deps);
  await pricingRoutes(app, deps);
  await competitionRoutes(app, deps);
  await deliveryRoutes(app, deps);
  await stockRoutes(app, deps);
  await claimsRoutes(app, deps);
  await lanesRoutes(app, deps);
  await deliveryImportRoutes(app, deps);
  await vmiRoutes(app, deps);
  await vmiPortalRoutes(app, deps);
  await vmiInventoryRoutes(app, deps);
  await relationshipsRoutes(app, deps);
  for (const feature of opts.features ?? []) await feature(app, deps);
  await accountOverviewRoutes(app, deps);
  await webPlugin(app);

  return app;
}
