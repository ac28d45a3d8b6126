import type Database from 'better-sqlite3-multiple-ciphers';
import type { CaseRecord } from '../../shared/domain/case';
import type { SignedDecision } from '../../shared/domain/decision';
import {
  DEFAULT_FAILSAFE_WORKING_DAYS,
  type NewOutboundMessage,
  type OutboundMessageRow,
  type OutcomeDispatch,
  type OutcomeLoopRepository,
  type OutcomeTrackingRow,
  type PracticeSettings,
  type UndispatchedDecision,
} from './outcome-loop-repository';

interface TrackingDbRow {
  decision_id: string;
  case_id: string;
  ods_code: string;
  needs_action: number;
  dispatched_at: string;
  due_on: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  escalated_at: string | null;
  closed_at: string | null;
  closed_reason: OutcomeTrackingRow['closedReason'];
}

interface MessageDbRow {
  id: string;
  dedupe_key: string;
  channel: OutboundMessageRow['channel'];
  template: OutboundMessageRow['template'];
  recipient: string;
  params_json: string | null;
  reference: string;
  status: OutboundMessageRow['status'];
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

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
  closedReason: r.closed_reason,
});

const message = (r: MessageDbRow): OutboundMessageRow => ({
  id: r.id,
  dedupeKey: r.dedupe_key,
  channel: r.channel,
  template: r.template,
  recipient: r.recipient,
  params: r.params_json === null ? null : (JSON.parse(r.params_json) as Record<string, string>),
  reference: r.reference,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

function insertMessage(db: Database.Database, m: NewOutboundMessage, now: string): boolean {
  return (
    db
      .prepare(
        `INSERT OR IGNORE INTO outbound_messages
           (id, dedupe_key, channel, template, recipient, params_json, reference, status, attempts, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
      )
      .run(m.id, m.dedupeKey, m.channel, m.template, m.recipient, JSON.stringify(m.params), m.reference, now, now)
      .changes === 1
  );
}

/** The SQLite implementation of the loop's storage (one IMMEDIATE transaction per method). */
export class SqliteOutcomeLoop implements OutcomeLoopRepository {
  constructor(private readonly db: Database.Database) {}

  async practiceSettings(odsCode: string): Promise<PracticeSettings> {
    const r = this.db
      .prepare('SELECT mailbox, failsafe_working_days, patient_copy FROM practice_settings WHERE ods_code = ?')
      .get(odsCode) as { mailbox: string | null; failsafe_working_days: number; patient_copy: number } | undefined;
    return {
      odsCode,
      mailbox: r?.mailbox ?? null,
      failsafeWorkingDays: r?.failsafe_working_days ?? DEFAULT_FAILSAFE_WORKING_DAYS,
      patientCopy: r?.patient_copy === 1,
    };
  }

  async setPracticeSettings(s: PracticeSettings, now: string): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO practice_settings (ods_code, mailbox, failsafe_working_days, patient_copy, updated_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (ods_code) DO UPDATE SET mailbox = excluded.mailbox,
           failsafe_working_days = excluded.failsafe_working_days, patient_copy = excluded.patient_copy,
           updated_at = excluded.updated_at`,
      )
      .run(s.odsCode, s.mailbox, s.failsafeWorkingDays, s.patientCopy ? 1 : 0, now);
  }

  async undispatchedDecisions(limit: number): Promise<UndispatchedDecision[]> {
    const rows = this.db
      .prepare(
        `SELECT d.payload_json, d.accepted_at, c.record_json FROM decisions d
         JOIN cases c ON c.id = d.case_id
         LEFT JOIN outcome_tracking t ON t.decision_id = d.id
         WHERE t.decision_id IS NULL ORDER BY d.accepted_at, d.version LIMIT ?`,
      )
      .all(limit) as { payload_json: string; accepted_at: string; record_json: string }[];
    return rows.map((r) => ({
      decision: JSON.parse(r.payload_json) as SignedDecision,
      record: JSON.parse(r.record_json) as CaseRecord,
      acceptedAt: r.accepted_at,
    }));
  }

  async recordOutcomeDispatch(d: OutcomeDispatch): Promise<boolean> {
    return this.db
      .transaction((): boolean => {
        const inserted =
          this.db
            .prepare(
              `INSERT OR IGNORE INTO outcome_tracking (decision_id, case_id, ods_code, needs_action, dispatched_at, due_on)
               VALUES (?, ?, ?, ?, ?, ?)`,
            )
            .run(d.decisionId, d.caseId, d.odsCode, d.needsAction ? 1 : 0, d.now, d.dueOn).changes === 1;
        if (!inserted) return false;
        if (d.supersedes)
          this.db
            .prepare(
              `UPDATE outcome_tracking SET closed_at = ?, closed_reason = 'superseded'
               WHERE decision_id = ? AND closed_at IS NULL`,
            )
            .run(d.now, d.supersedes);
        for (const m of d.messages) insertMessage(this.db, m, d.now);
        return true;
      })
      .immediate();
  }

  async outcomeTracking(decisionId: string): Promise<OutcomeTrackingRow | null> {
    const r = this.db.prepare('SELECT * FROM outcome_tracking WHERE decision_id = ?').get(decisionId) as
      TrackingDbRow | undefined;
    return r ? tracking(r) : null;
  }

  async closeOutcome(
    decisionId: string,
    reason: 'acknowledged' | 'answered',
    by: string,
    at: string,
  ): Promise<OutcomeTrackingRow | null> {
    return this.db
      .transaction(() => {
        this.db
          .prepare(
            `UPDATE outcome_tracking SET acknowledged_at = ?, acknowledged_by = ?,
               closed_at = COALESCE(closed_at, ?), closed_reason = COALESCE(closed_reason, ?)
             WHERE decision_id = ? AND acknowledged_at IS NULL`,
          )
          .run(at, by, at, reason, decisionId);
        const r = this.db.prepare('SELECT * FROM outcome_tracking WHERE decision_id = ?').get(decisionId) as
          TrackingDbRow | undefined;
        return r ? tracking(r) : null;
      })
      .immediate();
  }

  async overdueUnescalated(today: string, limit: number): Promise<OutcomeTrackingRow[]> {
    return (
      this.db
        .prepare(
          `SELECT * FROM outcome_tracking
           WHERE needs_action = 1 AND closed_at IS NULL AND escalated_at IS NULL AND due_on < ?
           ORDER BY due_on, dispatched_at LIMIT ?`,
        )
        .all(today, limit) as TrackingDbRow[]
    ).map(tracking);
  }

  async escalateOutcome(decisionId: string, m: NewOutboundMessage | null, now: string): Promise<boolean> {
    return this.db
      .transaction((): boolean => {
        const done =
          this.db
            .prepare(
              `UPDATE outcome_tracking SET escalated_at = ?
               WHERE decision_id = ? AND escalated_at IS NULL AND closed_at IS NULL AND needs_action = 1`,
            )
            .run(now, decisionId).changes === 1;
        if (done && m) insertMessage(this.db, m, now);
        return done;
      })
      .immediate();
  }

  async escalatedOpenOutcomes(limit: number): Promise<OutcomeTrackingRow[]> {
    return (
      this.db
        .prepare(
          `SELECT * FROM outcome_tracking WHERE escalated_at IS NOT NULL AND closed_at IS NULL
           ORDER BY due_on, dispatched_at LIMIT ?`,
        )
        .all(limit) as TrackingDbRow[]
    ).map(tracking);
  }

  async enqueueMessage(m: NewOutboundMessage, now: string): Promise<boolean> {
    return this.db.transaction(() => insertMessage(this.db, m, now)).immediate();
  }

  async claimDueMessages(now: string, claimUntil: string, limit: number): Promise<OutboundMessageRow[]> {
    return this.db
      .transaction(() => {
        const rows = this.db
          .prepare(
            `SELECT * FROM outbound_messages
             WHERE status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
             ORDER BY next_attempt_at, created_at LIMIT ?`,
          )
          .all(now, now, limit) as MessageDbRow[];
        const claim = this.db.prepare('UPDATE outbound_messages SET claimed_until = ? WHERE id = ?');
        for (const r of rows) claim.run(claimUntil, r.id);
        return rows.map(message);
      })
      .immediate();
  }

  async markMessageSent(id: string, now: string, forgetParams: boolean): Promise<void> {
    this.db
      .prepare(
        `UPDATE outbound_messages SET status = 'sent', sent_at = ?, attempts = attempts + 1, claimed_until = NULL,
           last_error = NULL, params_json = CASE WHEN ? THEN NULL ELSE params_json END WHERE id = ?`,
      )
      .run(now, forgetParams ? 1 : 0, id);
  }

  async markMessageFailed(id: string, error: string, retryAt: string | null, now: string): Promise<void> {
    void now;
    this.db
      .prepare(
        `UPDATE outbound_messages SET attempts = attempts + 1, claimed_until = NULL, last_error = ?,
           status = CASE WHEN ? IS NULL THEN 'failed' ELSE 'pending' END,
           next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?`,
      )
      .run(error.slice(0, 500), retryAt, retryAt, id);
  }

  async unsentMessages(limit: number): Promise<OutboundMessageRow[]> {
    return (
      this.db
        .prepare(
          `SELECT * FROM outbound_messages WHERE status <> 'sent'
           ORDER BY CASE status WHEN 'failed' THEN 0 ELSE 1 END, created_at LIMIT ?`,
        )
        .all(limit) as MessageDbRow[]
    ).map((r) => ({ ...message(r), params: null }));
  }

  async retryMessage(id: string, now: string): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE outbound_messages SET status = 'pending', next_attempt_at = ?, claimed_until = NULL
           WHERE id = ? AND status = 'failed'`,
        )
        .run(now, id).changes === 1
    );
  }
}
