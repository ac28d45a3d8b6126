import { createHash } from 'node:crypto';

/**
 * The audit trail's hash chain, shared by the workstation (which writes and verifies its own
 * chain, core/audit/audit-log.ts) and the hub (which keeps every workstation's rows as sent, the
 * same columns in its audit_events table). Each row's hash covers its content and the previous
 * row's hash, so editing, removing or reordering a row breaks the chain from there on.
 */
export interface AuditChainRow {
  seq: number;
  at: string;
  actor: string;
  case_id: string | null;
  action: string;
  detail_json: string;
  prev_hash: string;
  hash: string;
}

/** The previous hash of a chain's first row. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** The hash of one row, given the previous row's hash (AUDIT_GENESIS for the first). */
export function auditRowHash(row: Omit<AuditChainRow, 'seq' | 'hash'>): string {
  return createHash('sha256')
    .update(JSON.stringify([row.prev_hash, row.at, row.actor, row.case_id, row.action, row.detail_json]))
    .digest('hex');
}

/** Walks rows in seq order; the seq of the first row that does not follow from the one before, or null. */
export function firstBrokenAuditRow(rows: Iterable<AuditChainRow>): number | null {
  let prev = AUDIT_GENESIS;
  for (const row of rows) {
    if (row.prev_hash !== prev || auditRowHash(row) !== row.hash) return row.seq;
    prev = row.hash;
  }
  return null;
}
