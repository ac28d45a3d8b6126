import type Database from 'better-sqlite3-multiple-ciphers';
import type { Outcome } from '../../shared/domain/decision';
import type { CaseFacts } from '../dashboard/dashboard-figures';

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

/**
 * SQL for the other doors' own tables (doors-schema.ts). Synchronous on purpose: each call is
 * one statement or one transaction on better-sqlite3. Reads of the core's `cases` and
 * `decisions` tables (for the inbox and dashboard) are read-only and live here, beside the core.
 */
export class DoorsStore {
  constructor(private readonly db: Database.Database) {}

  audit(actor: string, action: string, subject: string | null, detail: Record<string, unknown>, at: string): void {
    this.db
      .prepare('INSERT INTO door_audit (at, actor, action, subject, detail_json) VALUES (?, ?, ?, ?, ?)')
      .run(at, actor, action, subject, JSON.stringify(detail));
  }

  auditFor(subject: string): { at: string; actor: string; action: string; detail: Record<string, unknown> }[] {
    return (
      this.db
        .prepare('SELECT at, actor, action, detail_json FROM door_audit WHERE subject = ? ORDER BY seq')
        .all(subject) as { at: string; actor: string; action: string; detail_json: string }[]
    ).map((r) => ({
      at: r.at,
      actor: r.actor,
      action: r.action,
      detail: JSON.parse(r.detail_json) as Record<string, unknown>,
    }));
  }

  // Practice accounts

  addPracticeAccount(account: PracticeAccount): void {
    this.db
      .prepare('INSERT INTO practice_accounts (user_id, ods_code, practice_name) VALUES (?, ?, ?)')
      .run(account.userId, account.odsCode, account.practiceName);
  }

  practiceAccount(userId: string): PracticeAccount | null {
    const row = this.db
      .prepare('SELECT user_id, ods_code, practice_name FROM practice_accounts WHERE user_id = ?')
      .get(userId) as { user_id: string; ods_code: string; practice_name: string } | undefined;
    return row ? { userId: row.user_id, odsCode: row.ods_code, practiceName: row.practice_name } : null;
  }

  // Cases that came in through these doors

  recordDoorCase(caseId: string, odsCode: string, source: DoorSource, submittedBy: string, at: string): void {
    this.db
      .prepare('INSERT INTO door_cases (case_id, ods_code, source, submitted_by, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(caseId, odsCode, source, submittedBy, at);
  }

  /** Case ids of a practice, newest first (by receipt on the core's cases table). */
  practiceCaseIds(odsCode: string): string[] {
    return (
      this.db
        .prepare(
          `SELECT id FROM cases WHERE json_extract(record_json, '$.practice.odsCode') = ? ORDER BY received_at DESC`,
        )
        .all(odsCode) as { id: string }[]
    ).map((r) => r.id);
  }

  acknowledge(decisionId: string, caseId: string, userId: string, at: string): boolean {
    const r = this.db
      .prepare('INSERT OR IGNORE INTO outcome_acks (decision_id, case_id, user_id, at) VALUES (?, ?, ?, ?)')
      .run(decisionId, caseId, userId, at);
    return r.changes === 1;
  }

  acknowledgement(decisionId: string): { userId: string; at: string } | null {
    const row = this.db.prepare('SELECT user_id, at FROM outcome_acks WHERE decision_id = ?').get(decisionId) as
      { user_id: string; at: string } | undefined;
    return row ? { userId: row.user_id, at: row.at } : null;
  }

  recordInfoResponse(r: {
    id: string;
    caseId: string;
    decisionId: string;
    by: string;
    note: string;
    imageCount: number;
    at: string;
  }): void {
    this.db
      .prepare(
        'INSERT INTO info_responses (id, case_id, decision_id, by, note, image_count, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(r.id, r.caseId, r.decisionId, r.by, r.note, r.imageCount, r.at);
  }

  infoResponseFor(decisionId: string): { at: string; note: string; imageCount: number } | null {
    const row = this.db
      .prepare('SELECT at, note, image_count FROM info_responses WHERE decision_id = ?')
      .get(decisionId) as { at: string; note: string; image_count: number } | undefined;
    return row ? { at: row.at, note: row.note, imageCount: row.image_count } : null;
  }

  // Patient links

  insertLink(row: PatientLinkRow): void {
    this.db
      .prepare(
        `INSERT INTO patient_links (id, token_hash, ods_code, created_by, kind, case_id, draft_json, created_at, expires_at, spent_at, result_case_id)
         VALUES (@id, @tokenHash, @odsCode, @createdBy, @kind, @caseId, @draftJson, @createdAt, @expiresAt, @spentAt, @resultCaseId)`,
      )
      .run(row);
  }

  linkByHash(tokenHash: string): PatientLinkRow | null {
    const row = this.db
      .prepare(
        `SELECT id, token_hash AS tokenHash, ods_code AS odsCode, created_by AS createdBy, kind, case_id AS caseId,
                draft_json AS draftJson, created_at AS createdAt, expires_at AS expiresAt, spent_at AS spentAt,
                result_case_id AS resultCaseId
         FROM patient_links WHERE token_hash = ?`,
      )
      .get(tokenHash) as PatientLinkRow | undefined;
    return row ?? null;
  }

  /** Spends an open link; false if it was already spent (a double submit loses, never doubles). */
  spendLink(id: string, at: string, resultCaseId: string | null): boolean {
    return (
      this.db
        .prepare('UPDATE patient_links SET spent_at = ?, result_case_id = ? WHERE id = ? AND spent_at IS NULL')
        .run(at, resultCaseId, id).changes === 1
    );
  }

  // Feedback and upload checks

  addFeedback(f: {
    id: string;
    at: string;
    source: 'patient' | 'practice';
    odsCode: string | null;
    rating: number;
    comment: string;
  }): void {
    this.db
      .prepare('INSERT INTO feedback (id, at, source, ods_code, rating, comment) VALUES (?, ?, ?, ?, ?, ?)')
      .run(f.id, f.at, f.source, f.odsCode, f.rating, f.comment);
  }

  feedbackReport(): {
    rows: { at: string; source: string; odsCode: string | null; rating: number; comment: string }[];
  } {
    return {
      rows: this.db
        .prepare('SELECT at, source, ods_code AS odsCode, rating, comment FROM feedback ORDER BY at DESC LIMIT 1000')
        .all() as { at: string; source: string; odsCode: string | null; rating: number; comment: string }[],
    };
  }

  feedbackSummary(): { total: number; averageRating: number | null } {
    const r = this.db.prepare('SELECT COUNT(*) AS n, AVG(rating) AS avg FROM feedback').get() as {
      n: number;
      avg: number | null;
    };
    return { total: r.n, averageRating: r.avg === null ? null : Math.round(r.avg * 100) / 100 };
  }

  recordUploadCheck(actor: string, ok: boolean, issues: string[], at: string): void {
    this.db
      .prepare('INSERT INTO upload_checks (at, actor, ok, issues_json) VALUES (?, ?, ?, ?)')
      .run(at, actor, ok ? 1 : 0, JSON.stringify(issues));
  }

  uploadCheckSummary(): { total: number; retakesAsked: number } {
    const r = this.db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(1 - ok), 0) AS bad FROM upload_checks').get() as {
      n: number;
      bad: number;
    };
    return { total: r.n, retakesAsked: r.bad };
  }

  /** Every case's facts for the dashboard (read-only over the core's tables). */
  caseFacts(): CaseFacts[] {
    const cases = this.db.prepare('SELECT id, status, due_on, received_at FROM cases').all() as {
      id: string;
      status: CaseFacts['status'];
      due_on: string;
      received_at: string;
    }[];
    const outcomes = new Map<string, Outcome[]>();
    const rows = this.db.prepare('SELECT case_id, payload_json FROM decisions ORDER BY accepted_at, version').all() as {
      case_id: string;
      payload_json: string;
    }[];
    for (const r of rows) {
      const list = outcomes.get(r.case_id) ?? [];
      list.push((JSON.parse(r.payload_json) as { outcome: Outcome }).outcome);
      outcomes.set(r.case_id, list);
    }
    return cases.map((c) => ({
      receivedAt: c.received_at,
      dueOn: c.due_on,
      status: c.status,
      outcomes: outcomes.get(c.id) ?? [],
    }));
  }
}
