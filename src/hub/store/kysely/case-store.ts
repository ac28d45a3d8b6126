import type { CaseRecord } from '../../../shared/domain/case';
import type { Change } from '../../../shared/hub-api/consultant-api';
import type {
  AcceptDecisionResult,
  CaseAccess,
  CaseRow,
  ClaimedCase,
  PassOnInput,
  PassOnResult,
} from '../hub-repository';
import {
  access,
  caseRow,
  insertCaseRow,
  lockCase,
  moveLease,
  mustLockCase,
  releaseLapsed,
  remember,
  feed,
  updateCaseRow,
} from './case-rows';
import { isEarlierCaseOfMine } from './earlier-case-store';
import { inTx, type Q } from './store-context';

/** Cases, leases, the pool and the changes feed (the consultant side of HubRepository). */
export async function insertCase(q: Q, record: CaseRecord, dueOn: string, now: string): Promise<void> {
  await inTx(q, (t) => insertCaseRow(t, record, dueOn, now));
}

export async function getCase(q: Q, id: string): Promise<CaseRow | null> {
  return caseRow(q, id);
}

export async function updateCase(
  q: Q,
  id: string,
  record: Omit<CaseRecord, 'version'>,
  leaseExpiresAt: string,
  now: string,
): Promise<CaseRow> {
  return inTx(q, async (t) => {
    await updateCaseRow(t, await mustLockCase(t, id), record, leaseExpiresAt, now);
    return (await caseRow(t, id))!;
  });
}

export async function withdrawCase(q: Q, id: string, now: string): Promise<CaseRow> {
  return inTx(q, async (t) => {
    const row = await mustLockCase(t, id);
    const version = row.record.version + 1;
    await t.db
      .updateTable('cases')
      .set({ status: 'withdrawn', version, record_json: JSON.stringify({ ...row.record, version }), updated_at: now })
      .where('id', '=', id)
      .execute();
    if (row.assignedTo) await feed(t, row.assignedTo, id, 'withdrawn', version, now);
    return (await caseRow(t, id))!;
  });
}

export async function reassignCase(
  q: Q,
  id: string,
  to: string | null,
  leaseExpiresAt: string | null,
  now: string,
): Promise<CaseRow> {
  return inTx(q, async (t) => {
    await moveLease(t, await mustLockCase(t, id), to, to ? leaseExpiresAt : null, now);
    return (await caseRow(t, id))!;
  });
}

export async function releaseExpiredLeases(q: Q, now: string): Promise<number> {
  return inTx(q, (t) => releaseLapsed(t, now));
}

/**
 * The next `count` pool cases in clinical order that this consultant has not passed on, locked
 * for the claim. Migration 75's partial index cases_pool_order is this exact order over exactly
 * the pool (open, unassigned), so the pick reads `count` index entries instead of sorting every
 * open case (tests/store/claim-plan.test.ts holds both engines to that).
 */
export function poolPick(t: Q, consultantId: string, count: number) {
  const pick = t.db
    .selectFrom('cases as c')
    .select(['c.id', 'c.version'])
    .where('c.status', '=', 'open')
    .where('c.assigned_to', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('pass_ons as p')
            .select('p.id')
            .whereRef('p.case_id', '=', 'c.id')
            .where('p.consultant_id', '=', consultantId),
        ),
      ),
    )
    .orderBy('c.priority_rank')
    .orderBy('c.due_on')
    .orderBy('c.received_at')
    .orderBy('c.id')
    .limit(count);
  return t.engine === 'postgres' ? pick.forUpdate().skipLocked() : pick;
}

/**
 * Leases the next `count` pool cases in clinical order. PostgreSQL: FOR UPDATE SKIP LOCKED, so
 * concurrent claimers (in any hub process) each take different rows without waiting; SQLite:
 * BEGIN IMMEDIATE serialises claimers. The `assigned_to IS NULL` guard on the UPDATE makes a
 * double lease impossible either way.
 */
export async function claim(
  q: Q,
  consultantId: string,
  count: number,
  batchId: string,
  leaseExpiresAt: string,
  now: string,
): Promise<ClaimedCase[]> {
  return inTx(q, async (t) => {
    await releaseLapsed(t, now);
    const picked = await poolPick(t, consultantId, count).execute();
    if (picked.length === 0) return [];
    const ids = picked.map((c) => c.id);
    const leased = await t.db
      .updateTable('cases')
      .set({ assigned_to: consultantId, lease_expires_at: leaseExpiresAt, batch_id: batchId, updated_at: now })
      .where('id', 'in', ids)
      .where('assigned_to', 'is', null)
      .executeTakeFirst();
    if (Number(leased.numUpdatedRows) !== ids.length) throw new Error('lease race');
    await remember(t, ids, consultantId, now);
    return picked.map((c) => ({ id: c.id, version: c.version }));
  });
}

export async function assignedTo(q: Q, consultantId: string, now: string): Promise<ClaimedCase[]> {
  return q.db
    .selectFrom('cases')
    .select(['id', 'version'])
    .where('assigned_to', '=', consultantId)
    .where('status', '=', 'open')
    .where('lease_expires_at', '>', now)
    .orderBy('priority_rank')
    .orderBy('due_on')
    .orderBy('received_at')
    .orderBy('id')
    .execute();
}

export async function caseAccess(q: Q, caseId: string, consultantId: string, now: string): Promise<CaseAccess> {
  return access(q, caseId, consultantId, now);
}

export async function visibleImage(
  q: Q,
  sha256: string,
  consultantId: string,
  now: string,
): Promise<{ mediaType: string } | null> {
  const rows = await q.db
    .selectFrom('case_images')
    .select(['case_id', 'media_type'])
    .where('sha256', '=', sha256)
    .execute();
  for (const r of rows)
    if ((await access(q, r.case_id, consultantId, now)) === 'mine') return { mediaType: r.media_type };
  // An image of an earlier case of the same patient, served with a case this consultant holds.
  for (const r of rows)
    if (await isEarlierCaseOfMine(q, r.case_id, consultantId, now)) return { mediaType: r.media_type };
  return null;
}

export async function passOn(q: Q, input: PassOnInput): Promise<PassOnResult> {
  return inTx(q, async (t): Promise<PassOnResult> => {
    await lockCase(t, input.caseId);
    const held = await access(t, input.caseId, input.consultantId, input.now);
    if (held !== 'mine') {
      // A resend after a lost answer: the same hand-over already happened, so answer as then.
      const earlier = await t.db
        .selectFrom('pass_ons')
        .select(['to_consultant', 'to_subspecialty', 'note', 'at'])
        .where('case_id', '=', input.caseId)
        .where('consultant_id', '=', input.consultantId)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      const same =
        earlier &&
        earlier.note === input.note &&
        earlier.to_consultant === input.toConsultant &&
        earlier.to_subspecialty === input.toSubspecialty;
      if (same && held !== 'withdrawn') {
        return { ok: true, passedOnAt: earlier.at, to: earlier.to_consultant ? 'consultant' : 'pool' };
      }
      return accessFailure(held);
    }
    const row = (await caseRow(t, input.caseId))!;
    if (row.status !== 'open') {
      return {
        ok: false,
        status: 409,
        code: 'case-already-decided',
        message: 'A decided case cannot be passed on; amend the decision instead.',
      };
    }
    if (input.toConsultant) {
      const target = await t.db
        .selectFrom('users')
        .select('role')
        .where('id', '=', input.toConsultant)
        .executeTakeFirst();
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
    await t.db
      .insertInto('pass_ons')
      .values({
        case_id: input.caseId,
        consultant_id: input.consultantId,
        note: input.note,
        to_consultant: input.toConsultant,
        to_subspecialty: input.toSubspecialty,
        at: input.now,
      })
      .execute();
    if (input.toSubspecialty) {
      await t.db
        .updateTable('cases')
        .set({ routed_to_subspecialty: input.toSubspecialty })
        .where('id', '=', input.caseId)
        .execute();
    }
    await moveLease(t, row, input.toConsultant, input.toConsultant ? input.leaseExpiresAt : null, input.now);
    return { ok: true, passedOnAt: input.now, to: input.toConsultant ? 'consultant' : 'pool' };
  });
}

export async function changesFor(q: Q, consultantId: string, after: number, limit: number): Promise<Change[]> {
  const rows = await q.db
    .selectFrom('changes')
    .select(['seq', 'case_id', 'kind', 'version', 'at'])
    .where('consultant_id', '=', consultantId)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: r.seq,
    caseId: r.case_id,
    kind: r.kind as Change['kind'],
    version: r.version,
    at: r.at,
  }));
}

export function accessFailure(held: Exclude<CaseAccess, 'mine'>): Extract<AcceptDecisionResult, { ok: false }> {
  if (held === 'withdrawn')
    return { ok: false, status: 409, code: 'case-withdrawn', message: 'The referrer withdrew this case.' };
  if (held === 'reassigned') {
    return { ok: false, status: 409, code: 'case-reassigned', message: 'This case is no longer assigned to you.' };
  }
  return { ok: false, status: 404, code: 'case-not-found', message: 'No such case is assigned to you.' };
}
