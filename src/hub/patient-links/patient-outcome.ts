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

/** How long after the decision the link page shows it: long enough to read it, not for ever. */
export const OUTCOME_SHOWN_FOR_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * The plain-language outcome for a used patient link, or null when there is nothing to say: the
 * practice has not opted in (practice settings, `patientCopy`), the link's case has no signed
 * decision yet, or the latest decision is older than the link's use (the more-information request
 * the patient just answered is not an outcome to show), or the decision is more than 30 days old.
 * The link is the patient's: a link that was never used never shows anything here.
 */
export async function patientOutcome(deps: DoorsDeps, link: PatientLinkRow): Promise<PatientOutcomeView | null> {
  const caseId = link.resultCaseId ?? link.caseId;
  if (!caseId || !link.spentAt) return null;
  if (!(await deps.repo.outcomes.practiceSettings(link.odsCode)).patientCopy) return null;
  const latest = (await deps.repo.decisionsForCase(caseId)).at(-1);
  if (!latest || latest.receipt.acceptedAt < link.spentAt) return null;
  // The link is a bearer token that may sit in a forwarded message or a shared phone's history for
  // years: the outcome is shown for a limited time, after which the practice tells the patient.
  if (deps.now().getTime() - Date.parse(latest.receipt.acceptedAt) > OUTCOME_SHOWN_FOR_MS) return null;
  const row = await deps.repo.getCase(caseId);
  if (!row) return null;
  return {
    decisionId: latest.decision.id,
    givenName: row.record.patient.givenName,
    practiceName: row.record.practice.name,
    decidedAt: latest.receipt.acceptedAt,
    plain: plainLanguageOutcome(latest.decision.outcome, row.record.referral.priority),
  };
}
