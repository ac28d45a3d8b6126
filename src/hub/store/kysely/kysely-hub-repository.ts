import { sql, type Kysely } from 'kysely';
import type { CaseRecord } from '../../../shared/domain/case';
import type { SignedDecision } from '../../../shared/domain/decision';
import type { Letterhead } from '../../../shared/domain/letterhead';
import type { AuditEvent } from '../../../shared/hub-api/consultant-api-extras';
import type {
  AnswerInformationInput,
  DoorAuditInput,
  FeedbackInput,
  HubRepository,
  LetterAttestation,
  LetterCopy,
  PassOnInput,
  PatientLinkRow,
  PhotoUploadRow,
  PracticeAccount,
  SaveAnnotationsInput,
  SealedRecoveryInput,
  SubmitReferralInput,
  UserRole,
  UserRow,
} from '../hub-repository';
import * as accounts from './account-store';
import * as annotations from './annotation-store';
import * as audits from './audit-store';
import * as cases from './case-store';
import * as dashboard from './dashboard-store';
import * as decisions from './decision-store';
import * as doors from './door-store';
import * as earlier from './earlier-case-store';
import * as feedback from './feedback-store';
import * as letters from './issued-letter-store';
import * as limits from './rate-limit-store';
import * as linkGuards from './link-guard-store';
import * as photoUploads from './photo-upload-store';
import { KyselyOutcomeLoop } from './outcome-loop-store';
import type { OutcomeLoopRepository } from '../outcome-loop-repository';
import type { Engine, Q } from './store-context';
import type { HubTables } from './tables';

/**
 * The hub's one repository, written once over Kysely: the same queries run on SQLite (the
 * embedded default) and PostgreSQL (a region's deployment). Each method is one statement or one
 * transaction; the query modules beside this file hold the SQL, grouped by what they are about.
 */
export class KyselyHubRepository implements HubRepository {
  private readonly q: Q;
  readonly outcomes: OutcomeLoopRepository;

  constructor(
    readonly db: Kysely<HubTables>,
    readonly engine: Engine,
  ) {
    this.q = { db, engine };
    this.outcomes = new KyselyOutcomeLoop(this.q);
  }

  createUser = (user: UserRow, now: string) => accounts.createUser(this.q, user, now);
  findUserByUsername = (username: string) => accounts.findUser(this.q, 'username', username);
  findUserById = (id: string) => accounts.findUser(this.q, 'id', id);
  setGmcNumber = (userId: string, gmcNumber: string | null) => accounts.setGmcNumber(this.q, userId, gmcNumber);
  listUsers = (role?: UserRole) => accounts.listUsers(this.q, role);
  setDeactivated = (userId: string, at: string | null) => accounts.setDeactivated(this.q, userId, at);
  setPassword = (userId: string, passwordHash: string, resetAt: string | null) =>
    accounts.setPassword(this.q, userId, passwordHash, resetAt);
  setSubspecialties = (userId: string, subspecialties: string[]) =>
    accounts.setSubspecialties(this.q, userId, subspecialties);
  insertToken = (hash: string, userId: string, createdAt: string, expiresAt: string) =>
    accounts.insertToken(this.q, hash, userId, createdAt, expiresAt);
  findToken = (hash: string) => accounts.findToken(this.q, hash);
  revokeToken = (hash: string, at: string) => accounts.revokeToken(this.q, hash, at);
  revokeUserTokens = (userId: string, at: string) => accounts.revokeUserTokens(this.q, userId, at);

  insertCase = (record: CaseRecord, dueOn: string, now: string) => cases.insertCase(this.q, record, dueOn, now);
  getCase = (id: string) => cases.getCase(this.q, id);
  updateCase = (id: string, record: Omit<CaseRecord, 'version'>, leaseExpiresAt: string, now: string) =>
    cases.updateCase(this.q, id, record, leaseExpiresAt, now);
  withdrawCase = (id: string, now: string) => cases.withdrawCase(this.q, id, now);
  reassignCase = (id: string, to: string | null, leaseExpiresAt: string | null, now: string) =>
    cases.reassignCase(this.q, id, to, leaseExpiresAt, now);
  releaseExpiredLeases = (now: string) => cases.releaseExpiredLeases(this.q, now);
  claim = (consultantId: string, count: number, batchId: string, leaseExpiresAt: string, now: string) =>
    cases.claim(this.q, consultantId, count, batchId, leaseExpiresAt, now);
  assignedTo = (consultantId: string, now: string) => cases.assignedTo(this.q, consultantId, now);
  caseAccess = (caseId: string, consultantId: string, now: string) =>
    cases.caseAccess(this.q, caseId, consultantId, now);
  visibleImage = (sha256: string, consultantId: string, now: string) =>
    cases.visibleImage(this.q, sha256, consultantId, now);
  earlierCases = (caseId: string) => earlier.earlierCases(this.q, caseId);
  passOn = (input: PassOnInput) => cases.passOn(this.q, input);
  changesFor = (consultantId: string, after: number, limit: number) =>
    cases.changesFor(this.q, consultantId, after, limit);

  beginIdempotent = (userId: string, key: string, fingerprint: string, now: string, staleBefore: string) =>
    accounts.beginIdempotent(this.q, userId, key, fingerprint, now, staleBefore);
  completeIdempotent = (userId: string, key: string, status: number, body: string) =>
    accounts.completeIdempotent(this.q, userId, key, status, body);
  abandonIdempotent = (userId: string, key: string) => accounts.abandonIdempotent(this.q, userId, key);

  acceptDecision = (
    consultantId: string,
    decision: SignedDecision,
    payloadHash: string,
    ifMatchVersion: number,
    now: string,
    letterhead?: Letterhead,
  ) => decisions.acceptDecision(this.q, consultantId, decision, payloadHash, ifMatchVersion, now, letterhead);
  decisionsForCase = (caseId: string) => decisions.decisionsForCase(this.q, caseId);
  issuedLetter = (decisionId: string) => letters.issuedLetter(this.q, decisionId);
  issueLetterLate = (
    decision: Pick<SignedDecision, 'id' | 'caseId' | 'marks' | 'signedBy'>,
    letterhead: Letterhead,
    now: string,
    receivedAt?: string,
  ) => letters.issueLetterLate(this.q, decision, letterhead, now, receivedAt);
  recordLetterBytes = (decisionId: string, copy: LetterCopy, sha256: string, attestation: LetterAttestation | null) =>
    letters.recordLetterBytes(this.q, decisionId, copy, sha256, attestation);

  ingestAudit = (consultantId: string, events: AuditEvent[], now: string) =>
    audits.ingestAudit(this.q, consultantId, events, now);
  auditForCase = (caseId: string) => audits.auditForCase(this.q, caseId);
  auditConflicts = () => audits.auditConflicts(this.q);
  recordSealedRecovery = (entry: SealedRecoveryInput) => audits.recordSealedRecovery(this.q, entry);
  sealedRecoveriesToReview = (limit: number) => audits.sealedRecoveriesToReview(this.q, limit);

  saveAnnotations = (input: SaveAnnotationsInput) => annotations.saveAnnotations(this.q, input);
  annotationsForCase = (caseId: string) => annotations.annotationsForCase(this.q, caseId);

  audit = (actor: string, action: string, subject: string | null, detail: Record<string, unknown>, at: string) =>
    doors.doorAudit(this.q, [{ actor, action, subject, detail, at }]);
  auditFor = (subject: string) => doors.auditFor(this.q, subject);
  addPracticeAccount = (account: PracticeAccount) => doors.addPracticeAccount(this.q, account);
  practiceAccount = (userId: string) => doors.practiceAccount(this.q, userId);
  practiceName = (odsCode: string) => doors.practiceName(this.q, odsCode);
  submitReferral = (input: SubmitReferralInput) => doors.submitReferral(this.q, input);
  answerInformation = (input: AnswerInformationInput) => doors.answerInformation(this.q, input);
  practiceCases = (odsCode: string, limit: number) => doors.practiceCases(this.q, odsCode, limit);
  practiceCase = (caseId: string) => doors.practiceCase(this.q, caseId);
  acknowledge = (decisionId: string, caseId: string, userId: string, at: string) =>
    doors.acknowledge(this.q, decisionId, caseId, userId, at);
  insertLink = (row: PatientLinkRow, audit: DoorAuditInput) => doors.insertLink(this.q, row, audit);
  linkByHash = (tokenHash: string) => doors.linkByHash(this.q, tokenHash);
  recordLinkFailure = (linkId: string, at: string, lockAt: number) =>
    linkGuards.recordLinkFailure(this.q, linkId, at, lockAt);
  linkGuard = (linkId: string) => linkGuards.linkGuard(this.q, linkId);
  lockedLinksOf = (odsCode: string) => linkGuards.lockedLinksOf(this.q, odsCode);
  dashboardAggregates = (at: { today: string; weekAgo: string }) => dashboard.dashboardAggregates(this.q, at);

  addFeedback = (f: FeedbackInput) => feedback.addFeedback(this.q, f);
  feedbackReport = (limit: number) => feedback.feedbackReport(this.q, limit);
  feedbackSummary = () => feedback.feedbackSummary(this.q);
  recordUploadCheck = (actor: string, ok: boolean, issues: string[], at: string) =>
    feedback.recordUploadCheck(this.q, actor, ok, issues, at);
  uploadCheckSummary = () => feedback.uploadCheckSummary(this.q);

  addPhotoUpload = (row: PhotoUploadRow) => photoUploads.addPhotoUpload(this.q, row);
  settlePhotoUpload = (id: string, found: Pick<PhotoUploadRow, 'owner' | 'mediaType' | 'width' | 'height'>) =>
    photoUploads.settlePhotoUpload(this.q, id, found);
  removePhotoUpload = (id: string) => photoUploads.removePhotoUpload(this.q, id);
  photoUploads = (ids: string[]) => photoUploads.photoUploads(this.q, ids);
  markPhotoUploadsUsed = (ids: string[], at: string) => photoUploads.markUsed(this.q, ids, at);
  collectStaleUploads = (before: string) => photoUploads.collectStale(this.q, before);
  photoObjectCited = (sha256: string) => photoUploads.objectCited(this.q, sha256);

  rateLimitHit = (bucket: string, key: string, nowMs: number, windowMs: number) =>
    limits.rateLimitHit(this.q, bucket, key, nowMs, windowMs);
  rateLimitPeek = (bucket: string, key: string, nowMs: number, windowMs: number) =>
    limits.rateLimitPeek(this.q, bucket, key, nowMs, windowMs);
  rateLimitUndo = (bucket: string, key: string) => limits.rateLimitUndo(this.q, bucket, key);
  rateLimitClear = (bucket: string, key: string) => limits.rateLimitClear(this.q, bucket, key);

  getMeta = (key: string) => accounts.getMeta(this.q, key);
  setMeta = (key: string, value: string) => accounts.setMeta(this.q, key, value);
  initMeta = (key: string, value: string) => accounts.initMeta(this.q, key, value);

  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
