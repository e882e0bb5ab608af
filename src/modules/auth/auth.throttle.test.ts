import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.js';
import { LoginThrottle } from './auth.throttle.js';

describe('login throttle', () => {
  const limits = {
    client: { max: 3, windowMs: 60_000, lockMs: 60_000 },
    account: { max: 6, windowMs: 600_000, lockMs: 600_000 },
    address: { max: 10, windowMs: 60_000, lockMs: 60_000 },
  };

  it("keeps counting a spread guess after the owner's success", () => {
    const clock = fixedClock('2026-11-26T08:00:00Z');
    const th = new LoginThrottle(clock, limits);
    for (const ip of ['1.1.1.1', '1.1.1.2']) for (let i = 0; i < 2; i++) th.fail({ email: 'u', ip });
    th.succeed({ email: 'u', ip: '9.9.9.9' });
    th.fail({ email: 'u', ip: '1.1.1.3' });
    th.fail({ email: 'u', ip: '1.1.1.4' });
    expect(th.retryAfter({ email: 'u', ip: '9.9.9.9' })).toBe(600);
    expect(th.retryAfter({ email: 'u', ip: '9.9.9.9', device: 'dev' })).toBe(0);
    clock.advance(600_000);
    expect(th.retryAfter({ email: 'u', ip: '9.9.9.9' })).toBe(0);
  });

  it('a success clears only its own client count', () => {
    const clock = fixedClock('2026-11-26T08:00:00Z');
    const th = new LoginThrottle(clock, limits);
    th.fail({ email: 'u', ip: '1.1.1.1' });
    th.fail({ email: 'u', ip: '1.1.1.1' });
    th.succeed({ email: 'u', ip: '1.1.1.1' });
    th.fail({ email: 'u', ip: '1.1.1.1' });
    th.fail({ email: 'u', ip: '1.1.1.1' });
    expect(th.retryAfter({ email: 'u', ip: '1.1.1.1' })).toBe(0);
    th.fail({ email: 'u', ip: '1.1.1.1' });
    expect(th.retryAfter({ email: 'u', ip: '1.1.1.1' })).toBe(60);
    expect(th.retryAfter({ email: 'u', ip: '1.1.1.2' })).toBe(0);
  });
});
