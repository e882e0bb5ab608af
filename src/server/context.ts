import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import type { Actor } from '../modules/auth/auth.domain.js';
import type { Clock } from '../shared/clock.js';
import type { Config } from './config.js';
import { AppError } from './errors.js';
import type { Jobs } from './jobs.js';
import type { Contributions } from '../platform/contributions.js';
import type { Permission } from './policy.js';

/**
 * What every feature plugin is given: the database, the clock, the configuration, the job queue,
 * and the registry through which it contributes to the account page, the day and the portal.
 */
export type Deps = { db: Db; clock: Clock; config: Config; jobs: Jobs; contributions: Contributions };

/** A use case's context: who is calling, which request, and the dependencies. */
export type Ctx = Deps & { actor: Actor; requestId: string };

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** The permission this route requires; every route must declare one. */
    policy?: Permission;
  }
}

/** The signed-in caller's context; 401 when nobody is signed in. */
export function ctxOf(req: FastifyRequest, deps: Deps): Ctx {
  if (!req.actor) throw new AppError('unauthenticated', 401, 'Sign in first');
  return { ...deps, actor: req.actor, requestId: req.id };
}
