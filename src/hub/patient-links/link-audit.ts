import type { DoorAuditInput } from '../store/hub-repository';

/** What a patient link's submission carries into the door that stores it (a new referral, an answer). */
export interface LinkSubmission {
  id: string;
  auditDetail: Record<string, unknown>;
}

/** The audit row that says a one-time link was spent, written with the case it created or answered. */
export function linkSubmittedAudit(actor: string, link: LinkSubmission, caseId: string, at: string): DoorAuditInput {
  return {
    actor,
    action: 'patient-link.submitted',
    subject: link.id,
    detail: { caseId, ...link.auditDetail },
    at,
  };
}
