import { priorityRank } from '../../../shared/domain/priority';
import type { CaseRecord } from '../../../shared/domain/case';
import { isValidNhsNumber } from '../../../shared/domain/nhs-number';
import type { Change } from '../../../shared/hub-api/consultant-api';
import { judgeAccess } from '../decision-rules';
import type { CaseAccess, CaseRow, CaseStatus } from '../hub-repository';
import type { Q } from './store-context';

const CASE_COLUMNS = ['id', 'version', 'record_json', 'status', 'assigned_to', 'lease_expires_at', 'due_on'] as const;

interface CaseDbRow {
  id: string;
  version: number;
  record_json: string;
  status: string;
  assigned_to: string | null;
  lease_expires_at: string | null;
  due_on: string;
}

export function toCaseRow(r: CaseDbRow): CaseRow {
  const record = { ...(JSON.parse(r.record_json) as CaseRecord), version: r.version };
  return {
    record,
    status: r.status as CaseStatus,
    assignedTo: r.assigned_to,
    leaseExpiresAt: r.lease_expires_at,
    dueOn: r.due_on,
  };
}

export async function caseRow(q: Q, id: string): Promise<CaseRow | null> {
  const r = await q.db.selectFrom('cases').select(CASE_COLUMNS).where('id', '=', id).executeTakeFirst();
  return r ? toCaseRow(r) : null;
}

export async function caseRows(q: Q, ids: readonly string[]): Promise<Map<string, CaseRow>> {
  if (ids.length === 0) return new Map();
  const rows = await q.db.selectFrom('cases').select(CASE_COLUMNS).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, toCaseRow(r)]));
}

/**
 * Reads a case inside a transaction and, on PostgreSQL, locks its row until the commit: every
 * change to one case (decision, pass-on, update, annotations) queues behind the one before.
 * SQLite needs no row lock: BEGIN IMMEDIATE already serialises every writer.
 */
export async function lockCase(q: Q, id: string): Promise<CaseRow | null> {
  let query = q.db.selectFrom('cases').select(CASE_COLUMNS).where('id', '=', id);
  if (q.engine === 'postgres') query = query.forUpdate();
  const r = await query.executeTakeFirst();
  return r ? toCaseRow(r) : null;
}

export async function mustLockCase(q: Q, id: string): Promise<CaseRow> {
  const row = await lockCase(q, id);
  if (!row) throw new Error(`no case ${id}`);
  return row;
}

export async function access(q: Q, caseId: string, consultantId: string, now: string): Promise<CaseAccess> {
  const ever = await q.db
    .selectFrom('assignments')
    .select('case_id')
    .where('case_id', '=', caseId)
    .where('consultant_id', '=', consultantId)
    .executeTakeFirst();
  return judgeAccess(await caseRow(q, caseId), consultantId, ever !== undefined, now);
}

export async function remember(q: Q, caseIds: readonly string[], consultantId: string, now: string): Promise<void> {
  if (caseIds.length === 0) return;
  await q.db
    .insertInto('assignments')
    .values(caseIds.map((case_id) => ({ case_id, consultant_id: consultantId, first_at: now })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function feed(
  q: Q,
  consultantId: string,
  caseId: string,
  kind: Change['kind'],
  version: number,
  now: string,
): Promise<void> {
  await q.db
    .insertInto('changes')
    .values({ consultant_id: consultantId, case_id: caseId, kind, version, at: now })
    .execute();
}

/** Moves a (locked) case's lease to `to` or the pool, feeding 'reassigned' to the old holder. */
export async function moveLease(
  q: Q,
  row: CaseRow,
  to: string | null,
  leaseExpiresAt: string | null,
  now: string,
): Promise<void> {
  const from = row.assignedTo;
  await q.db
    .updateTable('cases')
    .set({ assigned_to: to, lease_expires_at: leaseExpiresAt, updated_at: now })
    .where('id', '=', row.record.id)
    .execute();
  if (to) await remember(q, [row.record.id], to, now);
  if (from && from !== to) await feed(q, from, row.record.id, 'reassigned', row.record.version, now);
}

export async function replaceImages(q: Q, record: CaseRecord): Promise<void> {
  await q.db.deleteFrom('case_images').where('case_id', '=', record.id).execute();
  const unique = new Map(record.images.map((img) => [img.sha256, img.mediaType]));
  if (unique.size === 0) return;
  await q.db
    .insertInto('case_images')
    .values([...unique].map(([sha256, media_type]) => ({ case_id: record.id, sha256, media_type })))
    .execute();
}

/**
 * The columns that link a case to the patient's earlier cases: the NHS number only when it passes
 * Modulus 11 (a number failing the check links nothing), and the date of birth that must match.
 */
export function patientColumns(record: Pick<CaseRecord, 'patient'>): {
  verified_nhs_number: string | null;
  patient_birth_date: string;
} {
  const nhs = record.patient.nhsNumber;
  return { verified_nhs_number: isValidNhsNumber(nhs) ? nhs : null, patient_birth_date: record.patient.dateOfBirth };
}

export async function insertCaseRow(q: Q, record: CaseRecord, dueOn: string, now: string): Promise<void> {
  await q.db
    .insertInto('cases')
    .values({
      id: record.id,
      version: record.version,
      record_json: JSON.stringify(record),
      status: 'open',
      priority_rank: priorityRank[record.referral.priority],
      due_on: dueOn,
      received_at: record.referral.receivedAt,
      created_at: now,
      updated_at: now,
      practice_ods: record.practice.odsCode,
      ...patientColumns(record),
    })
    .execute();
  await replaceImages(q, record);
}

/** Replaces a locked case's record (version + 1); an awaiting-information case reopens. */
export async function updateCaseRow(
  q: Q,
  row: CaseRow,
  record: Omit<CaseRecord, 'version'>,
  leaseExpiresAt: string,
  now: string,
): Promise<void> {
  const id = row.record.id;
  const next: CaseRecord = { ...record, id, version: row.record.version + 1 };
  // An answered more-information request goes back to its consultant with a fresh lease.
  const reopen = row.status === 'awaiting-information';
  await q.db
    .updateTable('cases')
    .set({
      version: next.version,
      record_json: JSON.stringify(next),
      status: reopen ? 'open' : row.status,
      priority_rank: priorityRank[next.referral.priority],
      updated_at: now,
      lease_expires_at: reopen ? leaseExpiresAt : row.leaseExpiresAt,
      practice_ods: next.practice.odsCode,
      ...patientColumns(next),
    })
    .where('id', '=', id)
    .execute();
  await replaceImages(q, next);
  if (row.assignedTo) await feed(q, row.assignedTo, id, 'updated', next.version, now);
}

/** Returns lapsed leases to the pool; skips rows another transaction holds (PostgreSQL). */
export async function releaseLapsed(q: Q, now: string): Promise<number> {
  let query = q.db
    .selectFrom('cases')
    .select('id')
    .where('status', '=', 'open')
    .where('assigned_to', 'is not', null)
    .where('lease_expires_at', '<=', now)
    .orderBy('id');
  if (q.engine === 'postgres') query = query.forUpdate().skipLocked();
  const lapsed = await query.execute();
  for (const { id } of lapsed) {
    const row = await caseRow(q, id);
    if (row) await moveLease(q, row, null, null, now);
  }
  return lapsed.length;
}
