import type { Selectable } from 'kysely';
import type { AuditEvent } from '../../../shared/hub-api/consultant-api-extras';
import type {
  SealedRecoveryInput,
  SealedRecoveryOutcome,
  SealedRecoveryRow,
  StoredAuditEvent,
} from '../hub-repository';
import { inTx, type Q } from './store-context';
import type { HubTables } from './tables';

/**
 * The workstations' audit rows: append-only (triggers), idempotent by (consultant, seq). A row
 * that contradicts one already held is kept aside in audit_conflicts, not dropped.
 */
export async function ingestAudit(q: Q, consultantId: string, events: AuditEvent[], now: string) {
  return inTx(q, async (t) => {
    let accepted = 0;
    let duplicates = 0;
    const conflicts: number[] = [];
    for (const e of events) {
      const inserted = await t.db
        .insertInto('audit_events')
        .values({
          consultant_id: consultantId,
          seq: e.seq,
          at: e.at,
          actor: e.actor,
          case_id: e.caseId,
          action: e.action,
          detail_json: JSON.stringify(e.detail),
          prev_hash: e.prevHash,
          hash: e.hash,
          received_at: now,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('seq')
        .executeTakeFirst();
      if (inserted) {
        accepted += 1;
        continue;
      }
      const held = await t.db
        .selectFrom('audit_events')
        .select('hash')
        .where('consultant_id', '=', consultantId)
        .where('seq', '=', e.seq)
        .executeTakeFirstOrThrow();
      if (held.hash === e.hash) {
        duplicates += 1;
      } else {
        conflicts.push(e.seq);
        await t.db
          .insertInto('audit_conflicts')
          .values({ consultant_id: consultantId, seq: e.seq, row_json: JSON.stringify(e), received_at: now })
          .execute();
      }
    }
    return { accepted, duplicates, conflicts };
  });
}

export async function auditForCase(q: Q, caseId: string): Promise<StoredAuditEvent[]> {
  const rows = await q.db
    .selectFrom('audit_events')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('at')
    .orderBy('consultant_id')
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    consultantId: r.consultant_id,
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    caseId: r.case_id,
    action: r.action,
    detail: JSON.parse(r.detail_json) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
    receivedAt: r.received_at,
  }));
}

export async function auditConflicts(q: Q) {
  const rows = await q.db.selectFrom('audit_conflicts').selectAll().orderBy('id').execute();
  return rows.map((r) => ({
    consultantId: r.consultant_id,
    seq: r.seq,
    row: JSON.parse(r.row_json) as unknown,
    receivedAt: r.received_at,
  }));
}

type RecoveryDbRow = Selectable<HubTables['sealed_recoveries']>;

function toRecovery(r: RecoveryDbRow, inserted: boolean): SealedRecoveryRow {
  return {
    id: r.id,
    consultantId: r.consultant_id,
    kind: r.kind,
    refId: r.ref_id,
    payloadHash: r.payload_hash,
    payloadJson: r.payload_json,
    outcome: r.outcome as SealedRecoveryOutcome,
    message: r.message,
    receivedAt: r.received_at,
    inserted,
  };
}

/** Idempotent by (consultant, kind, ref, payload hash, outcome): a repeat returns the first row. */
export async function recordSealedRecovery(q: Q, e: SealedRecoveryInput): Promise<SealedRecoveryRow> {
  return inTx(q, async (t) => {
    const inserted = await t.db
      .insertInto('sealed_recoveries')
      .values({
        consultant_id: e.consultantId,
        kind: e.kind,
        ref_id: e.refId,
        payload_hash: e.payloadHash,
        payload_json: e.payloadJson,
        outcome: e.outcome,
        message: e.message,
        received_at: e.receivedAt,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    const row = await t.db
      .selectFrom('sealed_recoveries')
      .selectAll()
      .where('consultant_id', '=', e.consultantId)
      .where('kind', '=', e.kind)
      .where('ref_id', '=', e.refId)
      .where('payload_hash', '=', e.payloadHash)
      .where('outcome', '=', e.outcome)
      .executeTakeFirstOrThrow();
    return toRecovery(row, inserted !== undefined);
  });
}

export async function sealedRecoveriesToReview(q: Q, limit: number): Promise<SealedRecoveryRow[]> {
  const rows = await q.db
    .selectFrom('sealed_recoveries as r')
    .selectAll('r')
    .where('r.outcome', 'in', ['needs-review', 'unconfirmed'])
    // An entry held once and applied later (sent again as confirmed) needs no review any more.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('sealed_recoveries as a')
            .select('a.id')
            .whereRef('a.consultant_id', '=', 'r.consultant_id')
            .whereRef('a.kind', '=', 'r.kind')
            .whereRef('a.ref_id', '=', 'r.ref_id')
            .where('a.outcome', 'in', ['accepted', 'duplicate']),
        ),
      ),
    )
    .orderBy('r.id')
    .limit(limit)
    .execute();
  return rows.map((r) => toRecovery(r, false));
}
