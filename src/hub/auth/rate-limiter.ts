import type { RateLimitStore } from '../store/hub-repository';

/**
 * The hub's one rate limiter (sign-ins, patient links, feedback): a fixed window per key, counted
 * in the database (rate_limits), so every hub process on one database counts the same attempts
 * and a restart forgets nothing. `bucket` keeps the limiters' keys apart. Time comes from the
 * hub's clock.
 */
export class RateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    readonly bucket: string,
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Counts one attempt: 0 when it is within the limit, else milliseconds until the window resets. */
  async take(key: string): Promise<number> {
    const nowMs = this.now();
    const { count, resetAtMs } = await this.store.rateLimitHit(this.bucket, key, nowMs, this.windowMs);
    return count <= this.limit ? 0 : Math.max(1, resetAtMs - nowMs);
  }

  /** Without counting: 0 while attempts remain, else milliseconds until the window resets. */
  async retryAfterMs(key: string): Promise<number> {
    const nowMs = this.now();
    const { count, resetAtMs } = await this.store.rateLimitPeek(this.bucket, key, nowMs, this.windowMs);
    return count < this.limit ? 0 : Math.max(1, resetAtMs - nowMs);
  }

  /** Takes back one counted attempt (a success that was counted before the slow check). */
  async forget(key: string): Promise<void> {
    await this.store.rateLimitUndo(this.bucket, key);
  }

  async reset(key: string): Promise<void> {
    await this.store.rateLimitClear(this.bucket, key);
  }
}

/** Whole seconds for a Retry-After header. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
