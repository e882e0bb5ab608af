import type { Clock } from '../../shared/clock.js';

type Bucket = { failures: number[]; lockedUntil: number };

/**
 * Login throttling per account (email) and per client address, in memory.
 * After `maxFailures` failures within `windowMs` the key is locked for `lockMs`.
 * Kept in process: see docs/decisions/003-login-throttle-in-memory.md.
 */
export class LoginThrottle {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly limits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  ) {}

  /** Seconds until the caller may try again, or 0 when allowed. */
  retryAfter(email: string, ip: string): number {
    const now = this.clock.now().getTime();
    const wait = Math.max(this.lockedFor(`a:${email}`, now), this.lockedFor(`i:${ip}`, now));
    return Math.ceil(wait / 1000);
  }

  fail(email: string, ip: string): void {
    const now = this.clock.now().getTime();
    this.bump(`a:${email}`, this.limits.perAccount, now);
    this.bump(`i:${ip}`, this.limits.perAddress, now);
  }

  succeed(email: string): void {
    this.buckets.delete(`a:${email}`);
  }

  private lockedFor(key: string, now: number): number {
    const b = this.buckets.get(key);
    return b && b.lockedUntil > now ? b.lockedUntil - now : 0;
  }

  private bump(key: string, max: number, now: number): void {
    const b = this.buckets.get(key) ?? { failures: [], lockedUntil: 0 };
    b.failures = b.failures.filter((t) => now - t < this.limits.windowMs);
    b.failures.push(now);
    if (b.failures.length >= max) {
      b.lockedUntil = now + this.limits.lockMs;
      b.failures = [];
    }
    this.buckets.set(key, b);
    if (this.buckets.size > 100_000) this.prune(now);
  }

  private prune(now: number): void {
    for (const [k, b] of this.buckets) {
      if (b.lockedUntil <= now && b.failures.every((t) => now - t >= this.limits.windowMs)) this.buckets.delete(k);
    }
  }
}
