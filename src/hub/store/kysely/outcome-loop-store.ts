import { sql } from 'kysely';
import type { CaseRecord } from '../../../shared/domain/case';
import type { SignedDecision } from '../../../shared/domain/decision';
import {
  DEFAULT_FAILSAFE_WORKING_DAYS,
  type NewOutboundMessage,
  type OutboundMessageRow,
  type OutcomeDispatch,
  type OutcomeLoopRepository,
  type OutcomeTrackingRow,
  type PracticeSettings,
  type UndispatchedDecision,
} from '../outcome-loop-repository';
import type { HubTables } from './tables';
import { inTx, type Q } from './store-context';

type TrackingDbRow = HubTables['outcome_tracking'];
type MessageDbRow = HubTables['outbound_messages'];

const tracking = (r: TrackingDbRow): OutcomeTrackingRow => ({
  decisionId: r.decision_id,
  caseId: r.case_id,
  odsCode: r.ods_code,
  needsAction: r.needs_action === 1,
  dispatchedAt: r.dispatched_at,
  dueOn: r.due_on,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
  escalatedAt: r.escalated_at,
  closedAt: r.closed_at,
  closedReason: r.closed_reason as OutcomeTrackingRow['closedReason'],
});

const message = (r: MessageDbRow): OutboundMessageRow => ({
  id: r.id,
  dedupeKey: r.dedupe_key,
  channel: r.channel as OutboundMessageRow['channel'],
  template: r.template as OutboundMessageRow['template'],
  recipient: r.recipient,
  params: r.params_json === null ? null : (JSON.parse(r.params_json) as Record<string, string>),
  reference: r.reference,
  status: r.status as OutboundMessageRow['status'],
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

async function insertMessage(q: Q, m: NewOutboundMessage, now: string): Promise<boolean> {
  const r = await q.db
    .insertInto('outbound_messages')
    .values({
      id: m.id,
      dedupe_key: m.dedupeKey,
      channel: m.channel,
      template: m.template,
      recipient: m.recipient,
      params_json: JSON.stringify(m.params),
      reference: m.reference,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * Closing the loop's storage (src/hub/loop), over Kysely like the rest of the repository: one
 * transaction per method; messages are claimed with FOR UPDATE SKIP LOCKED on PostgreSQL so two
 * hub processes never send one message twice.
 */
export class KyselyOutcomeLoop implements OutcomeLoopRepository {
  constructor(private readonly q: Q) {}

  async practiceSettings(odsCode: string): Promise<PracticeSettings> {
    const r = await this.q.db
      .selectFrom('practice_settings')
      .select(['mailbox', 'failsafe_working_days', 'patient_copy'])
      .where('ods_code', '=', odsCode)
      .executeTakeFirst();
    return {
      odsCode,
      mailbox: r?.mailbox ?? null,
      failsafeWorkingDays: r?.failsafe_working_days ?? DEFAULT_FAILSAFE_WORKING_DAYS,
      patientCopy: r?.patient_copy === 1,
    };
  }

  async setPracticeSettings(s: PracticeSettings, now: string): Promise<void> {
    const row = {
      ods_code: s.odsCode,
      mailbox: s.mailbox,
      failsafe_working_days: s.failsafeWorkingDays,
      patient_copy: s.patientCopy ? 1 : 0,
      updated_at: now,
    };
    await this.q.db
      .insertInto('practice_settings')
      .values(row)
      .onConflict((oc) =>
        oc.column('ods_code').doUpdateSet({
          mailbox: row.mailbox,
          failsafe_working_days: row.failsafe_working_days,
          patient_copy: row.patient_copy,
          updated_at: row.updated_at,
        }),
      )
      .execute();
  }

  async undispatchedDecisions(limit: number): Promise<UndispatchedDecision[]> {
    const rows = await this.q.db
      .selectFrom('decisions as d')
      .innerJoin('cases as c', 'c.id', 'd.case_id')
      .leftJoin('outcome_tracking as t', 't.decision_id', 'd.id')
      .select(['d.payload_json', 'd.accepted_at', 'c.record_json'])
      .where('t.decision_id', 'is', null)
      .orderBy('d.accepted_at')
      .orderBy('d.version')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      decision: JSON.parse(r.payload_json) as SignedDecision,
      record: JSON.parse(r.record_json) as CaseRecord,
      acceptedAt: r.accepted_at,
    }));
  }

  async recordOutcomeDispatch(d: OutcomeDispatch): Promise<boolean> {
    return inTx(this.q, async (t) => {
      const inserted = await t.db
        .insertInto('outcome_tracking')
        .values({
          decision_id: d.decisionId,
          case_id: d.caseId,
          ods_code: d.odsCode,
          needs_action: d.needsAction ? 1 : 0,
          dispatched_at: d.now,
          due_on: d.dueOn,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('decision_id')
        .executeTakeFirst();
      if (!inserted) return false;
      if (d.supersedes)
        await t.db
          .updateTable('outcome_tracking')
          .set({ closed_at: d.now, closed_reason: 'superseded' })
          .where('decision_id', '=', d.supersedes)
          .where('closed_at', 'is', null)
          .execute();
      for (const m of d.messages) await insertMessage(t, m, d.now);
      return true;
    });
  }

  async outcomeTracking(decisionId: string): Promise<OutcomeTrackingRow | null> {
    const r = await this.q.db
      .selectFrom('outcome_tracking')
      .selectAll()
      .where('decision_id', '=', decisionId)
      .executeTakeFirst();
    return r ? tracking(r) : null;
  }

  async closeOutcome(
    decisionId: string,
    reason: 'acknowledged' | 'answered',
    by: string,
    at: string,
  ): Promise<OutcomeTrackingRow | null> {
    return inTx(this.q, async (t) => {
      await t.db
        .updateTable('outcome_tracking')
        .set((eb) => ({
          acknowledged_at: at,
          acknowledged_by: by,
          closed_at: eb.fn.coalesce('closed_at', eb.val(at)),
          closed_reason: eb.fn.coalesce('closed_reason', eb.val<string>(reason)),
        }))
        .where('decision_id', '=', decisionId)
        .where('acknowledged_at', 'is', null)
        .execute();
      const r = await t.db
        .selectFrom('outcome_tracking')
        .selectAll()
        .where('decision_id', '=', decisionId)
        .executeTakeFirst();
      return r ? tracking(r) : null;
    });
  }

  async overdueUnescalated(today: string, limit: number): Promise<OutcomeTrackingRow[]> {
    const rows = await this.q.db
      .selectFrom('outcome_tracking')
      .selectAll()
      .where('needs_action', '=', 1)
      .where('closed_at', 'is', null)
      .where('escalated_at', 'is', null)
      .where('due_on', '<', today)
      .orderBy('due_on')
      .orderBy('dispatched_at')
      .limit(limit)
      .execute();
    return rows.map(tracking);
  }

  async escalateOutcome(decisionId: string, m: NewOutboundMessage | null, now: string): Promise<boolean> {
    return inTx(this.q, async (t) => {
      const r = await t.db
        .updateTable('outcome_tracking')
        .set({ escalated_at: now })
        .where('decision_id', '=', decisionId)
        .where('escalated_at', 'is', null)
        .where('closed_at', 'is', null)
        .where('needs_action', '=', 1)
        .executeTakeFirst();
      const done = Number(r.numUpdatedRows) === 1;
      if (done && m) await insertMessage(t, m, now);
      return done;
    });
  }

  async escalatedOpenOutcomes(limit: number): Promise<OutcomeTrackingRow[]> {
    const rows = await this.q.db
      .selectFrom('outcome_tracking')
      .selectAll()
      .where('escalated_at', 'is not', null)
      .where('closed_at', 'is', null)
      .orderBy('due_on')
      .orderBy('dispatched_at')
      .limit(limit)
      .execute();
    return rows.map(tracking);
  }

  async enqueueMessage(m: NewOutboundMessage, now: string): Promise<boolean> {
    return insertMessage(this.q, m, now);
  }

  async claimDueMessages(now: string, claimUntil: string, limit: number): Promise<OutboundMessageRow[]> {
    return inTx(this.q, async (t) => {
      let pick = t.db
        .selectFrom('outbound_messages')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
        .orderBy('next_attempt_at')
        .orderBy('created_at')
        .limit(limit);
      if (t.engine === 'postgres') pick = pick.forUpdate().skipLocked();
      const rows = await pick.execute();
      if (rows.length > 0)
        await t.db
          .updateTable('outbound_messages')
          .set({ claimed_until: claimUntil })
          .where(
            'id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
      return rows.map(message);
    });
  }

  async markMessageSent(id: string, now: string, forgetParams: boolean): Promise<void> {
    await this.q.db
      .updateTable('outbound_messages')
      .set((eb) => ({
        status: 'sent',
        sent_at: now,
        attempts: eb('attempts', '+', 1),
        claimed_until: null,
        last_error: null,
        ...(forgetParams ? { params_json: null } : {}),
      }))
      .where('id', '=', id)
      .execute();
  }

  async markMessageFailed(id: string, error: string, retryAt: string | null, now: string): Promise<void> {
    void now;
    await this.q.db
      .updateTable('outbound_messages')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        claimed_until: null,
        last_error: error.slice(0, 500),
        status: retryAt === null ? 'failed' : 'pending',
        ...(retryAt === null ? {} : { next_attempt_at: retryAt }),
      }))
      .where('id', '=', id)
      .execute();
  }

  async unsentMessages(limit: number): Promise<OutboundMessageRow[]> {
    const rows = await this.q.db
      .selectFrom('outbound_messages')
      .selectAll()
      .where('status', '<>', 'sent')
      .orderBy(sql`CASE status WHEN 'failed' THEN 0 ELSE 1 END`)
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...message(r), params: null }));
  }

  async retryMessage(id: string, now: string): Promise<boolean> {
    const r = await this.q.db
      .updateTable('outbound_messages')
      .set({ status: 'pending', next_attempt_at: now, claimed_until: null })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
