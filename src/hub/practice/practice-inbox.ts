import { caseReference } from '../../shared/domain/case-reference';
import { describeOutcome, outcomeLabels } from '../../shared/domain/outcome-labels';
import { needsPracticeAction, practiceActions } from '../../shared/domain/practice-actions';
import type { InboxItem, LockedLink } from '../../shared/hub-api/practice-api';
import { linkReferralDraftSchema } from '../../shared/hub-api/patient-link-api';
import type { DoorsDeps } from '../intake/doors-deps';
import type { DoorsRepository, PracticeCase } from '../store/hub-repository';

/** How many cases the inbox shows (newest first); a region's busiest practice stays well within it. */
export const INBOX_LIMIT = 500;

/** The practice's cases with their latest outcome, newest first (indexed queries, no scan). */
export async function practiceInbox(
  store: DoorsRepository,
  odsCode: string,
  filter: 'all' | 'needs-action' = 'all',
): Promise<InboxItem[]> {
  const items = (await store.practiceCases(odsCode, INBOX_LIMIT)).map(toInboxItem);
  return filter === 'needs-action' ? items.filter((i) => i.needsAction) : items;
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
  const unansweredRequest = latest?.outcome.kind === 'more-information' && !answeredAt;
  return {
    actions: latest ? practiceActions(latest) : [],
    needsAction: Boolean(latest && ((needsPracticeAction(latest) && !acknowledgedAt) || unansweredRequest)),
    caseId: record.id,
    reference: caseReference(record.id),
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

/** The practice's patient links locked after too many wrong dates of birth, newest first. */
export async function lockedLinksOf(deps: DoorsDeps, store: DoorsRepository, odsCode: string): Promise<LockedLink[]> {
  const out: LockedLink[] = [];
  for (const { link, failures, lockedAt } of await store.lockedLinksOf(odsCode)) {
    if (!lockedAt) continue;
    let patientName = '';
    if (link.kind === 'new-referral') {
      const draft = linkReferralDraftSchema.safeParse(JSON.parse(link.draftJson));
      if (draft.success) patientName = `${draft.data.patient.givenName} ${draft.data.patient.familyName}`;
    } else if (link.caseId) {
      const row = await deps.repo.getCase(link.caseId);
      if (row) patientName = `${row.record.patient.givenName} ${row.record.patient.familyName}`;
    }
    out.push({ linkId: link.id, kind: link.kind, patientName, caseId: link.caseId, failures, lockedAt });
  }
  return out;
}
