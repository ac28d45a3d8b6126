import type { SignedDecision } from '../../../shared/domain/decision';
import type { DecisionReceipt } from '../../../shared/hub-api/consultant-api';
import type { Letterhead } from '../../../shared/domain/letterhead';
import { judgeDecision } from '../decision-rules';
import { fixLetterInputs } from './issued-letter-store';
import type { AcceptDecisionResult, StoredDecision } from '../hub-repository';
import { access, caseRow, lockCase } from './case-rows';
import { inTx, type Q } from './store-context';

interface DecisionDbRow {
  payload_json: string;
  receipt_json: string;
  payload_hash: string;
}

const DECISION_COLUMNS = ['payload_json', 'receipt_json', 'payload_hash'] as const;

export function toStoredDecision(r: DecisionDbRow): StoredDecision {
  return {
    decision: JSON.parse(r.payload_json) as SignedDecision,
    receipt: JSON.parse(r.receipt_json) as DecisionReceipt,
    payloadHash: r.payload_hash,
  };
}

/**
 * One transaction: the case row is locked first (PostgreSQL), so two uploads for one case, from
 * any hub processes, are judged one after the other against what the first one stored.
 */
export async function acceptDecision(
  q: Q,
  consultantId: string,
  decision: SignedDecision,
  payloadHash: string,
  ifMatchVersion: number,
  now: string,
  letterhead?: Letterhead,
): Promise<AcceptDecisionResult> {
  return inTx(q, async (t): Promise<AcceptDecisionResult> => {
    await lockCase(t, decision.caseId);
    const existing = await t.db
      .selectFrom('decisions')
      .select(DECISION_COLUMNS)
      .where('id', '=', decision.id)
      .executeTakeFirst();
    const latest = await t.db
      .selectFrom('decisions')
      .select(DECISION_COLUMNS)
      .where('case_id', '=', decision.caseId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    const verdict = judgeDecision({
      consultantId,
      decision,
      payloadHash,
      ifMatchVersion,
      access: await access(t, decision.caseId, consultantId, now),
      caseRow: await caseRow(t, decision.caseId),
      existing: existing ? toStoredDecision(existing) : null,
      latest: latest ? toStoredDecision(latest) : null,
    });
    if (verdict.ok === 'replay') return { ok: true, receipt: verdict.receipt, replayed: true };
    if (verdict.ok !== 'accept') return verdict;
    const receipt: DecisionReceipt = {
      decisionId: decision.id,
      caseId: decision.caseId,
      acceptedAt: now,
      caseVersion: ifMatchVersion,
    };
    await t.db
      .insertInto('decisions')
      .values({
        id: decision.id,
        case_id: decision.caseId,
        consultant_id: consultantId,
        version: decision.version,
        supersedes: decision.supersedes,
        payload_json: JSON.stringify(decision),
        payload_hash: payloadHash,
        receipt_json: JSON.stringify(receipt),
        accepted_at: now,
      })
      .execute();
    await t.db
      .updateTable('cases')
      .set((eb) => ({
        status: verdict.newStatus,
        lease_expires_at: null,
        updated_at: now,
        first_decided_at: eb.fn.coalesce('first_decided_at', eb.val(now)),
      }))
      .where('id', '=', decision.caseId)
      .execute();
    // The letter is issued with the decision: what it depends on is fixed now, with it.
    if (letterhead) await fixLetterInputs(t, decision, letterhead, now);
    return { ok: true, receipt, replayed: false };
  });
}

export async function decisionsForCase(q: Q, caseId: string): Promise<StoredDecision[]> {
  const rows = await q.db
    .selectFrom('decisions')
    .select(DECISION_COLUMNS)
    .where('case_id', '=', caseId)
    .orderBy('version')
    .execute();
  return rows.map(toStoredDecision);
}

/** The latest decision of each case in `caseIds`, with when the hub accepted it (one query). */
export async function latestDecisions(
  q: Q,
  caseIds: readonly string[],
): Promise<Map<string, { decision: SignedDecision; acceptedAt: string }>> {
  if (caseIds.length === 0) return new Map();
  const rows = await q.db
    .selectFrom('decisions')
    .select(['case_id', 'payload_json', 'accepted_at'])
    .where('case_id', 'in', caseIds)
    .orderBy('case_id')
    .orderBy('version')
    .execute();
  return new Map(
    rows.map((r) => [r.case_id, { decision: JSON.parse(r.payload_json) as SignedDecision, acceptedAt: r.accepted_at }]),
  );
}
