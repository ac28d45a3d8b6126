import {
  AUDIT_GENESIS,
  auditRowHash,
  firstBrokenAuditRow,
  type AuditChainRow,
} from '../../../common/audit/audit-chain';
import type { Db } from '../db/open-database';
import { enqueueOutbox } from '../outbox/enqueue-outbox';
import type { SealedJournal } from '../outbox/sealed-journal';

/**
 * Append-only, hash-chained audit: each row's hash covers its content and the previous row's
 * hash, so editing or removing any row breaks the chain from there on (verifyAuditChain finds
 * it). Triggers refuse UPDATE and DELETE; every row is also queued for the hub via the outbox.
 */
export const auditActions = [
  'case.viewed',
  'decision.signed',
  'decision.amended',
  'case.exported',
  'case.passed-on',
  'consultant.signed-in',
  'consultant.signed-out',
  'cache.purged',
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditEntry {
  actor: string;
  caseId: string | null;
  action: AuditAction;
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  caseId: string | null;
  action: string;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/**
 * Appends one audit row and its outbox row (sealed to `journal`, see enqueueOutbox). Call inside
 * the caller's transaction when there is one.
 */
export function appendAudit(db: Db, entry: AuditEntry, now: Date, journal: SealedJournal | null): AuditRow {
  const last = db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined;
  const prevHash = last?.hash ?? AUDIT_GENESIS;
  const at = now.toISOString();
  const detailJson = JSON.stringify(entry.detail ?? {});
  const hash = auditRowHash({
    prev_hash: prevHash,
    at,
    actor: entry.actor,
    case_id: entry.caseId,
    action: entry.action,
    detail_json: detailJson,
  });
  const { lastInsertRowid } = db
    .prepare(
      'INSERT INTO audit_log (at, actor, case_id, action, detail_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(at, entry.actor, entry.caseId, entry.action, detailJson, prevHash, hash);
  const row: AuditRow = {
    seq: Number(lastInsertRowid),
    at,
    actor: entry.actor,
    caseId: entry.caseId,
    action: entry.action,
    detail: entry.detail ?? {},
    prevHash,
    hash,
  };
  enqueueOutbox(db, { kind: 'audit', refId: String(row.seq), payload: row, consultantId: entry.actor, at }, journal);
  return row;
}

/** Walks the chain; returns the first broken row's seq, or null when the whole log is intact. */
export function verifyAuditChain(db: Db): { ok: true; rows: number } | { ok: false; brokenAt: number } {
  const rows = db
    .prepare('SELECT seq, at, actor, case_id, action, detail_json, prev_hash, hash FROM audit_log ORDER BY seq')
    .all() as AuditChainRow[];
  const brokenAt = firstBrokenAuditRow(rows);
  if (brokenAt !== null) return { ok: false, brokenAt };
  return { ok: true, rows: rows.length };
}
