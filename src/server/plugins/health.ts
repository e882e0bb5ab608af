import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { checkReadiness } from '../../db/readiness.js';
import { isoNow } from '../../shared/clock.js';
import type { Deps } from '../context.js';

/**
 * `/healthz`: the process is up. `/readyz`: the database takes writes now (a probe write, free disk
 * space, the page limit); otherwise 503 problem+json with the reason. A load balancer sends traffic
 * only while ready; a restarted or failed-over database makes it 503 until the pool reconnects.
 */
export function healthPlugin(app: FastifyInstance, deps: Deps): void {
  app.get('/healthz', { config: { policy: 'public' }, schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  // Probes come every few seconds: the log says when readiness changes, not at every probe.
  let lastCause: string | undefined;
  app.get('/readyz', { config: { policy: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const database = deps.db.dialect;
    const r = await checkReadiness(deps.db, { now: isoNow(deps.clock), minFreeBytes: deps.config.readyMinFreeBytes });
    if (r.ready) {
      if (lastCause !== undefined) req.log.info({ database }, 'ready again');
      lastCause = undefined;
      return { status: 'ready', database };
    }
    if (r.cause !== lastCause) req.log.error({ database, reason: r.reason }, `not ready: ${r.cause}`);
    lastCause = r.cause;
    return reply.status(503).type('application/problem+json').header('retry-after', '5').send({
      type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'not_ready', detail: r.detail, instance: req.url, reason: r.reason, database,
    });
  });
}
