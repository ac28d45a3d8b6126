import type { AuditEvent } from '../../shared/hub-api/consultant-api-extras';
import type { StoredAuditEvent } from './hub-repository';
import { SqliteUsers } from './sqlite-users';

/**
 * The workstations' audit rows: append-only (triggers), idempotent by (consultant, seq). A row
 * that contradicts one already held is kept aside in audit_conflicts, not dropped.
 */
export class SqliteAudit extends SqliteUsers {
  async ingestAudit(consultantId: string, events: AuditEvent[], now: string) {
    return this.db
      .transaction(() => {
        let accepted = 0;
        let duplicates = 0;
        const conflicts: number[] = [];
        const find = this.db.prepare('SELECT hash FROM audit_events WHERE consultant_id = ? AND seq = ?');
        const keepConflict = this.db.prepare(
          'INSERT INTO audit_conflicts (consultant_id, seq, row_json, received_at) VALUES (?, ?, ?, ?)',
        );
        const insert = this.db.prepare(
          `INSERT INTO audit_events (consultant_id, seq, at, actor, case_id, action, detail_json, prev_hash, hash, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const e of events) {
          const held = find.get(consultantId, e.seq) as { hash: string } | undefined;
          if (held) {
            if (held.hash === e.hash) {
              duplicates += 1;
            } else {
              conflicts.push(e.seq);
              keepConflict.run(consultantId, e.seq, JSON.stringify(e), now);
            }
            continue;
          }
          insert.run(
            consultantId,
            e.seq,
            e.at,
            e.actor,
            e.caseId,
            e.action,
            JSON.stringify(e.detail),
            e.prevHash,
            e.hash,
            now,
          );
          accepted += 1;
        }
        return { accepted, duplicates, conflicts };
      })
      .immediate();
  }

  async auditForCase(caseId: string): Promise<StoredAuditEvent[]> {
    const rows = this.db
      .prepare(
        `SELECT consultant_id, seq, at, actor, case_id, action, detail_json, prev_hash, hash, received_at
         FROM audit_events WHERE case_id = ? ORDER BY at, consultant_id, seq`,
      )
      .all(caseId) as Record<string, string | number | null>[];
    return rows.map((r) => ({
      consultantId: String(r.consultant_id),
      seq: Number(r.seq),
      at: String(r.at),
      actor: String(r.actor),
      caseId: r.case_id === null ? null : String(r.case_id),
      action: String(r.action),
      detail: JSON.parse(String(r.detail_json)) as Record<string, unknown>,
      prevHash: String(r.prev_hash),
      hash: String(r.hash),
      receivedAt: String(r.received_at),
    }));
  }

  async auditConflicts(): Promise<{ consultantId: string; seq: number; row: unknown; receivedAt: string }[]> {
    const rows = this.db
      .prepare('SELECT consultant_id, seq, row_json, received_at FROM audit_conflicts ORDER BY id')
      .all() as { consultant_id: string; seq: number; row_json: string; received_at: string }[];
    return rows.map((r) => ({
      consultantId: r.consultant_id,
      seq: r.seq,
      row: JSON.parse(r.row_json) as unknown,
      receivedAt: r.received_at,
    }));
  }
}
