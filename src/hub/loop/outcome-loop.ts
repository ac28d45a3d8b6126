import { randomUUID } from 'node:crypto';
import { caseReference } from '../../shared/domain/case-reference';
import { londonDateOf } from '../../shared/domain/working-days';
import type { HubRepository } from '../store/hub-repository';
import type { OutboundMessageRow } from '../store/outcome-loop-repository';
import { NotifyError, type Notifier } from './notifier';
import { planDispatch, practiceCaseLink } from './plan-dispatch';

export interface OutcomeLoopOptions {
  repo: HubRepository;
  notifier: Notifier;
  now: () => Date;
  /** The address practices and patients reach the hub at (links in messages). */
  publicUrl: () => string;
  /** Attempts before a message is marked failed for an operator to look at (default 6). */
  maxAttempts?: number;
  log?: (line: string) => void;
}

export interface SweepResult {
  dispatched: number;
  escalated: number;
  sent: number;
  failed: number;
}

/** Minutes before retry n (1-based): 1, 2, 4, 8, 16, then every 30. */
export function retryDelayMinutes(attempt: number): number {
  return Math.min(30, 2 ** Math.max(0, attempt - 1));
}

/**
 * The hub's loop back to the practice: every accepted decision is dispatched once (failsafe
 * opened, the practice's email queued, in one transaction), outcomes past their failsafe date
 * are escalated (a second email and the operator's list), and queued messages are sent with
 * retries. Everything it knows is in rows, so any hub process can run it, a restart loses
 * nothing, and running it twice does nothing twice. `sweep()` runs the three steps; the hub runs
 * it on a timer and right after a decision is accepted.
 */
export class OutcomeLoop {
  private running: Promise<SweepResult> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly o: OutcomeLoopOptions) {}

  /** Runs one sweep; a call during a sweep runs one more after it (never two at once). */
  sweep(): Promise<SweepResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total: SweepResult = { dispatched: 0, escalated: 0, sent: 0, failed: 0 };
      do {
        this.again = false;
        const r = await this.sweepOnce();
        total = {
          dispatched: total.dispatched + r.dispatched,
          escalated: total.escalated + r.escalated,
          sent: total.sent + r.sent,
          failed: total.failed + r.failed,
        };
      } while (this.again);
      return total;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  hasChannel(channel: 'email' | 'sms'): boolean {
    return this.o.notifier.has(channel);
  }

  publicUrl(): string {
    return this.o.publicUrl();
  }

  /** Asks for a sweep soon without waiting for it (after a decision or an acknowledgement). */
  kick(): void {
    if (this.stopped) return;
    void this.sweep().catch((error: unknown) => this.o.log?.(`outcome loop: ${(error as Error).message}`));
  }

  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async sweepOnce(): Promise<SweepResult> {
    const dispatched = await this.dispatchNew();
    const escalated = await this.escalateOverdue();
    const { sent, failed } = await this.deliverDue();
    return { dispatched, escalated, sent, failed };
  }

  private async dispatchNew(): Promise<number> {
    const repo = this.o.repo.outcomes;
    let count = 0;
    for (;;) {
      const batch = await repo.undispatchedDecisions(50);
      if (batch.length === 0) return count;
      for (const item of batch) {
        const settings = await repo.practiceSettings(item.record.practice.odsCode);
        const plan = planDispatch(item, settings, this.o.publicUrl(), this.o.now());
        if (await repo.recordOutcomeDispatch(plan)) count += 1;
      }
      if (batch.length < 50) return count;
    }
  }

  private async escalateOverdue(): Promise<number> {
    const repo = this.o.repo.outcomes;
    const now = this.o.now();
    let count = 0;
    for (const row of await repo.overdueUnescalated(londonDateOf(now), 200)) {
      const settings = await repo.practiceSettings(row.odsCode);
      const reference = caseReference(row.caseId);
      const message = settings.mailbox
        ? {
            id: randomUUID(),
            dedupeKey: `outcome-escalated:${row.decisionId}`,
            channel: 'email' as const,
            template: 'outcome-escalated' as const,
            recipient: settings.mailbox,
            params: {
              reference,
              link: practiceCaseLink(this.o.publicUrl(), row.caseId),
              days: String(settings.failsafeWorkingDays),
            },
            reference,
          }
        : null;
      if (await repo.escalateOutcome(row.decisionId, message, now.toISOString())) count += 1;
    }
    return count;
  }

  private async deliverDue(): Promise<{ sent: number; failed: number }> {
    const repo = this.o.repo.outcomes;
    let sent = 0;
    let failed = 0;
    for (;;) {
      const now = this.o.now();
      const claimUntil = new Date(now.getTime() + 5 * 60_000).toISOString();
      const batch = await repo.claimDueMessages(now.toISOString(), claimUntil, 20);
      for (const row of batch) {
        if (await this.deliverOne(row)) sent += 1;
        else failed += 1;
      }
      if (batch.length < 20) return { sent, failed };
    }
  }

  private async deliverOne(row: OutboundMessageRow): Promise<boolean> {
    const repo = this.o.repo.outcomes;
    try {
      if (!row.params) throw new NotifyError('The message was cleared before it was sent.', true);
      await this.o.notifier.send({
        channel: row.channel,
        template: row.template,
        to: row.recipient,
        params: row.params,
        reference: row.reference,
      });
      // A patient link is a secret: once it is sent, the hub forgets it.
      await repo.markMessageSent(row.id, this.o.now().toISOString(), row.template === 'patient-link');
      return true;
    } catch (error) {
      const attempt = row.attempts + 1;
      const permanent = error instanceof NotifyError && error.permanent;
      const retryAt =
        permanent || attempt >= (this.o.maxAttempts ?? 6)
          ? null
          : new Date(this.o.now().getTime() + retryDelayMinutes(attempt) * 60_000).toISOString();
      await repo.markMessageFailed(row.id, (error as Error).message, retryAt, this.o.now().toISOString());
      this.o.log?.(`message ${row.id} (${row.template}) attempt ${attempt} failed: ${(error as Error).message}`);
      return false;
    }
  }
}
