import { randomUUID } from 'node:crypto';
import type { CaseRecord, ImageKind, ImageManifestEntry, Patient, Practice, Referral } from '../../shared/domain/case';
import { dueDate } from '../../shared/domain/working-days';
import { hashPassword } from '../auth/password';
import { leaseEnd, type HubContext } from '../hub-context';
import type { CaseRow, StoredAuditEvent, StoredDecision, UserRole } from '../store/hub-repository';
import { describeImage } from './describe-image';
import type { PracticeSettings } from '../store/outcome-loop-repository';

export interface ImageInput {
  bytes: Buffer;
  kind: ImageKind;
  takenAt?: string;
}

export interface NewCaseInput {
  id?: string;
  patient: Patient;
  practice: Practice;
  referral: Referral;
  images: ImageInput[];
}

/**
 * The operator's side of the hub, as plain functions over the same repository and object store
 * the HTTP routes use: accounts, referral intake, withdrawal, more information, reassignment.
 * Demo seeding and the test fixture drive the hub through this (a GP intake API will too).
 */
export class HubAdmin {
  constructor(private readonly ctx: HubContext) {}

  async createUser(input: {
    username: string;
    password: string;
    displayName: string;
    role?: UserRole;
    /** The consultant's GMC number (7 digits). */
    gmcNumber?: string | null;
  }) {
    const id = randomUUID();
    const gmcNumber = checkGmcNumber(input.gmcNumber ?? null);
    const user = {
      id,
      username: input.username,
      displayName: input.displayName,
      role: input.role ?? 'consultant',
      passwordHash: await hashPassword(input.password),
      gmcNumber,
    };
    await this.ctx.repo.createUser(user, this.now());
    return { id, username: user.username, displayName: user.displayName, role: user.role, gmcNumber };
  }

  /** Records (or clears) a consultant's GMC number; the inbox and letters show it from then on. */
  async setGmcNumber(userId: string, gmcNumber: string | null): Promise<void> {
    await this.ctx.repo.setGmcNumber(userId, checkGmcNumber(gmcNumber));
  }

  /** A GP practice account: a user with role gp-practice and its practice (ODS code) record. */
  async createPractice(input: {
    username: string;
    password: string;
    displayName: string;
    odsCode: string;
    practiceName: string;
  }) {
    const user = await this.createUser({ ...input, role: 'gp-practice' });
    await this.ctx.repo.addPracticeAccount({
      userId: user.id,
      odsCode: input.odsCode,
      practiceName: input.practiceName,
    });
    return user;
  }

  /** The doors' audit trail for one subject (a case id or a patient link id), oldest first. */
  async doorAuditFor(subject: string) {
    return this.ctx.repo.auditFor(subject);
  }

  async findUser(username: string) {
    return this.ctx.repo.findUserByUsername(username);
  }

  /** Stores the images (by SHA-256) and the referral as version 1 in the pool. */
  async addCase(input: NewCaseInput): Promise<CaseRecord> {
    const record: CaseRecord = {
      id: input.id ?? randomUUID(),
      version: 1,
      patient: input.patient,
      practice: input.practice,
      referral: input.referral,
      images: await this.storeImages(input.images),
    };
    await this.ctx.repo.insertCase(record, dueDate(record.referral.receivedAt), this.now());
    return record;
  }

  /** The referrer sent more information: the case gets a new version and its consultant a change. */
  async updateCase(
    caseId: string,
    change: { referral?: Partial<Referral>; addImages?: ImageInput[] },
  ): Promise<CaseRecord> {
    const row = await this.mustCase(caseId);
    const images = [...row.record.images, ...(await this.storeImages(change.addImages ?? []))];
    const { version: _version, ...rest } = row.record;
    const updated = await this.ctx.repo.updateCase(
      caseId,
      { ...rest, referral: { ...row.record.referral, ...change.referral }, images },
      leaseEnd(this.ctx),
      this.now(),
    );
    return updated.record;
  }

  async withdrawCase(caseId: string): Promise<CaseRecord> {
    await this.mustCase(caseId);
    return (await this.ctx.repo.withdrawCase(caseId, this.now())).record;
  }

  /** Moves a case to another consultant (a fresh lease) or back to the pool (`null`). */
  async reassignCase(caseId: string, toConsultantId: string | null): Promise<CaseRow> {
    await this.mustCase(caseId);
    return this.ctx.repo.reassignCase(caseId, toConsultantId, toConsultantId ? leaseEnd(this.ctx) : null, this.now());
  }

  async revokeTokens(userId: string): Promise<number> {
    return this.ctx.repo.revokeUserTokens(userId, this.now());
  }

  async caseState(caseId: string): Promise<CaseRow | null> {
    return this.ctx.repo.getCase(caseId);
  }

  async decisionsForCase(caseId: string): Promise<StoredDecision[]> {
    return this.ctx.repo.decisionsForCase(caseId);
  }

  /** Who did what to a case, from the workstations' audit rows (e.g. who viewed it). */
  async auditForCase(caseId: string): Promise<StoredAuditEvent[]> {
    return this.ctx.repo.auditForCase(caseId);
  }

  /** Audit rows that contradicted rows already held (tampering, or a rebuilt workstation cache). */
  async auditConflicts() {
    return this.ctx.repo.auditConflicts();
  }

  /** The failsafe and dispatch state of one outcome (src/hub/loop). */
  async outcomeTracking(decisionId: string) {
    return this.ctx.repo.outcomes.outcomeTracking(decisionId);
  }

  async setPracticeSettings(settings: PracticeSettings) {
    await this.ctx.repo.outcomes.setPracticeSettings(settings, this.now());
  }

  private async storeImages(images: ImageInput[]): Promise<ImageManifestEntry[]> {
    const entries: ImageManifestEntry[] = [];
    for (const img of images) {
      const described = await describeImage(img.bytes);
      const stored = await this.ctx.objects.put(img.bytes);
      entries.push({
        id: randomUUID(),
        sha256: stored.sha256,
        bytes: stored.bytes,
        ...described,
        kind: img.kind,
        ...(img.takenAt ? { takenAt: img.takenAt } : {}),
      });
    }
    return entries;
  }

  private async mustCase(caseId: string): Promise<CaseRow> {
    const row = await this.ctx.repo.getCase(caseId);
    if (!row) throw new Error(`No case ${caseId} on this hub.`);
    return row;
  }

  private now(): string {
    return this.ctx.now().toISOString();
  }
}

/** GMC reference numbers are 7 digits. */
export function checkGmcNumber(value: string | null): string | null {
  if (value === null) return null;
  if (!/^\d{7}$/.test(value)) throw new Error(`A GMC number is 7 digits, not "${value}".`);
  return value;
}
