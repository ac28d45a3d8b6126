import type { ObjectStore } from './store/object-store';
import type { HubRepository } from './store/hub-repository';
import type { RateLimiter } from './auth/rate-limiter';
import type { SealingKeyPair } from '../common/sealed-box/sealed-box';
import type { HubMetrics } from './http/hub-metrics';
import type { Logger } from 'pino';
import type { Letterhead } from '../common/letters/letterhead';

/** What every route needs, built once by startHub. */
export interface HubContext {
  repo: HubRepository;
  objects: ObjectStore;
  now: () => Date;
  leaseMinutes: number;
  tokenTtlMinutes: number;
  /** Sign-in attempts per username and per client address (rows in the database). */
  loginPerUser: RateLimiter;
  loginPerIp: RateLimiter;
  /** Test seams: run inside a decision upload after its idempotency record is "in flight". */
  hooks: { beforeDecisionCommit?: () => Promise<void> };
  /** The X25519 key workstations seal their outbox journal to (auth/sealing-key.ts, kept in the database). */
  sealingKey?: SealingKeyPair;
  /** The structured log (http/hub-log.ts); unset: silent (tests, the embedded demo hub). */
  log?: Logger;
  /** Prometheus counters and latencies (http/hub-metrics.ts), served at /metrics. */
  metrics?: HubMetrics;
  /** The bearer token Prometheus scrapes /metrics with; unset: /metrics is off. */
  metricsToken?: string;
  /** The service's letterhead on the letters the hub issues; the demo's when unset. */
  letterhead?: Letterhead;
  /** The loop back to the practice (loop/outcome-loop.ts); routes kick it after a change. */
  loop?: { kick(): void; hasChannel(channel: 'email' | 'sms'): boolean; publicUrl(): string };
}

export function leaseEnd(ctx: HubContext, from: Date = ctx.now()): string {
  return new Date(from.getTime() + ctx.leaseMinutes * 60_000).toISOString();
}
