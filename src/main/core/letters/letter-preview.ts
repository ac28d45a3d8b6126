import { AppError } from '../../../shared/contract/errors';
import type { CaseRecord } from '../../../shared/domain/case';
import type { SignedDecision } from '../../../shared/domain/decision';
import { formToContent, parseDraft } from '../../../shared/domain/decision-form';
import { DRAFT_MARK, letterContent } from '../../../common/letters/letter-content';
import { renderLetterPdf } from '../../../common/letters/outcome-letter';
import type { Db } from '../db/open-database';
import type { ExportFiles } from '../images/export-annotated';
import { keyImage, letterheadOf } from './generate-letter';

/**
 * The letter to the GP as the consultant will send it, for the in-app preview: of a signed
 * decision (the same PDF `decision.letter` exports), or of the case's saved draft, marked
 * "DRAFT — not signed" on every page and without a signature. Nothing is written to disk: the
 * bytes go to the renderer, which draws them itself (pdf.js), so no file or viewer outside the
 * app ever holds a draft.
 */
export async function letterPreview(
  db: Db,
  files: ExportFiles,
  input: { caseId: string; decisionId?: string | undefined },
  now: Date,
): Promise<{ pdf: Buffer; draft: boolean }> {
  const caseRow = db.prepare('SELECT record_json FROM cases WHERE id = ?').get(input.caseId) as
    { record_json: string } | undefined;
  if (!caseRow) throw new AppError('not-found', 'This case is not in the local cache.', 'caseId');
  const record = JSON.parse(caseRow.record_json) as CaseRecord;
  if (input.decisionId !== undefined) {
    const row = db
      .prepare('SELECT decision_json FROM decisions WHERE id = ? AND case_id = ?')
      .get(input.decisionId, input.caseId) as { decision_json: string } | undefined;
    if (!row) throw new AppError('not-found', 'No signed decision with that id on this case.', 'decisionId');
    const decision = JSON.parse(row.decision_json) as SignedDecision;
    return {
      pdf: await renderLetterPdf(
        letterContent(record, decision, { letterhead: letterheadOf(db) }),
        await keyImage(db, files, record, decision),
      ),
      draft: false,
    };
  }
  const draftRow = db.prepare('SELECT draft_json FROM decision_drafts WHERE case_id = ?').get(input.caseId) as
    { draft_json: string } | undefined;
  if (!draftRow)
    throw new AppError('validation', 'There is no draft to preview yet: choose an outcome first.', 'caseId');
  const { form } = parseDraft(JSON.parse(draftRow.draft_json));
  const content = formToContent(form);
  if (!content.ok) {
    const first = content.errors[0];
    throw new AppError(
      'validation',
      `The draft cannot be previewed yet: ${first?.message ?? 'it is incomplete'}`,
      first?.field,
    );
  }
  // The letter's wording needs a decision; this one is unsigned, and the letter says so.
  const unsigned: SignedDecision = {
    ...content.content,
    id: '00000000-0000-4000-8000-000000000000',
    caseId: record.id,
    caseVersion: record.version,
    version: 1,
    supersedes: null,
    signedBy: { id: 'unsigned', displayName: 'Not signed' },
    signedAt: now.toISOString(),
  };
  const letter = {
    ...letterContent(record, unsigned, { letterhead: letterheadOf(db) }),
    signature: [DRAFT_MARK],
    draft: true,
  };
  return { pdf: await renderLetterPdf(letter, await keyImage(db, files, record)), draft: true };
}
