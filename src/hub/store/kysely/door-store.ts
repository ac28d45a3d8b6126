import type {
  AnswerInformationInput,
  CaseStatus,
  DoorAuditInput,
  DoorAuditRow,
  DoorFailure,
  PatientLinkRow,
  PracticeAccount,
  PracticeCase,
  SubmitReferralInput,
} from '../hub-repository';
import { caseRow, caseRows, insertCaseRow, lockCase, updateCaseRow } from './case-rows';
import { latestDecisions } from './decision-store';
import type { Selectable } from 'kysely';
import { inTx, type Q } from './store-context';
import type { HubTables } from './tables';

/** The doors' tables: audit trail, practice accounts, their cases, answers and acknowledgements. */
export async function doorAudit(q: Q, rows: readonly DoorAuditInput[]): Promise<void> {
  if (rows.length === 0) return;
  await q.db
    .insertInto('door_audit')
    .values(
      rows.map((r) => ({
        at: r.at,
        actor: r.actor,
        action: r.action,
        subject: r.subject,
        detail_json: JSON.stringify(r.detail),
      })),
    )
    .execute();
}

export async function auditFor(q: Q, subject: string): Promise<DoorAuditRow[]> {
  const rows = await q.db
    .selectFrom('door_audit')
    .select(['at', 'actor', 'action', 'detail_json'])
    .where('subject', '=', subject)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    at: r.at,
    actor: r.actor,
    action: r.action,
    detail: JSON.parse(r.detail_json) as Record<string, unknown>,
  }));
}

export async function addPracticeAccount(q: Q, a: PracticeAccount): Promise<void> {
  await q.db
    .insertInto('practice_accounts')
    .values({ user_id: a.userId, ods_code: a.odsCode, practice_name: a.practiceName })
    .execute();
}

export async function practiceAccount(q: Q, userId: string): Promise<PracticeAccount | null> {
  const r = await q.db.selectFrom('practice_accounts').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return r ? { userId: r.user_id, odsCode: r.ods_code, practiceName: r.practice_name } : null;
}

export async function practiceName(q: Q, odsCode: string): Promise<string | null> {
  const r = await q.db
    .selectFrom('practice_accounts')
    .select('practice_name')
    .where('ods_code', '=', odsCode)
    .limit(1)
    .executeTakeFirst();
  return r?.practice_name ?? null;
}

const LINK_SPENT: DoorFailure = {
  ok: false,
  status: 410,
  code: 'link-used',
  message: 'This link has already been used. Your photographs were sent; ask your practice if you need to send more.',
};

/** Spends an open link inside the caller's transaction; false if it was spent already. */
async function spendLink(q: Q, id: string, at: string, resultCaseId: string): Promise<boolean> {
  const r = await q.db
    .updateTable('patient_links')
    .set({ spent_at: at, result_case_id: resultCaseId })
    .where('id', '=', id)
    .where('spent_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * One transaction: the link (if any) is spent first, by a conditional UPDATE, so of two
 * submissions of one link (to any hub processes) exactly one creates a case; the other rolls
 * back having created nothing.
 */
export async function submitReferral(q: Q, input: SubmitReferralInput): Promise<{ ok: true } | DoorFailure> {
  return inTx(q, async (t) => {
    if (input.spendLinkId && !(await spendLink(t, input.spendLinkId, input.now, input.record.id))) return LINK_SPENT;
    await insertCaseRow(t, input.record, input.dueOn, input.now);
    await t.db
      .insertInto('door_cases')
      .values({
        case_id: input.record.id,
        ods_code: input.record.practice.odsCode,
        source: input.source,
        submitted_by: input.submittedBy,
        created_at: input.now,
      })
      .execute();
    await doorAudit(t, input.audit);
    return { ok: true as const };
  });
}

export async function answerInformation(
  q: Q,
  input: AnswerInformationInput,
): Promise<{ ok: true; version: number; status: CaseStatus } | DoorFailure> {
  return inTx(q, async (t) => {
    const row = await lockCase(t, input.caseId);
    if (!row || row.record.practice.odsCode !== input.odsCode)
      return { ok: false, status: 404, code: 'not-found', message: 'No such case for your practice.' } as const;
    const answered = await t.db
      .selectFrom('info_responses')
      .select('id')
      .where('decision_id', '=', input.decisionId)
      .executeTakeFirst();
    if (answered)
      return { ok: false, status: 409, code: 'conflict', message: 'This request was already answered.' } as const;
    if (row.status !== 'awaiting-information' || row.record.version !== input.expectedVersion)
      return {
        ok: false,
        status: 409,
        code: 'conflict',
        message: 'This case is not waiting for more information.',
      } as const;
    if (input.spendLinkId && !(await spendLink(t, input.spendLinkId, input.now, input.caseId))) return LINK_SPENT;
    await updateCaseRow(t, row, input.record, input.leaseExpiresAt, input.now);
    await t.db
      .insertInto('info_responses')
      .values({
        id: input.response.id,
        case_id: input.caseId,
        decision_id: input.decisionId,
        by: input.response.by,
        note: input.response.note,
        image_count: input.response.imageCount,
        at: input.now,
      })
      .execute();
    await doorAudit(t, input.audit);
    const after = (await caseRow(t, input.caseId))!;
    return { ok: true as const, version: after.record.version, status: after.status };
  });
}

async function withOutcomes(q: Q, ids: string[], rows: Map<string, PracticeCase['row']>): Promise<PracticeCase[]> {
  const latest = await latestDecisions(q, ids);
  const decisionIds = [...latest.values()].map((d) => d.decision.id);
  const signerIds = [...new Set([...latest.values()].map((d) => d.decision.signedBy.id))];
  const signers = new Map(
    signerIds.length === 0
      ? []
      : (
          await q.db
            .selectFrom('users')
            .select(['id', 'display_name', 'gmc_number'])
            .where('id', 'in', signerIds)
            .execute()
        ).map((u) => [u.id, { displayName: u.display_name, gmcNumber: u.gmc_number }]),
  );
  const acks = await timesByDecision(q, 'outcome_acks', decisionIds);
  const answers = await timesByDecision(q, 'info_responses', decisionIds);
  return ids.flatMap((id) => {
    const row = rows.get(id);
    if (!row) return [];
    const stored = latest.get(id);
    const d = stored?.decision ?? null;
    return [
      {
        row,
        latest: d,
        receivedByHubAt: stored?.acceptedAt ?? null,
        signer: d ? (signers.get(d.signedBy.id) ?? null) : null,
        acknowledgedAt: d ? (acks.get(d.id) ?? null) : null,
        answeredAt: d ? (answers.get(d.id) ?? null) : null,
      },
    ];
  });
}

/** Newest first, by the cases_practice index; five queries however many cases. */
export async function practiceCases(q: Q, odsCode: string, limit: number): Promise<PracticeCase[]> {
  const ids = (
    await q.db
      .selectFrom('cases')
      .select('id')
      .where('practice_ods', '=', odsCode)
      .orderBy('received_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute()
  ).map((r) => r.id);
  return withOutcomes(q, ids, await caseRows(q, ids));
}

export async function practiceCase(q: Q, caseId: string): Promise<PracticeCase | null> {
  return (await withOutcomes(q, [caseId], await caseRows(q, [caseId])))[0] ?? null;
}

export async function acknowledge(
  q: Q,
  decisionId: string,
  caseId: string,
  userId: string,
  at: string,
): Promise<string> {
  return inTx(q, async (t) => {
    const first = await t.db
      .insertInto('outcome_acks')
      .values({ decision_id: decisionId, case_id: caseId, user_id: userId, at })
      .onConflict((oc) => oc.doNothing())
      .returning('at')
      .executeTakeFirst();
    if (first) {
      await doorAudit(t, [
        { actor: userId, action: 'outcome.acknowledged', subject: caseId, detail: { decisionId }, at },
      ]);
      return at;
    }
    return (
      await t.db.selectFrom('outcome_acks').select('at').where('decision_id', '=', decisionId).executeTakeFirstOrThrow()
    ).at;
  });
}

export async function insertLink(q: Q, row: PatientLinkRow, audit: DoorAuditInput): Promise<void> {
  await inTx(q, async (t) => {
    await t.db
      .insertInto('patient_links')
      .values({
        id: row.id,
        token_hash: row.tokenHash,
        ods_code: row.odsCode,
        created_by: row.createdBy,
        kind: row.kind,
        case_id: row.caseId,
        draft_json: row.draftJson,
        created_at: row.createdAt,
        expires_at: row.expiresAt,
        spent_at: row.spentAt,
        result_case_id: row.resultCaseId,
      })
      .execute();
    await doorAudit(t, [audit]);
  });
}

export async function linkByHash(q: Q, tokenHash: string): Promise<PatientLinkRow | null> {
  const r = await q.db.selectFrom('patient_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return r ? patientLinkFromRow(r) : null;
}

/** A patient_links row as the repository hands it out (also for the DoB guard's locked links). */
export function patientLinkFromRow(r: Selectable<HubTables['patient_links']>): PatientLinkRow {
  return {
    id: r.id,
    tokenHash: r.token_hash,
    odsCode: r.ods_code,
    createdBy: r.created_by,
    kind: r.kind as PatientLinkRow['kind'],
    caseId: r.case_id,
    draftJson: r.draft_json,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    spentAt: r.spent_at,
    resultCaseId: r.result_case_id,
  };
}

/** When each decision was acknowledged (outcome_acks) or answered (info_responses), by decision id. */
async function timesByDecision(
  q: Q,
  table: 'outcome_acks' | 'info_responses',
  decisionIds: readonly string[],
): Promise<Map<string, string>> {
  const times = new Map<string, string>();
  if (decisionIds.length === 0) return times;
  for (const row of await q.db
    .selectFrom(table)
    .select(['decision_id', 'at'])
    .where('decision_id', 'in', [...decisionIds])
    .execute())
    times.set(row.decision_id, row.at);
  return times;
}
