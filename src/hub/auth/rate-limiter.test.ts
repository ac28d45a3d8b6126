import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp-dir';
import type { HubRepository } from '../store/hub-repository';
import { openHubStore } from '../store/open-hub-store';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter (rows in the hub database)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let repo: HubRepository;
  let t = 0;
  beforeEach(async () => {
    dir = makeTempDir();
    repo = await openHubStore({ kind: 'sqlite', file: join(dir.path, 'hub.sqlite') });
    t = 1_000_000;
  });
  afterEach(async () => {
    await repo.close();
    dir.remove();
  });

  it('allows `limit` attempts per window, then says how long to wait; forget and reset give attempts back', async () => {
    const limiter = new RateLimiter(repo, 'login', 3, 60_000, () => t);
    expect(await limiter.take('a')).toBe(0);
    t += 1000;
    expect(await limiter.take('a')).toBe(0);
    expect(await limiter.take('a')).toBe(0);
    expect(await limiter.retryAfterMs('a')).toBe(59_000);
    expect(await limiter.take('a')).toBe(59_000);
    expect(await limiter.retryAfterMs('b')).toBe(0);
    await limiter.forget('a');
    await limiter.forget('a');
    expect(await limiter.retryAfterMs('a')).toBe(0);
    await limiter.reset('a');
    expect(await limiter.take('a')).toBe(0);
    t += 60_000;
    expect(await limiter.retryAfterMs('a')).toBe(0);
  });

  it('a new window starts when the old one has passed; buckets keep their keys apart', async () => {
    const logins = new RateLimiter(repo, 'login', 1, 1000, () => t);
    const links = new RateLimiter(repo, 'links', 1, 1000, () => t);
    expect(await logins.take('10.0.0.1')).toBe(0);
    expect(await logins.take('10.0.0.1')).toBeGreaterThan(0);
    expect(await links.take('10.0.0.1')).toBe(0);
    t += 1000;
    expect(await logins.take('10.0.0.1')).toBe(0);
  });

  it('counts every one of a burst of parallel attempts (the count is one atomic statement)', async () => {
    const limiter = new RateLimiter(repo, 'login', 3, 60_000, () => t);
    const waits = await Promise.all(Array.from({ length: 12 }, () => limiter.take('burst')));
    expect(waits.filter((w) => w === 0)).toHaveLength(3);
  });
});
