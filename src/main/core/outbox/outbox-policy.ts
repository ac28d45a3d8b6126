/**
 * Pure outbox rules: what a hub answer means for a queued row, and when to try again.
 */
export type SendVerdict =
  /** 2xx: the hub has it; delete the row. */
  | 'sent'
  /** 409/412 on a decision: the case moved on; the consultant must review. Never retried. */
  | 'needs-review'
  /** Any other 4xx: the hub refuses this payload; shown to the consultant, never retried. */
  | 'rejected'
  /** 401: our token expired or was revoked; keep the row and wait for sign-in. */
  | 'signed-out'
  /** 5xx, 429, network, timeout: try again later with backoff. */
  | 'retry';

/**
 * Hub error codes that mean "try again", even on a 4xx status. A concurrent request with the
 * same Idempotency-Key (a previous process was killed mid-send and the hub is still finishing
 * it) is a 409 by the IETF draft, but it is not a conflict with the case: retrying returns the
 * original response.
 */
const RETRYABLE_CODES = new Set(['request-in-flight']);

export function verdictFor(status: number | null, hubCode: string | null): SendVerdict {
  if (status === null) return 'retry';
  if (status >= 200 && status < 300) return 'sent';
  if (hubCode !== null && RETRYABLE_CODES.has(hubCode)) return 'retry';
  if (status === 401) return 'signed-out';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  if (status === 409 || status === 412) return 'needs-review';
  return 'rejected';
}

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
}

/**
 * Exponential backoff with jitter: attempt n waits between half and all of base·2^(n-1),
 * capped, so many workstations coming back online at once do not hammer the hub in step.
 */
export function backoffDelayMs(attempts: number, random: () => number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 2_000;
  const cap = options.capMs ?? 10 * 60_000;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
