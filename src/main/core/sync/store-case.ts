import { answerTo, type CaseRecord, type InformationAnswer } from '../../../shared/domain/case';
import type { CaseCache } from '../cases/case-cache';
import { moveCase } from '../case-state/case-state';
import type { Db } from '../db/open-database';
import type { LocalCaseFacts } from './plan-change';
import type { ImageAnnotations } from '../../../shared/hub-api/annotations-api';
import { AnnotationStore } from '../images/annotation-store';
import type { EarlierCase } from '../../../shared/hub-api/earlier-cases-api';
import { storeEarlierCases } from '../cases/earlier-cases';

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
 * Returns `answered: true` when the referrer's answer brought the case back to triage (the sync
 * engine announces it, so a case open on screen shows the answer).
 */
export function storeCase(
  db: Db,
  cases: CaseCache,
  // `annotations`: the consultant's marks that came with the case (GET /cases/:id, validated there);
  // `earlierCases`: the patient's earlier cases, read-only (absent: keep what is stored).
  {
    annotations,
    earlierCases,
    earlierRefused: _refused,
    ...record
  }: CaseRecord & {
    annotations?: readonly ImageAnnotations[];
    earlierCases?: readonly EarlierCase[];
    earlierRefused?: string;
  },
): { answered: boolean } {
  return db.transaction(() => {
    const before = localFacts(db, record.id);
    cases.upsert(record);
    if (annotations) new AnnotationStore(db, () => new Date()).applyFromHub(record.id, annotations);
    if (earlierCases) storeEarlierCases(db, record.id, earlierCases);
    db.prepare('UPDATE images SET stored = 1, error = NULL WHERE case_id = ?').run(record.id);
    const answered = answerArrived(db, record);
    const decision = before.unsyncedDecision;
    if (decision && decision.caseVersion < record.version && before.state !== 'needs-review') {
      markNeedsReview(
        db,
        decision.id,
        record.id,
        `The referrer updated this case (version ${record.version}) after you decided on version ${decision.caseVersion}. Review the new information and amend your decision.`,
      );
    }
    return { answered };
  })();
}

/**
 * The referrer answered this consultant's "more information" decision: when the stored record
 * carries an answer naming the case's latest decision, and the hub has accepted that decision,
 * the case goes back to triage ('information-answered'). A case already back (or decided again:
 * the latest decision is then a newer one) is left as it is, so a refresh never moves it twice.
 */
function answerArrived(db: Db, record: CaseRecord): boolean {
  const latest = db
    .prepare('SELECT id, sync_state FROM decisions WHERE case_id = ? ORDER BY version DESC LIMIT 1')
    .get(record.id) as { id: string; sync_state: string } | undefined;
  const answer = answerTo(record, latest?.id);
  if (!answer || latest?.sync_state !== 'synced') return false;
  const state = db.prepare('SELECT state FROM cases WHERE id = ?').get(record.id) as { state: string };
  return state.state !== moveCase(db, record.id, 'information-answered', answerNote(answer));
}

/** The state note of a case brought back by an answer (the case view shows the answer itself). */
export function answerNote(answer: InformationAnswer): string {
  const who = answer.from === 'patient' ? 'The patient' : 'The practice';
  const n = answer.imageIds.length;
  const photos = n === 0 ? 'no new photographs' : n === 1 ? '1 new photograph' : `${n} new photographs`;
  return `${who} answered your request for more information on ${answer.at.slice(0, 16).replace('T', ' ')} UTC (${photos}).`;
}
