import { describeOutcome, outcomeLabels } from '../../shared/domain/outcome-labels';
import type { InboxItem } from '../../shared/hub-api/practice-api';
import type { DoorsDeps } from '../intake/doors-deps';
import type { DoorsStore } from '../intake/doors-store';

/** The practice's cases with their latest outcome, newest first. */
export async function practiceInbox(deps: DoorsDeps, store: DoorsStore, odsCode: string): Promise<InboxItem[]> {
  const items: InboxItem[] = [];
  for (const caseId of store.practiceCaseIds(odsCode)) {
    const item = await inboxItem(deps, store, caseId);
    if (item) items.push(item);
  }
  return items;
}

export async function inboxItem(deps: DoorsDeps, store: DoorsStore, caseId: string): Promise<InboxItem | null> {
  const row = await deps.repo.getCase(caseId);
  if (!row) return null;
  const decisions = await deps.repo.decisionsForCase(caseId);
  const stored = decisions.at(-1) ?? null;
  const latest = stored?.decision ?? null;
  const signer = latest ? await deps.repo.findUserById(latest.signedBy.id) : null;
  const { record } = row;
  return {
    caseId,
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
          receivedByHubAt: stored?.receipt.acceptedAt ?? latest.signedAt,
          acknowledgedAt: store.acknowledgement(latest.id)?.at ?? null,
          answeredAt: store.infoResponseFor(latest.id)?.at ?? null,
        }
      : null,
  };
}
