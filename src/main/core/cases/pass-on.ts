import { AppError } from '../../../shared/contract/errors';
import { appendAudit } from '../audit/audit-log';
import type { SealedJournal } from '../outbox/sealed-journal';
import { enqueueOutbox } from '../outbox/enqueue-outbox';
import { moveCase } from '../case-state/case-state';
import type { Db } from '../db/open-database';

export interface PassOnInput {
  caseId: string;
  to: { kind: 'consultant'; consultantId: string } | { kind: 'subspecialty'; subspecialty: string } | { kind: 'pool' };
  note: string;
  actor: string;
}

/**
 * Hands a case back to the hub instead of deciding it: ONE transaction queues the pass-on for the
 * hub (outbox kind 'pass-on', body as the hub's passOnRequestSchema plus caseId), writes the audit
 * row, drops any draft and takes the case off the worklist. A case with a signed decision cannot
 * be passed on: the decision already speaks for it.
 */
export function passOnCase(
  db: Db,
  input: PassOnInput,
  now: Date,
  journal: SealedJournal | null = null,
): { passedOnAt: string } {
  return db.transaction(() => {
    const row = db.prepare('SELECT state FROM cases WHERE id = ?').get(input.caseId) as { state: string } | undefined;
    if (!row) throw new AppError('not-found', 'This case is not in the local cache.', 'caseId');
    if (row.state === 'passed-on') throw new AppError('conflict', 'This case has already been passed on.', 'caseId');
    const signed = db.prepare('SELECT 1 FROM decisions WHERE case_id = ? LIMIT 1').get(input.caseId);
    if (signed)
      throw new AppError('conflict', 'This case has a signed decision; amend the decision instead of passing it on.');
    const note = input.note.trim();
    if (!note)
      throw new AppError('validation', 'Add a note for your colleague: why you are passing this case on.', 'note');
    const at = now.toISOString();
    const payload: Record<string, string> = { caseId: input.caseId, note };
    if (input.to.kind === 'consultant') payload['toConsultant'] = input.to.consultantId;
    if (input.to.kind === 'subspecialty') payload['toSubspecialty'] = input.to.subspecialty;
    enqueueOutbox(db, { kind: 'pass-on', refId: input.caseId, payload, consultantId: input.actor, at }, journal);
    appendAudit(
      db,
      { actor: input.actor, caseId: input.caseId, action: 'case.passed-on', detail: { to: input.to, note } },
      now,
      journal,
    );
    db.prepare('DELETE FROM decision_drafts WHERE case_id = ?').run(input.caseId);
    moveCase(db, input.caseId, 'passed-on', note);
    return { passedOnAt: at };
  })();
}
