import { plainLanguageOutcome, type PlainLanguageOutcome } from '../../shared/domain/plain-language-outcome';
import type { DoorsDeps } from '../intake/doors-deps';
import type { PatientLinkRow } from '../store/hub-repository';

/** What the patient's page shows once the outcome is signed: plain words, no clinical detail. */
export interface PatientOutcomeView {
  decisionId: string;
  givenName: string;
  practiceName: string;
  /** When the hub received the signed decision (its own clock). */
  decidedAt: string;
  plain: PlainLanguageOutcome;
}

/**
 * The plain-language outcome for a used patient link, or null when there is nothing to say: the
 * practice has not opted in (practice settings, `patientCopy`), the link's case has no signed
 * decision yet, or the latest decision is older than the link's use (the more-information request
 * the patient just answered is not an outcome to show). The link is the patient's: a link that
 * was never used never shows anything here.
 */
export async function patientOutcome(deps: DoorsDeps, link: PatientLinkRow): Promise<PatientOutcomeView | null> {
  const caseId = link.resultCaseId ?? link.caseId;
  if (!caseId || !link.spentAt) return null;
  if (!(await deps.repo.outcomes.practiceSettings(link.odsCode)).patientCopy) return null;
  const latest = (await deps.repo.decisionsForCase(caseId)).at(-1);
  if (!latest || latest.receipt.acceptedAt < link.spentAt) return null;
  const row = await deps.repo.getCase(caseId);
  if (!row) return null;
  return {
    decisionId: latest.decision.id,
    givenName: row.record.patient.givenName,
    practiceName: row.record.practice.name,
    decidedAt: latest.receipt.acceptedAt,
    plain: plainLanguageOutcome(latest.decision.outcome),
  };
}
