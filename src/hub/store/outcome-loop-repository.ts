import type { CaseRecord } from '../../shared/domain/case';
import type { SignedDecision } from '../../shared/domain/decision';

/**
 * Storage for closing the loop (src/hub/loop): dispatching each accepted decision once, the
 * failsafe on outcomes the practice must act on, the queue of outbound messages, and each
 * practice's settings. Part of the HubRepository port; every method is one transaction.
 */
export interface PracticeSettings {
  odsCode: string;
  /** The practice's shared mailbox (NHSmail), or null: no email, the inbox and FHIR still have it. */
  mailbox: string | null;
  /** Working days an outcome needing action may stay unacknowledged before it is escalated. */
  failsafeWorkingDays: number;
  /** The practice opted in to the plain-language patient copy and outcome on the patient's link page. */
  patientCopy: boolean;
}

export const DEFAULT_FAILSAFE_WORKING_DAYS = 2;

export type MessageChannel = 'email' | 'sms';
/** What a message says is chosen by template; its params never hold clinical data. */
export type MessageTemplate = 'outcome-ready' | 'information-requested' | 'outcome-escalated' | 'patient-link';

export interface NewOutboundMessage {
  id: string;
  /** One message per purpose (e.g. `outcome-ready:<decisionId>`): a second enqueue is ignored. */
  dedupeKey: string;
  channel: MessageChannel;
  template: MessageTemplate;
  recipient: string;
  params: Record<string, string>;
  /** The case reference (or link id) the message is about, for the operator's list. */
  reference: string;
}

export interface OutboundMessageRow extends Omit<NewOutboundMessage, 'params'> {
  /** Null once sent when the params held a secret (a patient link). */
  params: Record<string, string> | null;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface UndispatchedDecision {
  decision: SignedDecision;
  record: CaseRecord;
  acceptedAt: string;
}

export interface OutcomeDispatch {
  decisionId: string;
  caseId: string;
  odsCode: string;
  needsAction: boolean;
  /** The London date by which the practice must acknowledge (null when no action is needed). */
  dueOn: string | null;
  /** The decision this one amends: its failsafe is closed as superseded. */
  supersedes: string | null;
  messages: NewOutboundMessage[];
  now: string;
}

export interface OutcomeTrackingRow {
  decisionId: string;
  caseId: string;
  odsCode: string;
  needsAction: boolean;
  dispatchedAt: string;
  dueOn: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  escalatedAt: string | null;
  closedAt: string | null;
  closedReason: 'acknowledged' | 'answered' | 'superseded' | 'withdrawn' | null;
}

export interface OutcomeLoopRepository {
  practiceSettings(odsCode: string): Promise<PracticeSettings>;
  setPracticeSettings(settings: PracticeSettings, now: string): Promise<void>;

  /** Accepted decisions not yet dispatched, oldest first. */
  undispatchedDecisions(limit: number): Promise<UndispatchedDecision[]>;
  /**
   * Dispatches a decision once: the tracking row, the predecessor's failsafe closed as
   * superseded, and the messages, in one transaction. False if it was already dispatched.
   */
  recordOutcomeDispatch(dispatch: OutcomeDispatch): Promise<boolean>;
  outcomeTracking(decisionId: string): Promise<OutcomeTrackingRow | null>;
  /** Closes an open outcome (first close wins; a repeat returns the row as it stands). */
  closeOutcome(
    decisionId: string,
    reason: 'acknowledged' | 'answered',
    by: string,
    at: string,
  ): Promise<OutcomeTrackingRow | null>;
  /** Open outcomes needing action whose due date is before `today` and not yet escalated. */
  overdueUnescalated(today: string, limit: number): Promise<OutcomeTrackingRow[]>;
  /** Marks the escalation and queues its message in one transaction; false if already escalated or closed. */
  escalateOutcome(decisionId: string, message: NewOutboundMessage | null, now: string): Promise<boolean>;
  /** Escalated outcomes still open, oldest first (the operator's failsafe list). */
  escalatedOpenOutcomes(limit: number): Promise<OutcomeTrackingRow[]>;

  enqueueMessage(message: NewOutboundMessage, now: string): Promise<boolean>;
  /** Leases due pending messages until `claimUntil` so two hub processes never send one twice. */
  claimDueMessages(now: string, claimUntil: string, limit: number): Promise<OutboundMessageRow[]>;
  markMessageSent(id: string, now: string, forgetParams: boolean): Promise<void>;
  /** Records a failed attempt: retried at `retryAt`, or failed for good when null. */
  markMessageFailed(id: string, error: string, retryAt: string | null, now: string): Promise<void>;
  /** Messages not sent yet or failed, for the operator page (no params: they may hold a link). */
  unsentMessages(limit: number): Promise<OutboundMessageRow[]>;
  /** An operator's "send again" on a failed message. */
  retryMessage(id: string, now: string): Promise<boolean>;
}
