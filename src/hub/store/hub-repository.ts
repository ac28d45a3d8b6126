import type { CaseRecord } from '../../shared/domain/case';
import type { SignedDecision, SignedMarks } from '../../shared/domain/decision';
import type { Letterhead } from '../../shared/domain/letterhead';
import type { Change, DecisionReceipt } from '../../shared/hub-api/consultant-api';
import type { AuditEvent } from '../../shared/hub-api/consultant-api-extras';
import type { AnnotationDoc } from '../../shared/domain/viewer/annotations';
import type { ImageAnnotations } from '../../shared/hub-api/annotations-api';
import type { EarlierCase } from '../../shared/hub-api/earlier-cases-api';
import type { OutcomeLoopRepository } from './outcome-loop-repository';

/**
 * The hub's storage port, for the whole hub (consultant API and the other doors). Every atomic
 * operation (claim, accept a decision, pass on, a patient link's submission) is ONE method here
 * and one transaction in the implementation (kysely/kysely-hub-repository.ts, written once over
 * Kysely for SQLite and PostgreSQL). No SQL lives outside src/hub/store.
 */
export const userRoles = ['consultant', 'admin', 'gp-practice'] as const;
export type UserRole = (typeof userRoles)[number];

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  passwordHash: string;
  /** A consultant's GMC number (7 digits), shown beside their name on outcomes; null if not recorded. */
  gmcNumber?: string | null;
  /** When the operator deactivated the account (it can neither sign in nor use a token); null: active. */
  deactivatedAt?: string | null;
  /** When the operator set this password (a new account, a reset): the user must choose their own. */
  passwordResetAt?: string | null;
  /** A consultant's subspecialties (e.g. "skin cancer", "paediatric dermatology"). */
  subspecialties?: string[];
}

export interface TokenRow {
  userId: string;
  expiresAt: string;
  revokedAt: string | null;
}

/** open: in the pool or leased; awaiting-information: answered with more-information. */
export const caseStatuses = ['open', 'awaiting-information', 'decided', 'withdrawn'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export interface CaseRow {
  record: CaseRecord;
  status: CaseStatus;
  assignedTo: string | null;
  leaseExpiresAt: string | null;
  dueOn: string;
}

export interface ClaimedCase {
  id: string;
  version: number;
}

/** How a consultant stands towards a case (see caseAccess in case-access.ts). */
export type CaseAccess = 'mine' | 'withdrawn' | 'reassigned' | 'not-found';

export interface StoredDecision {
  decision: SignedDecision;
  receipt: DecisionReceipt;
  payloadHash: string;
}

/** Which of a decision's letters: the practice's outcome letter or the patient's plain copy. */
export type LetterCopy = 'letter' | 'patient-copy';

/** What the hub attests on the letter (the signer's registered name and GMC number, receipt). */
export interface LetterAttestation {
  registeredName: string;
  gmcNumber: string | null;
  receivedByHubAt: string;
}

/**
 * What a decision's letters depend on, fixed when the hub accepted the decision (issued-letter-store.ts),
 * and the addresses of the PDFs once rendered (null until then).
 */
export interface IssuedLetter {
  decisionId: string;
  caseId: string;
  issuedAt: string;
  record: CaseRecord;
  marks: SignedMarks[];
  letterhead: Letterhead;
  attestation: LetterAttestation | null;
  letterSha256: string | null;
  patientCopySha256: string | null;
}

export type AcceptDecisionResult =
  | { ok: true; receipt: DecisionReceipt; replayed: boolean }
  | { ok: false; status: number; code: string; message: string; field?: string };

export type IdempotencyBegin =
  { kind: 'new' } | { kind: 'replay'; status: number; body: string } | { kind: 'mismatch' } | { kind: 'in-flight' };

export interface StoredAuditEvent extends AuditEvent {
  consultantId: string;
  receivedAt: string;
}

export interface PassOnInput {
  caseId: string;
  consultantId: string;
  note: string;
  toConsultant: string | null;
  toSubspecialty: string | null;
  leaseExpiresAt: string;
  now: string;
}

export type PassOnResult =
  Extract<AcceptDecisionResult, { ok: false }> | { ok: true; passedOnAt: string; to: 'consultant' | 'pool' };

export type SealedRecoveryOutcome = 'accepted' | 'duplicate' | 'needs-review' | 'unconfirmed';

export interface SealedRecoveryInput {
  consultantId: string;
  kind: string;
  refId: string;
  payloadHash: string;
  payloadJson: string;
  outcome: SealedRecoveryOutcome;
  message: string;
  receivedAt: string;
}

export interface SealedRecoveryRow extends SealedRecoveryInput {
  id: number;
  /** False when this entry had been recorded before (the stored row is returned). */
  inserted: boolean;
}

export interface SaveAnnotationsInput {
  caseId: string;
  sha256: string;
  consultantId: string;
  /** The version the consultant's edit was based on (0: the hub had none). */
  baseVersion: number;
  /** The workstation's id for this save (Idempotency-Key): a resend is answered, not refused. */
  saveId: string;
  doc: AnnotationDoc;
  now: string;
}

export type SaveAnnotationsResult =
  { ok: true; version: number; savedAt: string; replayed: boolean } | { ok: false; currentVersion: number };

export type DoorSource = 'json' | 'fhir' | 'web' | 'patient-link';

export interface PracticeAccount {
  userId: string;
  odsCode: string;
  practiceName: string;
}

export interface PatientLinkRow {
  id: string;
  tokenHash: string;
  odsCode: string;
  createdBy: string;
  kind: 'new-referral' | 'more-information';
  caseId: string | null;
  draftJson: string;
  createdAt: string;
  expiresAt: string;
  spentAt: string | null;
  resultCaseId: string | null;
}

/** A row for the doors' append-only audit trail (door_audit). */
export interface DoorAuditInput {
  actor: string;
  action: string;
  subject: string | null;
  detail: Record<string, unknown>;
  at: string;
}

export interface DoorAuditRow {
  at: string;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

/** A practice's case as its inbox shows it: the case, its latest decision, and what the practice did with it. */
export interface PracticeCase {
  row: CaseRow;
  latest: SignedDecision | null;
  /** When the hub accepted the latest decision. */
  receivedByHubAt: string | null;
  /** The latest decision's signer as the hub's account names them (registered name, GMC number). */
  signer: { displayName: string; gmcNumber: string | null } | null;
  acknowledgedAt: string | null;
  answeredAt: string | null;
}

export interface SubmitReferralInput {
  record: CaseRecord;
  dueOn: string;
  now: string;
  source: DoorSource;
  submittedBy: string;
  audit: DoorAuditInput[];
  /** A patient link this submission spends, in the same transaction (refused if already spent). */
  spendLinkId?: string;
}

export interface AnswerInformationInput {
  caseId: string;
  odsCode: string;
  /** The case version the answer was built on: a case changed meanwhile is a conflict. */
  expectedVersion: number;
  /** The more-information decision being answered. */
  decisionId: string;
  record: Omit<CaseRecord, 'version'>;
  leaseExpiresAt: string;
  response: { id: string; by: string; note: string; imageCount: number };
  audit: DoorAuditInput[];
  spendLinkId?: string;
  now: string;
}

export type DoorFailure = { ok: false; status: number; code: string; message: string };

export interface FeedbackInput {
  id: string;
  at: string;
  source: 'patient' | 'practice';
  odsCode: string | null;
  rating: number;
  comment: string;
}

export interface FeedbackRow {
  at: string;
  source: string;
  odsCode: string | null;
  rating: number;
  comment: string;
}

/** Turnaround from receipt to first decision for one group (all cases, a practice, a consultant). */
export interface TurnaroundRow {
  /** 'all', an ODS code, or a consultant's user id. */
  key: string;
  decided: number;
  medianHours: number;
  p90Hours: number;
  /** Cases first decided by their due date (3 working days). */
  withinTarget: number;
}

/** The dashboard's figures as the database aggregates them (dashboard/dashboard-figures.ts labels them). */
export interface DashboardAggregates {
  received: { total: number; last7Days: number };
  awaitingTriage: number;
  overdue: number;
  awaitingInformation: number;
  decided: number;
  /** Latest decision per case, by outcome kind. */
  outcomeMix: { kind: string; count: number }[];
  /** Cases decided at least once. */
  decidedOnce: number;
  /** Cases ever returned for better or more images. */
  imageQualityReturns: number;
  turnaround: { overall: TurnaroundRow | null; byPractice: TurnaroundRow[]; byConsultant: TurnaroundRow[] };
}

/**
 * A photograph streamed in through an upload door, before the referral or answer citing it.
 * `owner` is who may cite it: `user:<practice account id>` or `link:<patient link id>`.
 */
export interface PhotoUploadRow {
  id: string;
  owner: string;
  sha256: string;
  bytes: number;
  mediaType: string;
  width: number;
  height: number;
  createdAt: string;
  usedAt: string | null;
}

/** Wrong answers to a patient link's identity check, and when the link was locked. */
export interface LinkGuard {
  failures: number;
  lockedAt: string | null;
}

/** The doors' storage (GP intake, patient links, practice inbox, feedback, dashboard). */
export interface DoorsRepository {
  audit(
    actor: string,
    action: string,
    subject: string | null,
    detail: Record<string, unknown>,
    at: string,
  ): Promise<void>;
  auditFor(subject: string): Promise<DoorAuditRow[]>;

  addPracticeAccount(account: PracticeAccount): Promise<void>;
  practiceAccount(userId: string): Promise<PracticeAccount | null>;
  practiceName(odsCode: string): Promise<string | null>;

  /** One transaction: spends the link (if any), inserts the case, its door row and audit rows. */
  submitReferral(input: SubmitReferralInput): Promise<{ ok: true } | DoorFailure>;
  /** One transaction: the answer joins the case (version + 1, back to triage), is recorded and audited. */
  answerInformation(
    input: AnswerInformationInput,
  ): Promise<{ ok: true; version: number; status: CaseStatus } | DoorFailure>;
  /** The practice's cases, newest first, in a bounded number of indexed queries. */
  practiceCases(odsCode: string, limit: number): Promise<PracticeCase[]>;
  practiceCase(caseId: string): Promise<PracticeCase | null>;
  /** Idempotent; the first acknowledgement is audited in the same transaction. Returns its time. */
  acknowledge(decisionId: string, caseId: string, userId: string, at: string): Promise<string>;

  insertLink(row: PatientLinkRow, audit: DoorAuditInput): Promise<void>;
  linkByHash(tokenHash: string): Promise<PatientLinkRow | null>;
  /**
   * Counts one wrong identity answer on a patient link (one transaction); the link is locked
   * when the count reaches `lockAt`. Returns the link's guard after the count.
   */
  recordLinkFailure(linkId: string, at: string, lockAt: number): Promise<LinkGuard>;
  /** A link's wrong answers so far and when it was locked (null: never answered wrongly). */
  linkGuard(linkId: string): Promise<LinkGuard | null>;
  /** The practice's links that were locked, newest first. */
  lockedLinksOf(odsCode: string): Promise<Array<LinkGuard & { link: PatientLinkRow }>>;

  addFeedback(feedback: FeedbackInput): Promise<void>;
  feedbackReport(limit: number): Promise<FeedbackRow[]>;
  feedbackSummary(): Promise<{ total: number; averageRating: number | null }>;
  recordUploadCheck(actor: string, ok: boolean, issues: string[], at: string): Promise<void>;
  uploadCheckSummary(): Promise<{ total: number; retakesAsked: number }>;

  addPhotoUpload(row: PhotoUploadRow): Promise<void>;
  /** Records what the checks found on an upload added while its bytes were being checked. */
  settlePhotoUpload(id: string, found: Pick<PhotoUploadRow, 'owner' | 'mediaType' | 'width' | 'height'>): Promise<void>;
  /** Deletes one upload row (its bytes are the caller's to remove if nothing else cites them). */
  removePhotoUpload(id: string): Promise<void>;
  /** The uploads with these ids (any owner: the caller compares owners). */
  photoUploads(ids: string[]): Promise<PhotoUploadRow[]>;
  /** Marks uploads cited by a case or answer (the first citation's time is kept). */
  markPhotoUploadsUsed(ids: string[], at: string): Promise<void>;
  /**
   * Deletes never-cited uploads created before `before` and returns the addresses that no
   * remaining upload and no case now cites (the caller removes those objects).
   */
  collectStaleUploads(before: string): Promise<string[]>;
  /** True while any upload row or case image cites these bytes. */
  photoObjectCited(sha256: string): Promise<boolean>;
  /** `today`: the London date (overdue is due before it); `weekAgo`: an instant. */
  dashboardAggregates(at: { today: string; weekAgo: string }): Promise<DashboardAggregates>;
}

/** Fixed-window counters kept as rows, so every hub process on one database counts together. */
export interface RateLimitStore {
  /** Counts one hit; the window restarts when `windowMs` has passed since it began. */
  rateLimitHit(
    bucket: string,
    key: string,
    nowMs: number,
    windowMs: number,
  ): Promise<{ count: number; resetAtMs: number }>;
  /** The current window's count without counting (0 when none or lapsed). */
  rateLimitPeek(
    bucket: string,
    key: string,
    nowMs: number,
    windowMs: number,
  ): Promise<{ count: number; resetAtMs: number }>;
  /** Takes one hit back (a success that was counted up front). */
  rateLimitUndo(bucket: string, key: string): Promise<void>;
  rateLimitClear(bucket: string, key: string): Promise<void>;
}

export interface HubRepository extends DoorsRepository, RateLimitStore {
  readonly engine: 'sqlite' | 'postgres';
  /** Dispatching outcomes, the failsafe, outbound messages, practice settings (src/hub/loop). */
  readonly outcomes: OutcomeLoopRepository;

  createUser(user: UserRow, now: string): Promise<void>;
  findUserByUsername(username: string): Promise<UserRow | null>;
  findUserById(id: string): Promise<UserRow | null>;
  setGmcNumber(userId: string, gmcNumber: string | null): Promise<void>;
  /** Every account (or those of one role), by username. */
  listUsers(role?: UserRole): Promise<UserRow[]>;
  /** Deactivates (revoking every token, in the same transaction) or reactivates an account. */
  setDeactivated(userId: string, at: string | null): Promise<void>;
  /**
   * Sets a password: `resetAt` set (the operator chose it) means the user must choose their own
   * at the next sign-in, and every token is revoked; null (the user chose it) clears that.
   */
  setPassword(userId: string, passwordHash: string, resetAt: string | null): Promise<void>;
  setSubspecialties(userId: string, subspecialties: string[]): Promise<void>;

  insertToken(tokenHash: string, userId: string, createdAt: string, expiresAt: string): Promise<void>;
  findToken(tokenHash: string): Promise<TokenRow | null>;
  revokeToken(tokenHash: string, at: string): Promise<void>;
  revokeUserTokens(userId: string, at: string): Promise<number>;

  insertCase(record: CaseRecord, dueOn: string, now: string): Promise<void>;
  getCase(id: string): Promise<CaseRow | null>;
  /** Replaces the record (version + 1), reopens an awaiting-information case, feeds 'updated'. */
  updateCase(id: string, record: Omit<CaseRecord, 'version'>, leaseExpiresAt: string, now: string): Promise<CaseRow>;
  /** Withdraws (version + 1) and feeds 'withdrawn' to the holder. */
  withdrawCase(id: string, now: string): Promise<CaseRow>;
  /** Moves the lease to `to` (or the pool) and feeds 'reassigned' to the previous holder. */
  reassignCase(id: string, to: string | null, leaseExpiresAt: string | null, now: string): Promise<CaseRow>;
  /** Returns lapsed leases to the pool (feeding 'reassigned' to the holders); how many. */
  releaseExpiredLeases(now: string): Promise<number>;
  /** Leases the next `count` pool cases (urgency, due date, receipt) atomically. */
  claim(
    consultantId: string,
    count: number,
    batchId: string,
    leaseExpiresAt: string,
    now: string,
  ): Promise<ClaimedCase[]>;
  assignedTo(consultantId: string, now: string): Promise<ClaimedCase[]>;
  caseAccess(caseId: string, consultantId: string, now: string): Promise<CaseAccess>;
  /** The media type of an image the consultant may download, or null. */
  /**
   * The media type of an image the consultant may download, or null: an image of a case they
   * hold, or of an earlier case of the same patient served with one (`earlierCases`).
   */
  visibleImage(sha256: string, consultantId: string, now: string): Promise<{ mediaType: string } | null>;
  /**
   * The patient's earlier cases served with `caseId` (verified NHS number and date of birth
   * alike, received before it, not withdrawn, with a decision or images), newest first, at most
   * EARLIER_CASES_LIMIT. See shared/hub-api/earlier-cases-api.ts.
   */
  earlierCases(caseId: string): Promise<EarlierCase[]>;
  /** Idempotent: resending the same hand-over answers with the original time. */
  passOn(input: PassOnInput): Promise<PassOnResult>;
  changesFor(consultantId: string, after: number, limit: number): Promise<Change[]>;

  beginIdempotent(
    userId: string,
    key: string,
    fingerprint: string,
    now: string,
    staleBefore: string,
  ): Promise<IdempotencyBegin>;
  completeIdempotent(userId: string, key: string, status: number, body: string): Promise<void>;
  abandonIdempotent(userId: string, key: string): Promise<void>;

  acceptDecision(
    consultantId: string,
    decision: SignedDecision,
    payloadHash: string,
    ifMatchVersion: number,
    now: string,
    /**
     * The letterhead in force: when given, the decision's letter inputs are fixed in the same
     * transaction (fixLetterInputs). Without it they are fixed at the first letter request.
     */
    letterhead?: Letterhead,
  ): Promise<AcceptDecisionResult>;
  decisionsForCase(caseId: string): Promise<StoredDecision[]>;
  /** A decision's fixed letter inputs and rendered addresses, or null when none were fixed. */
  issuedLetter(decisionId: string): Promise<IssuedLetter | null>;
  /**
   * Fixes a decision's letter inputs now unless fixed already: its own marks and signer where it
   * carries them (attested as received at `receivedAt`), else what the hub holds.
   */
  issueLetterLate(
    decision: Pick<SignedDecision, 'id' | 'caseId' | 'marks' | 'signedBy'>,
    letterhead: Letterhead,
    now: string,
    receivedAt?: string,
  ): Promise<IssuedLetter | null>;
  /** Records a rendered copy's address unless one is recorded; returns the row as stored. */
  recordLetterBytes(
    decisionId: string,
    copy: LetterCopy,
    sha256: string,
    attestation: LetterAttestation | null,
  ): Promise<IssuedLetter | null>;

  ingestAudit(
    consultantId: string,
    events: AuditEvent[],
    now: string,
  ): Promise<{ accepted: number; duplicates: number; conflicts: number[] }>;
  auditForCase(caseId: string): Promise<StoredAuditEvent[]>;
  /** Rows that contradicted a row already held (same consultant and seq, another hash). */
  auditConflicts(): Promise<{ consultantId: string; seq: number; row: unknown; receivedAt: string }[]>;

  /**
   * Records an entry opened from a workstation's sealed outbox journal. Idempotent by
   * (consultant, kind, ref, payload hash, outcome): a repeat returns the row first recorded.
   */
  recordSealedRecovery(entry: SealedRecoveryInput): Promise<SealedRecoveryRow>;
  /** Recovered entries an operator must look at (needs-review, unconfirmed, not applied since), oldest first. */
  sealedRecoveriesToReview(limit: number): Promise<SealedRecoveryRow[]>;

  /** Stores an image's marks if `baseVersion` is still current (one transaction). */
  saveAnnotations(input: SaveAnnotationsInput): Promise<SaveAnnotationsResult>;
  /** The latest marks on each of a case's images. */
  annotationsForCase(caseId: string): Promise<ImageAnnotations[]>;

  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
  /** Stores `value` unless the key is set already; returns what is stored (the first writer wins). */
  initMeta(key: string, value: string): Promise<string>;
  /** A cheap round trip (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
