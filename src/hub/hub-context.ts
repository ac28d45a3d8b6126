import type { ObjectStore } from './store/object-store';
import type { HubRepository } from './store/hub-repository';
import type { RateLimiter } from './auth/rate-limiter';

/** What every route needs, built once by startHub. */
export interface HubContext {
  repo: HubRepository;
  objects: ObjectStore;
  now: () => Date;
  leaseMinutes: number;
  tokenTtlMinutes: number;
  loginPerUser: RateLimiter;
  loginPerIp: RateLimiter;
  /** Test seams: run inside a decision upload after its idempotency record is "in flight". */
  hooks: { beforeDecisionCommit?: () => Promise<void> };
}

export function leaseEnd(ctx: HubContext, from: Date = ctx.now()): string {
  return new Date(from.getTime() + ctx.leaseMinutes * 60_000).toISOString();
}
