import { keyImage } from '../../common/letters/key-image';
import { letterContent } from '../../common/letters/letter-content';
import { renderLetterPdf } from '../../common/letters/outcome-letter';
import { renderPatientCopyPdf } from '../../common/letters/patient-copy';
import type { InboxItem } from '../../shared/hub-api/practice-api';
import type { DoorsDeps } from '../intake/doors-deps';

/**
 * The outcome letter the hub issues for a case's latest decision: the common letter module's
 * wording and layout and the common key image (the consultant's marks, synced to the hub, burnt
 * into the hub's copy of the same original), so the practice's letter is the one the consultant
 * exported, plus the hub's attestation of the signer's registered name, GMC number and receipt
 * time. Null when the case has no decision.
 */
export async function outcomeLetterPdf(deps: DoorsDeps, item: InboxItem): Promise<Buffer | null> {
  const row = await deps.repo.getCase(item.caseId);
  const decision = (await deps.repo.decisionsForCase(item.caseId)).at(-1)?.decision;
  if (!row || !decision || !item.outcome || decision.id !== item.outcome.decisionId) return null;
  const hub = {
    registeredName: item.outcome.signedBy.displayName,
    gmcNumber: item.outcome.gmcNumber,
    receivedByHubAt: item.outcome.receivedByHubAt,
  };
  const marks = new Map((await deps.repo.annotationsForCase(item.caseId)).map((a) => [a.sha256, a.doc]));
  const image = await keyImage(row.record, {
    marksOf: (sha) => marks.get(sha) ?? null,
    original: (sha) => deps.readImage(sha),
  });
  return renderLetterPdf(letterContent(row.record, decision, { hub, letterhead: deps.letterhead }), image);
}

/**
 * The patient's plain-language copy of the same outcome (common/letters/patient-copy.ts), for a
 * practice that opted in (the route checks). Null when the case has no such decision.
 */
export async function patientCopyPdf(deps: DoorsDeps, item: InboxItem): Promise<Buffer | null> {
  const row = await deps.repo.getCase(item.caseId);
  const decision = (await deps.repo.decisionsForCase(item.caseId)).at(-1)?.decision;
  if (!row || !decision || !item.outcome || decision.id !== item.outcome.decisionId) return null;
  return renderPatientCopyPdf(row.record, decision, { letterhead: deps.letterhead });
}
