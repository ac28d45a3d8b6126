import type { OutboxRequest } from '../../../shared/hub-api/outbox-requests';
import type { Db } from '../db/open-database';
import { ANNOTATION_ROW_FOR, annotationsRefPrefix, type AnnotationsOutboxPayload } from './annotation-store';

/**
 * The outbox worker's two annotation-specific steps, kept here beside the store that queues
 * the rows: the request for a row, and what "sent" means locally.
 */
export function annotationsRequest(payload: Record<string, unknown>): OutboxRequest {
  const p = payload as unknown as AnnotationsOutboxPayload;
  return {
    method: 'PUT',
    path: `/cases/${encodeURIComponent(p.caseId)}/images/${encodeURIComponent(p.sha256)}/annotations`,
    body: { doc: p.doc },
    headers: { 'if-match': `"${Number(p.baseVersion)}"`, 'idempotency-key': p.saveId },
  };
}

/**
 * The hub now holds version base + 1. Runs in the worker's transaction: the image is in step
 * with that version, and a newer save queued while this one was in flight (same case image, a
 * new row) is now based on it, so it is not refused as stale by our own earlier save.
 */
export function annotationsSent(db: Db, payloadJson: string): void {
  const sent = JSON.parse(payloadJson) as AnnotationsOutboxPayload;
  const version = sent.baseVersion + 1;
  db.prepare('UPDATE image_annotations SET hub_version = max(hub_version, ?) WHERE image_sha256 = ?').run(
    version,
    sent.sha256,
  );
  db.prepare(
    `UPDATE outbox SET payload_json = json_set(payload_json, '$.baseVersion', @version)
     WHERE ${ANNOTATION_ROW_FOR} AND held = 0`,
  ).run({ version, prefix: annotationsRefPrefix(sent.caseId, sent.sha256) });
}
