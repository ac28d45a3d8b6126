import type { CaseRecord } from '../../../shared/domain/case';
import type { CaseCache } from '../cases/case-cache';
import { moveCase } from '../case-state/case-state';
import type { Db } from '../db/open-database';
import type { LocalCaseFacts } from './plan-change';
import type { ImageAnnotations } from '../../../shared/hub-api/annotations-api';
import { AnnotationStore } from '../images/annotation-store';

/** What the workstation knows about one cached case, for planning a change. */
export function localFacts(db: Db, caseId: string): LocalCaseFacts {
  const c = db.prepare('SELECT state, hub_version FROM cases WHERE id = ?').get(caseId) as
    { state: LocalCaseFacts['state']; hub_version: number } | undefined;
  const d = db
    .prepare(
      `SELECT id, decision_json FROM decisions WHERE case_id = ? AND sync_state != 'synced' ORDER BY version DESC LIMIT 1`,
    )
    .get(caseId) as { id: string; decision_json: string } | undefined;
  return {
    cached: c !== undefined,
    state: c?.state ?? null,
    hubVersion: c?.hub_version ?? null,
    unsyncedDecision: d
      ? { id: d.id, caseVersion: (JSON.parse(d.decision_json) as { caseVersion: number }).caseVersion }
      : null,
  };
}

/**
 * Sends a decision the hub has not accepted to "needs review": decision, case and outbox row
 * move together, and the outbox row is held so the worker stops sending a decision the hub
 * will refuse. Nothing is deleted.
 */
export function markNeedsReview(db: Db, decisionId: string, caseId: string, note: string): void {
  db.prepare(`UPDATE decisions SET sync_state = 'needs-review', sync_note = ? WHERE id = ?`).run(note, decisionId);
  db.prepare(`UPDATE outbox SET held = 1, last_error = ? WHERE kind = 'decision' AND ref_id = ?`).run(note, decisionId);
  moveCase(db, caseId, 'decision-outdated', note);
}

/**
 * Stores a verified case (its images already in the image store) in one transaction. A newer
 * hub version over an unsynced decision made on an older one sends that decision to review.
 */
export function storeCase(
  db: Db,
  cases: CaseCache,
  // `annotations`: the consultant's marks that came with the case (GET /cases/:id, validated there).
  { annotations, ...record }: CaseRecord & { annotations?: readonly ImageAnnotations[] },
): void {
  db.transaction(() => {
    const before = localFacts(db, record.id);
    cases.upsert(record);
    if (annotations) new AnnotationStore(db, () => new Date()).applyFromHub(record.id, annotations);
    db.prepare('UPDATE images SET stored = 1, error = NULL WHERE case_id = ?').run(record.id);
    const decision = before.unsyncedDecision;
    if (decision && decision.caseVersion < record.version && before.state !== 'needs-review') {
      markNeedsReview(
        db,
        decision.id,
        record.id,
        `The referrer updated this case (version ${record.version}) after you decided on version ${decision.caseVersion}. Review the new information and amend your decision.`,
      );
    }
  })();
}
