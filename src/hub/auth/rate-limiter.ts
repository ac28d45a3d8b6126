/**
 * Sliding-window counter for login attempts (per username, per client IP). In memory, per hub
 * process: enough to stop online guessing against one node. Bounded: the oldest keys are evicted
 * beyond `maxKeys`, so a flood of distinct usernames cannot exhaust memory.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Milliseconds until another attempt is allowed, or 0 when allowed now. */
  retryAfterMs(key: string, nowMs: number): number {
    const recent = this.prune(key, nowMs);
    if (recent.length < this.limit) return 0;
    return (recent[recent.length - this.limit] ?? nowMs) + this.windowMs - nowMs;
  }

  record(key: string, nowMs: number): void {
    const recent = this.prune(key, nowMs);
    recent.push(nowMs);
    this.hits.delete(key);
    this.hits.set(key, recent);
    while (this.hits.size > this.maxKeys) {
      const oldest = this.hits.keys().next().value;
      if (oldest === undefined) break;
      this.hits.delete(oldest);
    }
  }

  /** Takes back one hit recorded at `atMs` (a success that was counted up front). */
  forget(key: string, atMs: number): void {
    const hits = this.hits.get(key);
    const i = hits?.lastIndexOf(atMs) ?? -1;
    if (hits && i >= 0) hits.splice(i, 1);
    if (hits?.length === 0) this.hits.delete(key);
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private prune(key: string, nowMs: number): number[] {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > nowMs - this.windowMs);
    if (recent.length === 0) this.hits.delete(key);
    else this.hits.set(key, recent);
    return recent;
  }
}
