import type { Clock } from '../../shared/clock.js';

type Bucket = { failures: number[]; lockedUntil: number };

/** After `max` failures within `windowMs` a key is locked for `lockMs`. */
export type Limit = { max: number; windowMs: number; lockMs: number };

export type ThrottleLimits = {
  /** Per account and client (the address, or the known device): stops guessing from one place fast. */
  client: Limit;
  /** Per account across every address: stops a guess spread over many addresses, slowly. */
  account: Limit;
  /** Per address across every account: stops one address trying many accounts. */
  address: Limit;
};

const MINUTE = 60_000;

/** The limits OWASP's authentication cheat sheet suggests the shape of; see decision 003. */
export const defaultThrottleLimits: ThrottleLimits = {
  client: { max: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
  account: { max: 50, windowMs: 60 * MINUTE, lockMs: 60 * MINUTE },
  address: { max: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
};

/**
 * Who is signing in, as the throttle sees it. `device` is the id of a known device of this account
 * (a device cookie the server issued to it on an earlier sign-in), or undefined.
 */
export type Attempt = { email: string; ip: string; device?: string | undefined };

/**
 * Login throttling, in memory (docs/decisions/003-login-throttle-in-memory.md).
 *
 * A stranger's failures must not lock the owner out (a lockout is a denial of service anyone can
 * cause), so the fast limit counts per account *and* client; the per-account limit is slower, and a
 * known device of the account is exempt from it and from the per-address limit: it proved the
 * password before, and counts its own failures under the fast limit.
 */
export class LoginThrottle {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: ThrottleLimits = defaultThrottleLimits,
  ) {}

  /** Seconds until this attempt may be made, or 0 when allowed. */
  retryAfter(a: Attempt): number {
    const now = this.clock.now().getTime();
    const wait = Math.max(...this.keys(a).map(([key]) => this.lockedFor(key, now)));
    return Math.ceil(wait / 1000);
  }

  fail(a: Attempt): void {
    const now = this.clock.now().getTime();
    for (const [key, limit] of this.keys(a)) this.bump(key, limit, now);
  }

  /**
   * Clears the client's count only: the per-account and per-address counts also hold other
   * people's failures, which the owner's success must not wipe out for them.
   */
  succeed(a: Attempt): void {
    this.buckets.delete(this.keys(a)[0]![0]);
  }

  private keys(a: Attempt): [string, Limit][] {
    if (a.device) return [[`d:${a.email}\n${a.device}`, this.limits.client]];
    return [
      [`p:${a.email}\n${a.ip}`, this.limits.client],
      [`a:${a.email}`, this.limits.account],
      [`i:${a.ip}`, this.limits.address],
    ];
  }

  private lockedFor(key: string, now: number): number {
    const b = this.buckets.get(key);
    return b && b.lockedUntil > now ? b.lockedUntil - now : 0;
  }

  private bump(key: string, limit: Limit, now: number): void {
    const b = this.buckets.get(key) ?? { failures: [], lockedUntil: 0 };
    b.failures = b.failures.filter((t) => now - t < limit.windowMs);
    b.failures.push(now);
    if (b.failures.length >= limit.max) {
      b.lockedUntil = now + limit.lockMs;
      b.failures = [];
    }
    this.buckets.set(key, b);
    if (this.buckets.size > 100_000) this.prune(now);
  }

  private prune(now: number): void {
    const longest = Math.max(...Object.values(this.limits).map((l) => l.windowMs));
    for (const [k, b] of this.buckets) {
      if (b.lockedUntil <= now && b.failures.every((t) => now - t >= longest)) this.buckets.delete(k);
    }
  }
}
