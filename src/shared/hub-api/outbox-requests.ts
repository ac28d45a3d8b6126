/** One request to the hub's consultant API; `path` is relative to HUB_API_PREFIX. */
export interface OutboxRequest {
  method: 'PUT' | 'POST';
  path: string;
  body: unknown;
  headers: Record<string, string>;
}

/**
 * Where an outbox row of each replayable kind goes on the hub. Shared by the workstation's outbox
 * worker and the hub's sealed-outbox recovery, which replays a sealed row through the very same
 * route (so idempotency and If-Match apply to it exactly as to a normal send). Null: a kind this
 * mapping does not replay (annotations carry a base version the recovery cannot trust).
 */
export function outboxRequest(kind: string, refId: string, payload: Record<string, unknown>): OutboxRequest | null {
  const caseId = encodeURIComponent(String(payload['caseId'] ?? ''));
  switch (kind) {
    case 'decision':
      return {
        method: 'PUT',
        path: `/cases/${caseId}/decisions/${encodeURIComponent(refId)}`,
        body: payload,
        headers: { 'idempotency-key': refId, 'if-match': `"${Number(payload['caseVersion'])}"` },
      };
    case 'audit':
      // The hub stores audit rows idempotently by seq, so a resend after a crash is a no-op.
      return { method: 'POST', path: '/audit', body: { events: [payload] }, headers: {} };
    case 'pass-on':
      return { method: 'POST', path: `/cases/${caseId}/pass-on`, body: payload, headers: {} };
    default:
      return null;
  }
}
