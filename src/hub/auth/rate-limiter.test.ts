import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows `limit` hits per window, then says how long to wait', () => {
    const limiter = new RateLimiter(3, 60_000);
    for (let t = 0; t < 3; t++) {
      expect(limiter.retryAfterMs('a', t * 1000)).toBe(0);
      limiter.record('a', t * 1000);
    }
    expect(limiter.retryAfterMs('a', 10_000)).toBe(50_000);
    expect(limiter.retryAfterMs('b', 10_000)).toBe(0);
    expect(limiter.retryAfterMs('a', 60_001)).toBe(0);
    limiter.record('a', 70_000);
    limiter.reset('a');
    expect(limiter.retryAfterMs('a', 70_000)).toBe(0);
    for (const t of [80_000, 80_001, 80_002]) limiter.record('c', t);
    expect(limiter.retryAfterMs('c', 80_003)).toBeGreaterThan(0);
    limiter.forget('c', 80_001);
    expect(limiter.retryAfterMs('c', 80_003)).toBe(0);
  });

  it('stays bounded under a flood of distinct keys (hostile usernames), evicting the oldest', () => {
    const limiter = new RateLimiter(1, 60_000, 100);
    for (let i = 0; i < 10_000; i++) limiter.record(`user-${i}`, 0);
    expect(limiter.retryAfterMs('user-9999', 1)).toBeGreaterThan(0);
    expect(limiter.retryAfterMs('user-0', 1)).toBe(0);
    expect((limiter as unknown as { hits: Map<string, number[]> }).hits.size).toBeLessThanOrEqual(100);
  });
});
