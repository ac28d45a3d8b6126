import { describe, expect, it } from 'vitest';
import { backoffDelayMs, verdictFor } from './outbox-policy';

describe('verdictFor', () => {
  it('deletes on 2xx, reviews on 409/412, rejects other 4xx, retries 5xx and network', () => {
    expect(verdictFor(200, null)).toBe('sent');
    expect(verdictFor(201, null)).toBe('sent');
    expect(verdictFor(409, 'case-conflict')).toBe('needs-review');
    expect(verdictFor(412, 'stale-version')).toBe('needs-review');
    expect(verdictFor(400, 'validation')).toBe('rejected');
    expect(verdictFor(403, 'forbidden')).toBe('rejected');
    expect(verdictFor(422, 'idempotency-key-reused')).toBe('rejected');
    expect(verdictFor(401, 'unauthorised')).toBe('signed-out');
    expect(verdictFor(500, null)).toBe('retry');
    expect(verdictFor(503, null)).toBe('retry');
    expect(verdictFor(429, null)).toBe('retry');
    expect(verdictFor(null, null)).toBe('retry');
  });

  it('retries a concurrent-idempotency 409 instead of treating it as a case conflict', () => {
    expect(verdictFor(409, 'request-in-flight')).toBe('retry');
  });
});

describe('backoffDelayMs', () => {
  it('doubles per attempt within the jitter band and stops at the cap', () => {
    const opts = { baseMs: 1000, capMs: 60_000 };
    expect(backoffDelayMs(1, () => 0, opts)).toBe(500);
    expect(backoffDelayMs(1, () => 1, opts)).toBe(1000);
    expect(backoffDelayMs(3, () => 0, opts)).toBe(2000);
    expect(backoffDelayMs(3, () => 1, opts)).toBe(4000);
    expect(backoffDelayMs(30, () => 1, opts)).toBe(60_000);
    expect(backoffDelayMs(30, () => 0, opts)).toBe(30_000);
  });
});
