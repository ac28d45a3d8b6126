import { letterContent } from '../../common/letters/letter-content';
import { renderLetterPdf } from '../../common/letters/outcome-letter';
import type { InboxItem } from '../../shared/hub-api/practice-api';
import type { DoorsDeps } from '../intake/doors-deps';

/**
 * The outcome letter the hub issues for a case's latest decision: the common letter module's
 * wording and layout (the workstation's export uses the same), with the hub's attestation of the
 * signer's registered name, GMC number and receipt time. Null when the case has no decision.
 */
export async function outcomeLetterPdf(deps: DoorsDeps, item: InboxItem): Promise<Buffer | null> {
  const row = await deps.repo.getCase(item.caseId);
  const decision = (await deps.repo.decisionsForCase(item.caseId)).at(-1)?.decision;
  if (!row || !decision || !item.outcome || decision.id !== item.outcome.decisionId) return null;
  const attestation = {
    registeredName: item.outcome.signedBy.displayName,
    gmcNumber: item.outcome.gmcNumber,
    receivedByHubAt: item.outcome.receivedByHubAt,
  };
  return renderLetterPdf(letterContent(row.record, decision, attestation), null);
}
