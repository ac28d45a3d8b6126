import { AppError } from '../../../shared/contract/errors';
import { answerTo, type CaseRecord, type InformationAnswer, type LocalCaseState } from '../../../shared/domain/case';
import type { SignedDecision } from '../../../shared/domain/decision';
import { parseDraft, type DecisionForm } from '../../../shared/domain/decision-form';
import { isValidNhsNumber } from '../../../shared/domain/nhs-number';
import { isOverdue, londonDateOf } from '../../../shared/domain/working-days';
import { appendAudit } from '../audit/audit-log';
import type { SealedJournal } from '../outbox/sealed-journal';
import type { Db } from '../db/open-database';
import { earlierCasesOf, mergePriorCases } from './earlier-cases';

export interface PriorCase {
  id: string;
  receivedAt: string;
  presentingComplaint: string;
  /** The case's state in this cache; null for an earlier case only the hub sent (never cached here). */
  state: LocalCaseState | null;
  /** Where it came from: this workstation's cache, or the hub's earlier cases of the patient (read-only). */
  source: 'cache' | 'hub';
  images: CaseRecord['images'];
  /** The latest signed decision on that case (in this cache, else the hub's), or null. */
  outcome: {
    kind: SignedDecision['outcome']['kind'];
    diagnosis: string | null;
    signedAt: string;
    /** Who signed it and the plan's summary, when the hub sent them. */
    signedBy?: string;
    planSummary?: string;
  } | null;
}

export interface CaseDetail {
  record: CaseRecord;
  state: LocalCaseState;
  stateNote: string | null;
  dueOn: string;
  overdue: boolean;
  nhsNumberValid: boolean;
  ageYears: number | null;
  draft: { form: DecisionForm; updatedAt: string; recovered: boolean } | null;
  decisions: Array<SignedDecision & { syncState: string; syncNote: string | null }>;
  /** The referrer's answer to the latest decision, while that decision is the latest. */
  answer: InformationAnswer | null;
  priorCases: PriorCase[];
}

/** Whole years between a YYYY-MM-DD birth date and a YYYY-MM-DD day; null for nonsense dates. */
export function ageInYears(dateOfBirth: string, today: string): number | null {
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  const t = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!b || !t) return null;
  let age = Number(t[1]) - Number(b[1]);
  if (`${t[2]}-${t[3]}` < `${b[2]}-${b[3]}`) age -= 1;
  return age >= 0 && age < 150 ? age : null;
}

/**
 * Everything the case view shows, read in one go, and the audit row that says this consultant
 * viewed it (written in the same transaction as the read, so a view is never unrecorded).
 */
export function readCaseDetail(
  db: Db,
  caseId: string,
  actor: string,
  now: Date,
  journal: SealedJournal | null = null,
): CaseDetail {
  return db.transaction((): CaseDetail => {
    const row = db
      .prepare('SELECT record_json, state, state_note, due_on, nhs_number FROM cases WHERE id = ?')
      .get(caseId) as
      | { record_json: string; state: LocalCaseState; state_note: string | null; due_on: string; nhs_number: string }
      | undefined;
    if (!row) throw new AppError('not-found', 'This case is not in the local cache. Sync to fetch it again.', 'caseId');
    const record = JSON.parse(row.record_json) as CaseRecord;
    const draftRow = db.prepare('SELECT draft_json, updated_at FROM decision_drafts WHERE case_id = ?').get(caseId) as
      { draft_json: string; updated_at: string } | undefined;
    let draft: CaseDetail['draft'] = null;
    if (draftRow) {
      let raw: unknown;
      try {
        raw = JSON.parse(draftRow.draft_json);
      } catch {
        raw = null; // a truncated or corrupt draft: parseDraft turns it into an empty form
      }
      const parsed = parseDraft(raw);
      draft = { form: parsed.form, updatedAt: draftRow.updated_at, recovered: parsed.recovered };
    }
    const decisions = (
      db
        .prepare('SELECT decision_json, sync_state, sync_note FROM decisions WHERE case_id = ? ORDER BY version')
        .all(caseId) as Array<{ decision_json: string; sync_state: string; sync_note: string | null }>
    ).map((d) => ({
      ...(JSON.parse(d.decision_json) as SignedDecision),
      syncState: d.sync_state,
      syncNote: d.sync_note,
    }));
    const latestDecision = db.prepare(
      'SELECT decision_json FROM decisions WHERE case_id = ? ORDER BY version DESC LIMIT 1',
    );
    const cachedPriors = (
      db
        .prepare(
          `SELECT id, record_json, state, received_at FROM cases WHERE nhs_number = ? AND id != ?
           ORDER BY received_at DESC LIMIT 20`,
        )
        .all(row.nhs_number, caseId) as Array<{ id: string; record_json: string; state: LocalCaseState }>
    ).map((p) => {
      const r = JSON.parse(p.record_json) as CaseRecord;
      const latest = latestDecision.get(p.id) as { decision_json: string } | undefined;
      const d = latest ? (JSON.parse(latest.decision_json) as SignedDecision) : null;
      return {
        id: p.id,
        receivedAt: r.referral.receivedAt,
        presentingComplaint: r.referral.presentingComplaint,
        state: p.state,
        source: 'cache' as const,
        images: r.images,
        outcome: d ? { kind: d.outcome.kind, diagnosis: d.diagnosis?.label ?? null, signedAt: d.signedAt } : null,
      };
    });
    const priorCases = mergePriorCases(cachedPriors, earlierCasesOf(db, caseId));
    appendAudit(db, { actor, caseId, action: 'case.viewed' }, now, journal);
    const open = row.state === 'new' || row.state === 'draft' || row.state === 'needs-review';
    return {
      record,
      state: row.state,
      stateNote: row.state_note,
      dueOn: row.due_on,
      overdue: open && isOverdue(row.due_on, now),
      nhsNumberValid: isValidNhsNumber(record.patient.nhsNumber),
      ageYears: ageInYears(record.patient.dateOfBirth, londonDateOf(now)),
      draft,
      decisions,
      answer: answerTo(record, decisions.at(-1)?.id),
      priorCases,
    };
  })();
}
