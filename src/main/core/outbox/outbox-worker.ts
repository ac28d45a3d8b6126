import { moveCaseOfDecision } from '../case-state/case-state';
import type { Db } from '../db/open-database';
import { outboxRequest, type OutboxRequest } from '../../../shared/hub-api/outbox-requests';
import { HubRequestError, toNetworkError, type HubClient } from '../hub-client/hub-client';
import { backoffDelayMs, verdictFor, type SendVerdict, type BackoffOptions } from './outbox-policy';
import type { SealedJournal } from './sealed-journal';
import { annotationsRequest, annotationsSent } from './annotation-rows';

export type OutboxKind = 'decision' | 'audit' | 'pass-on' | 'annotations';

interface OutboxRow {
  id: number;
  kind: OutboxKind;
  ref_id: string;
  payload_json: string;
  attempts: number;
}

export interface OutboxWorkerOptions {
  db: Db;
  now: () => Date;
  /** The cache's sealed journal: a row's sealed copy is forgotten once the hub took the row. */
  journal?: SealedJournal | null;
  /** The signed-in hub client, or null when nobody is signed in (rows wait). */
  client: () => Promise<HubClient | null>;
  random?: () => number;
  backoff?: BackoffOptions;
  /** Called after any row changed state (the status bar's "waiting" count, needs-review list). */
  onChange?: () => void;
  /** Called when the hub says our token is no longer valid. */
  onSignedOut?: () => void;
  /**
   * Called after each exchange with the hub: ok when it answered (accepted, or refused with a
   * reason), not ok when it could not be reached or failed (5xx, 429). The status bar's "Sync failed"
   * ends when a later exchange succeeds.
   */
  onContact?: (contact: { ok: true } | { ok: false; unreachable: boolean; message: string }) => void;
  /** Called after a decision's sync state changed (committed): the open case shows it. */
  onDecisionSynced?: (change: { decisionId: string; syncState: 'synced' | 'needs-review' | 'rejected' }) => void;
}

export interface SendReport {
  sent: number;
  /** Of `sent`, how many were decisions. */
  decisionsSent: number;
  retried: number;
  needsReview: number;
  rejected: number;
  /** Set when the run stopped early (no sign-in, token expired). */
  stopped: 'signed-out' | null;
}

/** Where each kind of row goes on the hub (annotations carry their own versioning). */
function request(row: OutboxRow): OutboxRequest {
  const payload = JSON.parse(row.payload_json) as Record<string, unknown>;
  if (row.kind === 'annotations') return annotationsRequest(payload);
  const req = outboxRequest(row.kind, row.ref_id, payload);
  if (!req) throw new Error(`Unknown outbox kind ${row.kind}`);
  return req;
}

/**
 * Sends outbox rows to the hub, oldest first. All state lives in SQLite (attempts,
 * next_attempt_at, held), so a restart — or a kill -9 at any instant — resumes exactly where it
 * was: a row is deleted only in the same transaction that marks its decision synced, and a
 * resend after a crash is answered from the hub's idempotency record, never stored twice.
 */
export class OutboxWorker {
  private running: Promise<SendReport> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: OutboxWorkerOptions) {}

  /** Rows still to send (not held). */
  waiting(): number {
    return (this.options.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE held = 0').get() as { n: number }).n;
  }

  /** Decisions not yet accepted by the hub (pending in the outbox). */
  waitingDecisions(): number {
    return (
      this.options.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE held = 0 AND kind = 'decision'`).get() as {
        n: number;
      }
    ).n;
  }

  /** Sends every row that is due now (or every row, with `ignoreBackoff`). One run at a time. */
  sendDue(options: { ignoreBackoff?: boolean; deadline?: number } = {}): Promise<SendReport> {
    if (this.running) return this.running;
    this.running = this.run(options).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Polls for due rows every `intervalMs` until stop(). */
  start(intervalMs = 5_000): void {
    this.stopped = false;
    const tick = (): void => {
      if (this.stopped) return;
      void this.sendDue()
        .catch(() => undefined)
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * On quit: one last attempt at everything waiting, ignoring backoff, bounded by `timeoutMs`.
   * Whatever is not sent stays in SQLite for the next start.
   */
  async drain(timeoutMs = 5_000): Promise<SendReport | null> {
    this.stop();
    if (this.running) await this.running.catch(() => undefined);
    const deadline = Date.now() + timeoutMs;
    const run = this.sendDue({ ignoreBackoff: true, deadline });
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs).unref());
    return Promise.race([run, timeout]);
  }

  private async run(options: { ignoreBackoff?: boolean; deadline?: number }): Promise<SendReport> {
    const report: SendReport = { sent: 0, decisionsSent: 0, retried: 0, needsReview: 0, rejected: 0, stopped: null };
    const client = await this.options.client();
    if (!client) return { ...report, stopped: 'signed-out' };
    const db = this.options.db;
    const due = db.prepare(
      `SELECT id, kind, ref_id, payload_json, attempts FROM outbox
       WHERE held = 0 AND (@all = 1 OR next_attempt_at <= @now) AND id > @after ORDER BY id LIMIT 1`,
    );
    let after = 0;
    for (;;) {
      if (options.deadline !== undefined && Date.now() > options.deadline) break;
      const row = due.get({ all: options.ignoreBackoff ? 1 : 0, now: this.options.now().toISOString(), after }) as
        OutboxRow | undefined;
      if (!row) break;
      after = row.id;
      const verdict = await this.sendOne(client, row);
      if (verdict.kind === 'signed-out') {
        this.options.onSignedOut?.();
        return { ...report, stopped: 'signed-out' };
      }
      if (verdict.kind === 'sent') {
        report.sent++;
        if (row.kind === 'decision') report.decisionsSent++;
      } else if (verdict.kind === 'retry') report.retried++;
      else if (verdict.kind === 'needs-review') report.needsReview++;
      else report.rejected++;
      this.options.onChange?.();
      // The hub is unreachable: the other rows would only fail the same way (or each wait out a timeout).
      if (verdict.unreachable) break;
    }
    return report;
  }

  private async sendOne(client: HubClient, row: OutboxRow): Promise<{ kind: SendVerdict; unreachable: boolean }> {
    const req = request(row);
    let status: number | null;
    let hubCode: string | null = null;
    let message = '';
    try {
      const res = await client.send(req.method, req.path, { body: req.body, headers: req.headers });
      status = res.status;
    } catch (error) {
      const e = error instanceof HubRequestError ? error : toNetworkError(error);
      status = e.status;
      hubCode = e.hubCode;
      message = e.message;
    }
    const verdict = verdictFor(status, hubCode);
    this.record(row, verdict, message);
    if (verdict === 'retry')
      this.options.onContact?.({
        ok: false,
        unreachable: status === null,
        message: message || `The hub could not take it now (HTTP ${status ?? 'no answer'}).`,
      });
    else if (verdict !== 'signed-out') this.options.onContact?.({ ok: true });
    if (row.kind === 'decision' && (verdict === 'sent' || verdict === 'needs-review' || verdict === 'rejected'))
      this.options.onDecisionSynced?.({ decisionId: row.ref_id, syncState: verdict === 'sent' ? 'synced' : verdict });
    return { kind: verdict, unreachable: status === null };
  }

  /** Applies a verdict in ONE transaction: outbox row, decision and case move together. */
  private record(row: OutboxRow, verdict: SendVerdict, message: string): void {
    const db = this.options.db;
    const now = this.options.now();
    const at = now.toISOString();
    db.transaction(() => {
      switch (verdict) {
        case 'sent':
          db.prepare('DELETE FROM outbox WHERE id = ?').run(row.id);
          if (row.kind === 'annotations') annotationsSent(db, row.payload_json);
          if (row.kind === 'decision') {
            db.prepare(`UPDATE decisions SET sync_state = 'synced', sync_note = NULL, synced_at = ? WHERE id = ?`).run(
              at,
              row.ref_id,
            );
            moveCaseOfDecision(db, row.ref_id, 'hub-accepted');
          }
          break;
        case 'needs-review':
        case 'rejected': {
          const note =
            verdict === 'needs-review'
              ? `The hub did not accept this decision because the case changed: ${message}`
              : `The hub rejected this decision: ${message}`;
          db.prepare('UPDATE outbox SET held = 1, attempts = attempts + 1, last_error = ? WHERE id = ?').run(
            message,
            row.id,
          );
          if (row.kind === 'decision') {
            db.prepare('UPDATE decisions SET sync_state = ?, sync_note = ? WHERE id = ?').run(
              verdict,
              note,
              row.ref_id,
            );
            moveCaseOfDecision(db, row.ref_id, verdict === 'needs-review' ? 'hub-needs-review' : 'hub-rejected', note);
          }
          break;
        }
        case 'retry': {
          const attempts = row.attempts + 1;
          const next = new Date(
            now.getTime() + backoffDelayMs(attempts, this.options.random ?? Math.random, this.options.backoff),
          );
          db.prepare('UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?').run(
            attempts,
            next.toISOString(),
            message || 'The hub could not take it now.',
            row.id,
          );
          break;
        }
        case 'signed-out':
          break;
      }
    })();
    // After the commit: the row is gone, so its sealed copy (key-loss insurance) has done its job.
    if (verdict === 'sent') this.options.journal?.forget(row.kind, row.ref_id);
  }
}
