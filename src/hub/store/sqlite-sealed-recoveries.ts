import type Database from 'better-sqlite3-multiple-ciphers';
import type { SealedRecoveryInput, SealedRecoveryOutcome, SealedRecoveryRow } from './hub-repository';

interface Row {
  id: number;
  consultant_id: string;
  kind: string;
  ref_id: string;
  payload_hash: string;
  payload_json: string;
  outcome: SealedRecoveryOutcome;
  message: string;
  received_at: string;
}

function toRow(r: Row, inserted: boolean): SealedRecoveryRow {
  return {
    id: r.id,
    consultantId: r.consultant_id,
    kind: r.kind,
    refId: r.ref_id,
    payloadHash: r.payload_hash,
    payloadJson: r.payload_json,
    outcome: r.outcome,
    message: r.message,
    receivedAt: r.received_at,
    inserted,
  };
}

/** The sealed_recoveries table (hub migration 3), for SqliteHubRepository. */
export function recordSealedRecovery(db: Database.Database, e: SealedRecoveryInput): SealedRecoveryRow {
  return db
    .transaction((): SealedRecoveryRow => {
      const { changes } = db
        .prepare(
          `INSERT INTO sealed_recoveries (consultant_id, kind, ref_id, payload_hash, payload_json, outcome, message, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .run(e.consultantId, e.kind, e.refId, e.payloadHash, e.payloadJson, e.outcome, e.message, e.receivedAt);
      const row = db
        .prepare(
          `SELECT * FROM sealed_recoveries
           WHERE consultant_id = ? AND kind = ? AND ref_id = ? AND payload_hash = ? AND outcome = ?`,
        )
        .get(e.consultantId, e.kind, e.refId, e.payloadHash, e.outcome) as Row;
      return toRow(row, changes > 0);
    })
    .immediate();
}

export function sealedRecoveriesToReview(db: Database.Database, limit: number): SealedRecoveryRow[] {
  const rows = db
    .prepare(
      // An entry held once and applied later (sent again as confirmed) needs no review any more.
      `SELECT * FROM sealed_recoveries r WHERE outcome IN ('needs-review', 'unconfirmed')
       AND NOT EXISTS (SELECT 1 FROM sealed_recoveries a WHERE a.consultant_id = r.consultant_id
         AND a.kind = r.kind AND a.ref_id = r.ref_id AND a.outcome IN ('accepted', 'duplicate'))
       ORDER BY id LIMIT ?`,
    )
    .all(limit) as Row[];
  return rows.map((r) => toRow(r, false));
}
