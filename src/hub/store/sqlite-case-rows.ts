import type { CaseRecord } from '../../shared/domain/case';
import type { Change } from '../../shared/hub-api/consultant-api';
import { judgeAccess } from './decision-rules';
import type { CaseAccess, CaseRow, CaseStatus } from './hub-repository';
import { SqliteAudit } from './sqlite-audit';

interface CaseDbRow {
  id: string;
  version: number;
  record_json: string;
  status: CaseStatus;
  assigned_to: string | null;
  lease_expires_at: string | null;
  due_on: string;
}

/**
 * Case-row helpers shared by the repository's transactions: reading a case, judging access,
 * moving a lease (and feeding 'reassigned' to the old holder), remembering who ever held a case.
 * Always called inside the caller's transaction.
 */
export class SqliteCaseRows extends SqliteAudit {
  protected caseRow(id: string): CaseRow | null {
    const r = this.db
      .prepare('SELECT id, version, record_json, status, assigned_to, lease_expires_at, due_on FROM cases WHERE id = ?')
      .get(id) as CaseDbRow | undefined;
    if (!r) return null;
    const record = { ...(JSON.parse(r.record_json) as CaseRecord), version: r.version };
    return { record, status: r.status, assignedTo: r.assigned_to, leaseExpiresAt: r.lease_expires_at, dueOn: r.due_on };
  }

  protected mustCase(id: string): CaseRow {
    const row = this.caseRow(id);
    if (!row) throw new Error(`no case ${id}`);
    return row;
  }

  protected access(caseId: string, consultantId: string, now: string): CaseAccess {
    const ever = this.db
      .prepare('SELECT 1 FROM assignments WHERE case_id = ? AND consultant_id = ?')
      .get(caseId, consultantId);
    return judgeAccess(this.caseRow(caseId), consultantId, ever !== undefined, now);
  }

  protected releaseLapsed(now: string): void {
    const lapsed = this.db
      .prepare(`SELECT id FROM cases WHERE status = 'open' AND assigned_to IS NOT NULL AND lease_expires_at <= ?`)
      .all(now) as { id: string }[];
    for (const { id } of lapsed) this.moveLease(this.mustCase(id), null, null, now);
  }

  protected moveLease(row: CaseRow, to: string | null, leaseExpiresAt: string | null, now: string): void {
    const from = row.assignedTo;
    this.db
      .prepare('UPDATE cases SET assigned_to = ?, lease_expires_at = ?, updated_at = ? WHERE id = ?')
      .run(to, leaseExpiresAt, now, row.record.id);
    if (to) this.remember(row.record.id, to, now);
    if (from && from !== to) this.feed(from, row.record.id, 'reassigned', row.record.version, now);
  }

  protected remember(caseId: string, consultantId: string, now: string): void {
    this.db
      .prepare('INSERT OR IGNORE INTO assignments (case_id, consultant_id, first_at) VALUES (?, ?, ?)')
      .run(caseId, consultantId, now);
  }

  protected feed(consultantId: string, caseId: string, kind: Change['kind'], version: number, now: string): void {
    this.db
      .prepare('INSERT INTO changes (consultant_id, case_id, kind, version, at) VALUES (?, ?, ?, ?, ?)')
      .run(consultantId, caseId, kind, version, now);
  }

  protected replaceImages(record: CaseRecord): void {
    this.db.prepare('DELETE FROM case_images WHERE case_id = ?').run(record.id);
    const add = this.db.prepare('INSERT OR IGNORE INTO case_images (case_id, sha256, media_type) VALUES (?, ?, ?)');
    for (const img of record.images) add.run(record.id, img.sha256, img.mediaType);
  }
}
