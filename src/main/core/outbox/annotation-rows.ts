import type { OutboxRequest } from '../../../shared/hub-api/outbox-requests';
import type { Db } from '../db/open-database';
import type { AnnotationDoc } from '../../../shared/domain/viewer/annotations';

/** What an 'annotations' outbox row carries (the worker PUTs it to the hub). */
export interface AnnotationsOutboxPayload {
  caseId: string;
  sha256: string;
  /** The hub version this edit was based on (If-Match); the hub's new version is base + 1. */
  baseVersion: number;
  /** Idempotency-Key: a resend of the same save is answered by the hub, not refused as stale. */
  saveId: string;
  doc: AnnotationDoc;
}

/**
 * One outbox row per case image at a time; its reference is `<caseId>.<sha256>.<saveId>`, so each
 * save has its own sealed journal copy (sealed-journal.ts keys copies by kind and reference).
 */
export function annotationsRefPrefix(caseId: string, sha256: string): string {
  return `${caseId}.${sha256}.`;
}

/** The annotation row (at most one) queued for a case image: matched on the reference's prefix. */
export const ANNOTATION_ROW_FOR = `kind = 'annotations' AND substr(ref_id, 1, length(@prefix)) = @prefix`;

/**
 * The outbox worker's two annotation-specific steps: the request for a row, and what "sent"
 * means locally. Here in the outbox (not beside the image annotation store that queues the rows)
 * so the outbox never imports the image code that imports it.
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
