import { describeOutcome, outcomeLabels } from '../../shared/domain/outcome-labels';
import type { InboxItem } from '../../shared/hub-api/practice-api';
import type { DoorsRepository, PracticeCase } from '../store/hub-repository';

/** How many cases the inbox shows (newest first); a region's busiest practice stays well within it. */
export const INBOX_LIMIT = 500;

/** The practice's cases with their latest outcome, newest first (indexed queries, no scan). */
export async function practiceInbox(store: DoorsRepository, odsCode: string): Promise<InboxItem[]> {
  return (await store.practiceCases(odsCode, INBOX_LIMIT)).map(toInboxItem);
}

export function toInboxItem({
  row,
  latest,
  receivedByHubAt,
  signer,
  acknowledgedAt,
  answeredAt,
}: PracticeCase): InboxItem {
  const { record } = row;
  return {
    caseId: record.id,
    patient: record.patient,
    presentingComplaint: record.referral.presentingComplaint,
    receivedAt: record.referral.receivedAt,
    dueOn: row.dueOn,
    status: row.status,
    outcome: latest
      ? {
          outcome: latest.outcome,
          diagnosis: latest.diagnosis,
          plan: latest.plan,
          downgradeAdvice: latest.downgradeAdvice,
          sevenPointScore: latest.sevenPointScore,
          decisionId: latest.id,
          version: latest.version,
          label: outcomeLabels[latest.outcome.kind],
          description: describeOutcome(latest.outcome),
          // Registered name from the account (a decision stored before the hub took the name
          // from the token may carry another), GMC number, and both clocks.
          signedBy: { id: latest.signedBy.id, displayName: signer?.displayName ?? latest.signedBy.displayName },
          gmcNumber: signer?.gmcNumber ?? null,
          signedAt: latest.signedAt,
          receivedByHubAt: receivedByHubAt ?? latest.signedAt,
          acknowledgedAt,
          answeredAt,
        }
      : null,
  };
}
