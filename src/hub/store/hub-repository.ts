import type { CaseRecord } from '../../shared/domain/case';
import type { SignedDecision } from '../../shared/domain/decision';
import type { Change, DecisionReceipt } from '../../shared/hub-api/consultant-api';
import type { AuditEvent } from '../../shared/hub-api/consultant-api-extras';
import type { AnnotationDoc } from '../../shared/domain/viewer/annotations';
import type { ImageAnnotations } from '../../shared/hub-api/annotations-api';
import type { OutcomeLoopRepository } from './outcome-loop-repository';

/**
 * The hub's storage port. Every method that must be atomic (claim, accept a decision, pass on)
 * is ONE method here, so each backend implements it as one transaction: SQLite today
 * (sqlite-repository.ts), PostgreSQL for multi-node deployments later. Methods are async for
 * that reason even though better-sqlite3 is synchronous.
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

export interface HubRepository {
  /** Dispatching outcomes, the failsafe, outbound messages, practice settings (src/hub/loop). */
  readonly outcomes: OutcomeLoopRepository;

  createUser(user: UserRow, now: string): Promise<void>;
  findUserByUsername(username: string): Promise<UserRow | null>;
  findUserById(id: string): Promise<UserRow | null>;
  setGmcNumber(userId: string, gmcNumber: string | null): Promise<void>;

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
  visibleImage(sha256: string, consultantId: string, now: string): Promise<{ mediaType: string } | null>;
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
  ): Promise<AcceptDecisionResult>;
  decisionsForCase(caseId: string): Promise<StoredDecision[]>;

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
  close(): void;
}
