import { AppError } from '../../../shared/contract/errors';
import type { DecisionForm } from '../../../shared/domain/decision-form';
import { moveCase } from '../case-state/case-state';
import type { Db } from '../db/open-database';

/**
 * Autosaved drafts: one per case, replaced on every save (synchronous=FULL, so a draft the form
 * showed as saved survives a crash). A new case becomes a 'draft' on the worklist; a signed case
 * being amended keeps its state until the amendment is signed.
 */
export function saveDraft(db: Db, caseId: string, form: DecisionForm, now: Date): { savedAt: string } {
  return db.transaction(() => {
    const row = db.prepare('SELECT state FROM cases WHERE id = ?').get(caseId) as { state: string } | undefined;
    if (!row) throw new AppError('not-found', 'This case is not in the local cache.', 'caseId');
    if (row.state === 'passed-on' || row.state === 'withdrawn')
      throw new AppError('conflict', 'This case is no longer on your worklist; the draft was not saved.', 'caseId');
    const savedAt = now.toISOString();
    db.prepare(
      `INSERT INTO decision_drafts (case_id, draft_json, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(case_id) DO UPDATE SET draft_json = excluded.draft_json, updated_at = excluded.updated_at`,
    ).run(caseId, JSON.stringify(form), savedAt);
    moveCase(db, caseId, 'draft-saved');
    return { savedAt };
  })();
}

export function discardDraft(db: Db, caseId: string): void {
  db.transaction(() => {
    db.prepare('DELETE FROM decision_drafts WHERE case_id = ?').run(caseId);
    moveCase(db, caseId, 'draft-discarded');
  })();
}
