import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import type { CaseRecord } from '../../../shared/domain/case';
import {
  DECISION_WITH_MARKS_MAX_BYTES,
  signedDecisionSchema,
  type DecisionContent,
  type SignedDecision,
  type SignedMarks,
} from '../../../shared/domain/decision';
import { annotationDocSchema } from '../../../shared/domain/viewer/annotations';
import { decisionRuleViolations } from '../../../shared/domain/outcome-rules';
import { appendAudit } from '../audit/audit-log';
import type { SealedJournal } from '../outbox/sealed-journal';
import { enqueueOutbox } from '../outbox/enqueue-outbox';
import { moveCase } from '../case-state/case-state';
import type { Db } from '../db/open-database';

export interface SignInput {
  caseId: string;
  content: DecisionContent;
  consultant: { id: string; displayName: string };
  /** For an amendment: the signed decision it replaces. */
  supersedes?: string | null;
}

/**
 * Signs a decision: in ONE transaction the decision row, its outbox row and its audit row are
 * written, the draft is cleared and the case leaves the worklist's undecided set. Either all of
 * that is on disk (synchronous=FULL) or none of it is: a decision the consultant saw as signed
 * cannot be lost by a crash, and cannot be half-queued.
 */
export function signDecision(
  db: Db,
  input: SignInput,
  now: Date,
  journal: SealedJournal | null = null,
): SignedDecision {
  return db.transaction((): SignedDecision => {
    const row = db.prepare('SELECT record_json, hub_version FROM cases WHERE id = ?').get(input.caseId) as
      { record_json: string; hub_version: number } | undefined;
    if (!row) throw new AppError('not-found', 'This case is not in the local cache.', 'caseId');
    const record = JSON.parse(row.record_json) as CaseRecord;

    const violation = decisionRuleViolations(record.referral, input.content)[0];
    if (violation) throw new AppError('validation', violation.message, violation.field);

    const latest = db
      .prepare('SELECT id, version FROM decisions WHERE case_id = ? ORDER BY version DESC LIMIT 1')
      .get(input.caseId) as { id: string; version: number } | undefined;
    const supersedes = input.supersedes ?? null;
    if (latest && supersedes !== latest.id) {
      throw new AppError(
        'conflict',
        'This case already has a signed decision. Amend it instead: an amendment is a new version.',
        'supersedes',
      );
    }
    if (!latest && supersedes) throw new AppError('not-found', 'The decision to amend does not exist.', 'supersedes');

    const decision = withMarks(
      signedDecisionSchema.parse({
        ...input.content,
        id: randomUUID(),
        caseId: input.caseId,
        caseVersion: row.hub_version,
        version: (latest?.version ?? 0) + 1,
        supersedes,
        signedBy: input.consultant,
        signedAt: now.toISOString(),
      }),
      marksOnImages(db, record),
    );
    const at = decision.signedAt;
    db.prepare(
      `INSERT INTO decisions (id, case_id, version, supersedes, decision_json, signed_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(decision.id, decision.caseId, decision.version, decision.supersedes, JSON.stringify(decision), at);
    enqueueOutbox(
      db,
      { kind: 'decision', refId: decision.id, payload: decision, consultantId: input.consultant.id, at },
      journal,
    );
    appendAudit(
      db,
      {
        actor: input.consultant.id,
        caseId: input.caseId,
        action: supersedes ? 'decision.amended' : 'decision.signed',
        detail: { decisionId: decision.id, version: decision.version, outcome: decision.outcome.kind },
      },
      now,
      journal,
    );
    db.prepare('DELETE FROM decision_drafts WHERE case_id = ?').run(input.caseId);
    // outcome_kind (migration 0005) feeds the worklist's "needs more information" filter.
    moveCase(db, input.caseId, 'decision-signed');
    db.prepare('UPDATE cases SET outcome_kind = ? WHERE id = ?').run(decision.outcome.kind, input.caseId);
    return decision;
  })();
}

/**
 * The marks on the case's images as the consultant sees them now, signed with the decision, so
 * the hub's letter shows these whatever order the outbox delivers marks and decision in (a save
 * in back-off, refused, or folded into a later edit) and whatever is drawn after.
 */
function marksOnImages(db: Db, record: CaseRecord): SignedMarks[] {
  const read = db.prepare('SELECT doc_json FROM image_annotations WHERE image_sha256 = ?');
  const marks: SignedMarks[] = [];
  for (const sha256 of new Set(record.images.map((i) => i.sha256))) {
    const row = read.get(sha256) as { doc_json: string } | undefined;
    const doc = row ? annotationDocSchema.safeParse(JSON.parse(row.doc_json)) : null;
    if (doc?.success && doc.data.shapes.length > 0) marks.push({ sha256, doc: doc.data });
  }
  return marks;
}

/**
 * The decision with its marks, measured whole (plan and marks together), or without them when
 * that would pass DECISION_WITH_MARKS_MAX_BYTES (rare: heavy freehand beside a long plan): the
 * hub then falls back to the marks it holds when it accepts the decision (issued-letter-store.ts).
 */
function withMarks(decision: SignedDecision, marks: SignedMarks[]): SignedDecision {
  const signed = { ...decision, marks };
  return Buffer.byteLength(JSON.stringify(signed)) <= DECISION_WITH_MARKS_MAX_BYTES ? signed : decision;
}
