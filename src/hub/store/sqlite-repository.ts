import Database from 'better-sqlite3-multiple-ciphers';
import { priorityRank } from '../../shared/domain/priority';
import type { CaseRecord } from '../../shared/domain/case';
import type { SignedDecision } from '../../shared/domain/decision';
import type { Change, DecisionReceipt } from '../../shared/hub-api/consultant-api';
import { judgeDecision } from './decision-rules';
import type {
  AcceptDecisionResult,
  CaseAccess,
  CaseRow,
  ClaimedCase,
  HubRepository,
  PassOnInput,
  PassOnResult,
  StoredDecision,
} from './hub-repository';
import { migrateHubDatabase } from './sqlite-schema';
import { SqliteCaseRows } from './sqlite-case-rows';
import { recordSealedRecovery, sealedRecoveriesToReview } from './sqlite-sealed-recoveries';
import type { SealedRecoveryInput, SealedRecoveryRow } from './hub-repository';
import type { SaveAnnotationsInput, SaveAnnotationsResult } from './hub-repository';
import type { ImageAnnotations } from '../../shared/hub-api/annotations-api';
import { annotationsForCase, saveAnnotations } from './sqlite-annotations';
import type { OutcomeLoopRepository } from './outcome-loop-repository';
import { SqliteOutcomeLoop } from './sqlite-outcome-loop';

interface DecisionDbRow {
  payload_json: string;
  receipt_json: string;
  payload_hash: string;
}

/**
 * The embedded default store: one SQLite file (WAL, synchronous=FULL). Every multi-step change
 * is one BEGIN IMMEDIATE transaction, so concurrent claimers (also in other hub processes on the
 * same file) are serialised by SQLite's write lock and a case is never leased twice.
 */
export class SqliteHubRepository extends SqliteCaseRows implements HubRepository {
  readonly outcomes: OutcomeLoopRepository = new SqliteOutcomeLoop(this.db);

  static open(file: string): SqliteHubRepository {
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 10000');
      migrateHubDatabase(db);
      return new SqliteHubRepository(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async insertCase(record: CaseRecord, dueOn: string, now: string): Promise<void> {
    this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO cases (id, version, record_json, status, priority_rank, due_on, received_at, created_at, updated_at)
           VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?)`,
          )
          .run(
            record.id,
            record.version,
            JSON.stringify(record),
            priorityRank[record.referral.priority],
            dueOn,
            record.referral.receivedAt,
            now,
            now,
          );
        this.replaceImages(record);
      })
      .immediate();
  }

  async getCase(id: string): Promise<CaseRow | null> {
    return this.caseRow(id);
  }

  async updateCase(
    id: string,
    record: Omit<CaseRecord, 'version'>,
    leaseExpiresAt: string,
    now: string,
  ): Promise<CaseRow> {
    return this.db
      .transaction(() => {
        const row = this.mustCase(id);
        const next: CaseRecord = { ...record, id, version: row.record.version + 1 };
        // An answered more-information request goes back to its consultant with a fresh lease.
        const reopen = row.status === 'awaiting-information';
        this.db
          .prepare(
            `UPDATE cases SET version = ?, record_json = ?, status = ?, priority_rank = ?, updated_at = ?,
             lease_expires_at = CASE WHEN ? THEN ? ELSE lease_expires_at END
           WHERE id = ?`,
          )
          .run(
            next.version,
            JSON.stringify(next),
            reopen ? 'open' : row.status,
            priorityRank[next.referral.priority],
            now,
            reopen ? 1 : 0,
            leaseExpiresAt,
            id,
          );
        this.replaceImages(next);
        if (row.assignedTo) this.feed(row.assignedTo, id, 'updated', next.version, now);
        return this.mustCase(id);
      })
      .immediate();
  }

  async withdrawCase(id: string, now: string): Promise<CaseRow> {
    return this.db
      .transaction(() => {
        const row = this.mustCase(id);
        const version = row.record.version + 1;
        const record = { ...row.record, version };
        this.db
          .prepare(`UPDATE cases SET status = 'withdrawn', version = ?, record_json = ?, updated_at = ? WHERE id = ?`)
          .run(version, JSON.stringify(record), now, id);
        if (row.assignedTo) this.feed(row.assignedTo, id, 'withdrawn', version, now);
        return this.mustCase(id);
      })
      .immediate();
  }

  async reassignCase(id: string, to: string | null, leaseExpiresAt: string | null, now: string): Promise<CaseRow> {
    return this.db
      .transaction(() => {
        const row = this.mustCase(id);
        this.moveLease(row, to, to ? leaseExpiresAt : null, now);
        return this.mustCase(id);
      })
      .immediate();
  }

  async releaseExpiredLeases(now: string): Promise<number> {
    return this.db
      .transaction(() => {
        const lapsed = this.db
          .prepare(`SELECT id FROM cases WHERE status = 'open' AND assigned_to IS NOT NULL AND lease_expires_at <= ?`)
          .all(now) as { id: string }[];
        for (const { id } of lapsed) this.moveLease(this.mustCase(id), null, null, now);
        return lapsed.length;
      })
      .immediate();
  }

  async claim(
    consultantId: string,
    count: number,
    batchId: string,
    leaseExpiresAt: string,
    now: string,
  ): Promise<ClaimedCase[]> {
    return this.db
      .transaction(() => {
        this.releaseLapsed(now);
        const picked = this.db
          .prepare(
            `SELECT id, version FROM cases c
           WHERE status = 'open' AND assigned_to IS NULL
             AND NOT EXISTS (SELECT 1 FROM pass_ons p WHERE p.case_id = c.id AND p.consultant_id = ?)
           ORDER BY priority_rank, due_on, received_at, id LIMIT ?`,
          )
          .all(consultantId, count) as ClaimedCase[];
        const lease = this.db.prepare(
          `UPDATE cases SET assigned_to = ?, lease_expires_at = ?, batch_id = ?, updated_at = ?
         WHERE id = ? AND assigned_to IS NULL`,
        );
        for (const c of picked) {
          // The guard (assigned_to IS NULL) makes a double lease impossible even if this ran unserialised.
          if (lease.run(consultantId, leaseExpiresAt, batchId, now, c.id).changes !== 1) throw new Error('lease race');
          this.remember(c.id, consultantId, now);
        }
        return picked;
      })
      .immediate();
  }

  async assignedTo(consultantId: string, now: string): Promise<ClaimedCase[]> {
    return this.db
      .prepare(
        `SELECT id, version FROM cases WHERE assigned_to = ? AND status = 'open' AND lease_expires_at > ?
         ORDER BY priority_rank, due_on, received_at, id`,
      )
      .all(consultantId, now) as ClaimedCase[];
  }

  async caseAccess(caseId: string, consultantId: string, now: string): Promise<CaseAccess> {
    return this.access(caseId, consultantId, now);
  }

  async visibleImage(sha256: string, consultantId: string, now: string): Promise<{ mediaType: string } | null> {
    const rows = this.db.prepare('SELECT case_id, media_type FROM case_images WHERE sha256 = ?').all(sha256) as {
      case_id: string;
      media_type: string;
    }[];
    const visible = rows.find((r) => this.access(r.case_id, consultantId, now) === 'mine');
    return visible ? { mediaType: visible.media_type } : null;
  }

  async passOn(input: PassOnInput): Promise<PassOnResult> {
    return this.db
      .transaction((): PassOnResult => {
        const access = this.access(input.caseId, input.consultantId, input.now);
        if (access !== 'mine') {
          // A resend after a lost answer: the same hand-over already happened, so answer as then.
          const earlier = this.db
            .prepare(
              `SELECT to_consultant, to_subspecialty, note, at FROM pass_ons WHERE case_id = ? AND consultant_id = ?
               ORDER BY id DESC LIMIT 1`,
            )
            .get(input.caseId, input.consultantId) as
            { to_consultant: string | null; to_subspecialty: string | null; note: string; at: string } | undefined;
          const same =
            earlier &&
            earlier.note === input.note &&
            earlier.to_consultant === input.toConsultant &&
            earlier.to_subspecialty === input.toSubspecialty;
          if (same && access !== 'withdrawn') {
            return { ok: true, passedOnAt: earlier.at, to: earlier.to_consultant ? 'consultant' : 'pool' };
          }
          return accessFailure(access);
        }
        const row = this.mustCase(input.caseId);
        if (row.status !== 'open') {
          return {
            ok: false,
            status: 409,
            code: 'case-already-decided',
            message: 'A decided case cannot be passed on; amend the decision instead.',
          };
        }
        if (input.toConsultant) {
          const target = this.db.prepare(`SELECT role FROM users WHERE id = ?`).get(input.toConsultant) as
            { role: string } | undefined;
          if (target?.role !== 'consultant' || input.toConsultant === input.consultantId) {
            return {
              ok: false,
              status: 400,
              code: 'unknown-consultant',
              message: 'Choose another consultant known to the hub.',
              field: 'toConsultant',
            };
          }
        }
        this.db
          .prepare(
            'INSERT INTO pass_ons (case_id, consultant_id, note, to_consultant, to_subspecialty, at) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(input.caseId, input.consultantId, input.note, input.toConsultant, input.toSubspecialty, input.now);
        if (input.toSubspecialty) {
          this.db
            .prepare('UPDATE cases SET routed_to_subspecialty = ? WHERE id = ?')
            .run(input.toSubspecialty, input.caseId);
        }
        this.moveLease(row, input.toConsultant, input.toConsultant ? input.leaseExpiresAt : null, input.now);
        return { ok: true, passedOnAt: input.now, to: input.toConsultant ? 'consultant' : 'pool' };
      })
      .immediate();
  }

  async changesFor(consultantId: string, after: number, limit: number): Promise<Change[]> {
    return this.db
      .prepare(
        'SELECT seq, case_id AS caseId, kind, version, at FROM changes WHERE consultant_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      )
      .all(consultantId, after, limit) as Change[];
  }

  async acceptDecision(
    consultantId: string,
    decision: SignedDecision,
    payloadHash: string,
    ifMatchVersion: number,
    now: string,
  ): Promise<AcceptDecisionResult> {
    return this.db
      .transaction((): AcceptDecisionResult => {
        const existingRow = this.db
          .prepare('SELECT payload_json, receipt_json, payload_hash FROM decisions WHERE id = ?')
          .get(decision.id) as DecisionDbRow | undefined;
        const latestRow = this.db
          .prepare(
            'SELECT payload_json, receipt_json, payload_hash FROM decisions WHERE case_id = ? ORDER BY version DESC LIMIT 1',
          )
          .get(decision.caseId) as DecisionDbRow | undefined;
        const caseRow = this.caseRow(decision.caseId);
        const verdict = judgeDecision({
          consultantId,
          decision,
          payloadHash,
          ifMatchVersion,
          access: this.access(decision.caseId, consultantId, now),
          caseRow,
          existing: existingRow ? toStoredDecision(existingRow) : null,
          latest: latestRow ? toStoredDecision(latestRow) : null,
        });
        if (verdict.ok === 'replay') return { ok: true, receipt: verdict.receipt, replayed: true };
        if (verdict.ok !== 'accept') return verdict;
        const receipt: DecisionReceipt = {
          decisionId: decision.id,
          caseId: decision.caseId,
          acceptedAt: now,
          caseVersion: ifMatchVersion,
        };
        this.db
          .prepare(
            `INSERT INTO decisions (id, case_id, consultant_id, version, supersedes, payload_json, payload_hash, receipt_json, accepted_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            decision.id,
            decision.caseId,
            consultantId,
            decision.version,
            decision.supersedes,
            JSON.stringify(decision),
            payloadHash,
            JSON.stringify(receipt),
            now,
          );
        this.db
          .prepare('UPDATE cases SET status = ?, lease_expires_at = NULL, updated_at = ? WHERE id = ?')
          .run(verdict.newStatus, now, decision.caseId);
        return { ok: true, receipt, replayed: false };
      })
      .immediate();
  }

  async recordSealedRecovery(entry: SealedRecoveryInput): Promise<SealedRecoveryRow> {
    return recordSealedRecovery(this.db, entry);
  }

  async sealedRecoveriesToReview(limit: number): Promise<SealedRecoveryRow[]> {
    return sealedRecoveriesToReview(this.db, limit);
  }

  async saveAnnotations(input: SaveAnnotationsInput): Promise<SaveAnnotationsResult> {
    return saveAnnotations(this.db, input);
  }

  async annotationsForCase(caseId: string): Promise<ImageAnnotations[]> {
    return annotationsForCase(this.db, caseId);
  }

  async decisionsForCase(caseId: string): Promise<StoredDecision[]> {
    const rows = this.db
      .prepare('SELECT payload_json, receipt_json, payload_hash FROM decisions WHERE case_id = ? ORDER BY version')
      .all(caseId) as DecisionDbRow[];
    return rows.map(toStoredDecision);
  }
}

function toStoredDecision(r: DecisionDbRow): StoredDecision {
  return {
    decision: JSON.parse(r.payload_json) as SignedDecision,
    receipt: JSON.parse(r.receipt_json) as DecisionReceipt,
    payloadHash: r.payload_hash,
  };
}

function accessFailure(access: Exclude<CaseAccess, 'mine'>): Extract<AcceptDecisionResult, { ok: false }> {
  if (access === 'withdrawn')
    return { ok: false, status: 409, code: 'case-withdrawn', message: 'The referrer withdrew this case.' };
  if (access === 'reassigned') {
    return { ok: false, status: 409, code: 'case-reassigned', message: 'This case is no longer assigned to you.' };
  }
  return { ok: false, status: 404, code: 'case-not-found', message: 'No such case is assigned to you.' };
}
