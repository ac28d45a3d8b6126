import type { CaseSummary, LocalCaseState } from '../../../shared/domain/case';
import { sexSchema } from '../../../shared/domain/case';
import { ageInYears } from './case-detail';

const OPEN_STATES: ReadonlySet<LocalCaseState> = new Set(['new', 'draft', 'needs-review']);

/** One row of a worklist page as SQLite returns it (worklist-page-sql.ts `rowColumns`; integers as BigInt). */
export type WorklistRow = Record<string, string | bigint | null>;

/**
 * A page row as the renderer gets it. `today` is the London calendar date (age, overdue);
 * `thumbCached` says whether the first image's thumbnail is on disk, so the list never asks
 * for an image that is not there (it shows a neutral placeholder instead).
 */
export function worklistRow(r: WorklistRow, today: string, thumbCached: (sha256: string) => boolean): CaseSummary {
  const state = r.state as LocalCaseState;
  const sex = sexSchema.safeParse(r.sex);
  const sha = typeof r.first_sha256 === 'string' ? r.first_sha256 : null;
  return {
    id: String(r.id),
    patientName: String(r.patient_name),
    nhsNumber: String(r.nhs_number),
    practiceName: String(r.practice_name),
    priority: r.priority as CaseSummary['priority'],
    receivedAt: String(r.received_at),
    dueOn: String(r.due_on),
    // Only a case still waiting for triage can be overdue; a signed one has met or missed its SLA.
    overdue: OPEN_STATES.has(state) && today > String(r.due_on),
    state,
    presentingComplaint: String(r.presenting_complaint),
    imageCount: Number(r.image_count),
    ageYears: typeof r.date_of_birth === 'string' ? ageInYears(r.date_of_birth, today) : null,
    sex: sex.success ? sex.data : 'unknown',
    consentRecorded: Number(r.consent_given) === 1,
    thumbSha256: sha,
    thumbReady: sha !== null && thumbCached(sha),
    answerFrom: r.answer_from === 'practice' || r.answer_from === 'patient' ? r.answer_from : null,
  };
}
