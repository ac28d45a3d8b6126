import { deriveSyncState, laterContact, type HubContact } from './sync-state';
import { hubAddressProblem } from './hub-address';
import { AppError } from '../../../shared/contract/errors';
import type { SyncProgress, SyncRunResult, SyncStatus } from '../../../shared/contract/sync-methods';
import {
  assignedResponseSchema,
  claimResponseSchema,
  loginResponseSchema,
  type ClaimResponse,
} from '../../../shared/hub-api/consultant-api';
import { appendAudit } from '../audit/audit-log';
import type { CaseCache } from '../cases/case-cache';
import type { Db } from '../db/open-database';
import type { EventBus } from '../events/event-bus';
import { ImageStore } from '../images/image-store';
import type { PartWriters } from '../images/part-writers';
import type { Logger } from '../logging/logger';
import { OutboxWorker } from '../outbox/outbox-worker';
import type { DeliveryReport, SealedDelivery } from '../outbox/sealed-delivery';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings';
import { applyChanges } from './apply-changes';
import { downloadCases, fetchCase, messageOf } from './download-cases';
import { HubClient, HubRequestError } from '../hub-client/hub-client';
import { storeCase } from './store-case';
import { SyncKv } from '../db/sync-kv';

/** The keychain account holding the hub token. Never written anywhere else. */
export const HUB_TOKEN_ACCOUNT = 'hub-token';

/** A hub the host started itself (demo data): its address and the demo consultant to prefill. */
export interface EmbeddedHubOptions {
  url: string;
  demoAccount?: { username: string; password: string };
}

export interface SyncEngineOptions {
  db: Db;
  events: EventBus;
  cases: CaseCache;
  settings: SettingsStore;
  secrets: SecretStore;
  dataDir: string;
  /** AES-256 key for cached image files (see crypto/file-cipher.ts). */
  imageKey: Buffer;
  now: () => Date;
  /** Where failed exchanges with the hub are logged (the core's logger port). */
  logger?: Logger | undefined;
  /** The hub this app started itself (demo data); used when no hub URL is configured. */
  embeddedHub?: EmbeddedHubOptions | undefined;
  /** The sealed outbox journal's delivery side (key loss); absent in cores built without it. */
  sealed?: SealedDelivery | undefined;
  /** Called for each newly stored original (e.g. to queue previews). */
  onImageStored?: ((sha256: string) => void) | undefined;
  /** Where downloaded images are hashed, encrypted and written (ImageStoreOptions.writers). */
  imageWriters?: PartWriters | undefined;
  requestTimeoutMs?: number;
  imageIdleTimeoutMs?: number;
  caseConcurrency?: number;
  imageConcurrency?: number;
}

/**
 * The workstation's side of sync: sign-in (token in the keychain only), claiming and
 * downloading batches, the changes feed, and the outbox worker that sends decisions back.
 * A failed sync only changes the status: the cache stays fully usable offline.
 */
export class SyncEngine {
  readonly outbox: OutboxWorker;
  readonly images: ImageStore;
  private readonly kv: SyncKv;
  /** The latest exchange with the hub (a sync run or an outbox send): the status derives from it. */
  private lastContact: HubContact | null = null;
  /** True from the start of a sync run until its result is recorded (not `running`, which clears later). */
  private syncing = false;
  private progress: SyncProgress | null = null;
  private running: Promise<SyncRunResult> | null = null;
  private token: string | null | undefined = undefined;
  private lastProgressEmit = 0;
  private progressTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: SyncEngineOptions) {
    this.kv = new SyncKv(o.db);
    // Whether the keychain still holds a token decides "signed in" after a restart (the test host's
    // keychain is memory: a restart forgets it). Read once now; sign-in, sign-out and a 401 keep it.
    void o.secrets.get(HUB_TOKEN_ACCOUNT).then(
      (token) => {
        if (this.token !== undefined) return;
        this.token = token;
        // A core closed before the keychain answered (a short-lived core, a crash test) has no
        // database left to derive a status from, and no window to tell.
        if (this.o.db.open) this.changed();
      },
      () => undefined,
    );
    this.images = new ImageStore({
      dataDir: o.dataDir,
      key: o.imageKey,
      transferConcurrency: o.imageConcurrency ?? 6,
      ...(o.imageIdleTimeoutMs ? { idleTimeoutMs: o.imageIdleTimeoutMs } : {}),
      ...(o.onImageStored ? { onStored: o.onImageStored } : {}),
      ...(o.imageWriters ? { writers: o.imageWriters } : {}),
    });
    this.outbox = new OutboxWorker({
      db: o.db,
      now: o.now,
      journal: o.sealed?.journal ?? null,
      client: () => this.client(),
      onChange: () => this.changed(),
      onSignedOut: () => void this.expireToken(),
      onContact: (contact) => this.recordContact(contact),
      onDecisionSynced: (change) => {
        const caseId = (
          o.db.prepare('SELECT case_id FROM decisions WHERE id = ?').get(change.decisionId) as
            { case_id: string } | undefined
        )?.case_id;
        if (caseId) o.events.emit('decision.sync-changed', { caseId, ...change });
        o.events.emit('worklist.changed', { reason: 'decision sync state' });
      },
    });
  }

  /** Late wiring for hosts that start the embedded hub in the background (Electron). */
  useEmbeddedHub(hub: EmbeddedHubOptions): void {
    this.o.embeddedHub = hub;
    this.changed();
  }

  hubUrl(): string | null {
    return this.o.settings.get().hubUrl ?? this.o.embeddedHub?.url ?? null;
  }

  private recordContact(contact: { ok: true } | { ok: false; unreachable: boolean; message: string }): void {
    if (!contact.ok)
      this.o.logger?.warn({ unreachable: contact.unreachable, reason: contact.message }, 'hub exchange failed');
    this.lastContact = laterContact(this.lastContact, { ...contact, at: this.o.now().toISOString() });
  }

  status(): SyncStatus {
    const issues = this.o.db
      .prepare(
        `SELECT d.id, d.case_id, d.sync_state, d.sync_note, d.signed_at, c.patient_name
         FROM decisions d JOIN cases c ON c.id = d.case_id
         WHERE d.sync_state IN ('needs-review', 'rejected') ORDER BY d.signed_at`,
      )
      .all() as Array<Record<string, string>>;
    const embedded = this.o.settings.get().hubUrl === null && this.o.embeddedHub !== undefined;
    const consultant = this.kv.consultant();
    const pendingDecisions = this.outbox.waitingDecisions();
    const lastSyncedAt = this.kv.lastSyncedAt();
    const derived = deriveSyncState({
      consultant: consultant !== null,
      token: this.token === undefined ? null : this.token !== null,
      running: this.syncing,
      hubConfigured: this.hubUrl() !== null,
      lastContact: this.lastContact,
      waitingDecisions: pendingDecisions,
      lastSyncedAt,
    });
    return {
      state: derived.state,
      label: derived.label,
      canSync: derived.canSync,
      hubUrl: this.hubUrl(),
      embeddedHub: embedded,
      consultant,
      lastSyncedAt,
      lastError: derived.problem,
      pendingDecisions,
      progress: this.progress,
      issues: issues.map((r) => ({
        decisionId: String(r['id']),
        caseId: String(r['case_id']),
        patientName: String(r['patient_name']),
        state: r['sync_state'] as 'needs-review' | 'rejected',
        note: String(r['sync_note'] ?? ''),
        signedAt: String(r['signed_at']),
      })),
      signInDefaults: embedded && this.o.embeddedHub?.demoAccount ? this.o.embeddedHub.demoAccount : null,
      cacheRecovery: this.o.sealed?.status() ?? null,
    };
  }

  /** The signed-in client, or null (no hub, no token). The token is read from the keychain once. */
  async client(): Promise<HubClient | null> {
    const baseUrl = this.hubUrl();
    // An address saved before plain http:// was refused is not used: nothing is sent to it.
    if (!baseUrl || hubAddressProblem(baseUrl)) return null;
    if (this.token === undefined) this.token = await this.o.secrets.get(HUB_TOKEN_ACCOUNT);
    if (!this.token) return null;
    return new HubClient({ baseUrl, token: this.token, ...this.timeouts() });
  }

  async signIn(input: { hubUrl?: string | undefined; username: string; password: string }): Promise<SyncStatus> {
    const hubUrl = input.hubUrl?.replace(/\/+$/, '') ?? this.hubUrl();
    if (!hubUrl) throw new AppError('validation', 'Enter the hub address to sign in.', 'hubUrl');
    const problem = hubAddressProblem(hubUrl);
    if (problem) throw new AppError('validation', problem, 'hubUrl');
    const anonymous = new HubClient({ baseUrl: hubUrl, ...this.timeouts() });
    let login;
    try {
      login = await anonymous.json('POST', '/auth/login', loginResponseSchema, {
        body: { username: input.username, password: input.password },
      });
    } catch (error) {
      throw toAppError(error, 'Sign-in');
    }
    if (hubUrl !== this.hubUrl()) this.o.settings.update({ hubUrl });
    const previous = this.kv.consultant();
    await this.o.secrets.set(HUB_TOKEN_ACCOUNT, login.value.token);
    this.token = login.value.token;
    // The sealing key first: the sign-in's own audit row below is sealed with it.
    await this.o.sealed?.fetchKey(new HubClient({ baseUrl: hubUrl, token: this.token, ...this.timeouts() }), hubUrl);
    this.o.db.transaction(() => {
      // Another consultant's feed position means nothing for this one.
      if (previous?.id !== login.value.consultant.id) this.kv.setCursor(0);
      this.kv.setConsultant(login.value.consultant);
      this.kv.setLetterhead(login.value.letterhead ?? null);
      appendAudit(
        this.o.db,
        { actor: login.value.consultant.id, caseId: null, action: 'consultant.signed-in', detail: { hubUrl } },
        this.o.now(),
        this.o.sealed?.journal ?? null,
      );
    })();
    this.recordContact({ ok: true });
    this.changed();
    await this.deliverSealed();
    return this.status();
  }

  /**
   * Key loss: hands the sealed journal of a cache that can no longer be read to the hub, which
   * applies it through its normal routes. Never fails a sign-in or a sync: what is not delivered
   * stays on disk and shows in status().cacheRecovery.
   */
  async deliverSealed(client?: HubClient | null): Promise<DeliveryReport | null> {
    const sealed = this.o.sealed;
    const hub = client ?? (await this.client());
    const me = this.kv.consultant();
    const hubUrl = this.hubUrl();
    if (!sealed || !hub || !me || !hubUrl) return null;
    try {
      if (sealed.needsKey(hubUrl)) await sealed.fetchKey(hub, hubUrl);
      return await sealed.deliver(hub, me.id);
    } catch {
      return null;
    } finally {
      this.changed();
    }
  }

  /** The consultant read the key-loss notice. */
  dismissCacheNotice(): SyncStatus {
    this.o.sealed?.dismiss();
    this.changed();
    return this.status();
  }

  async signOut(): Promise<SyncStatus> {
    const client = await this.client();
    if (client) await client.send('POST', '/auth/logout').catch(() => undefined);
    const consultant = this.kv.consultant();
    await this.o.secrets.delete(HUB_TOKEN_ACCOUNT);
    this.token = null;
    this.o.db.transaction(() => {
      if (consultant) {
        appendAudit(
          this.o.db,
          { actor: consultant.id, caseId: null, action: 'consultant.signed-out', detail: {} },
          this.o.now(),
          this.o.sealed?.journal ?? null,
        );
      }
      this.kv.setConsultant(null);
    })();
    this.lastContact = null;
    this.changed();
    return this.status();
  }

  /**
   * One sync: a lost cache's journal, then waiting decisions sent while the batch is claimed and
   * downloaded, then the changes feed. Concurrent calls share one run.
   */
  run(options: { claim: number }): Promise<SyncRunResult> {
    if (this.running) return this.running;
    this.running = this.doRun(options).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async doRun(options: { claim: number }): Promise<SyncRunResult> {
    const client = await this.client();
    if (!client) throw new AppError('forbidden', 'Sign in to the hub to sync.');
    this.syncing = true;
    this.setProgress({ phase: 'sending', casesDone: 0, casesTotal: 0, bytesDone: 0, bytesTotal: 0 }, true);
    try {
      // The image write worker starts now, while the round trips before the first image run.
      this.images.warm();
      // A lost cache's journal first: it is older than anything in this cache's outbox.
      await this.deliverSealed(client);
      // The outbox (decisions, audit rows: each a hub write with its own commit) is sent while
      // the batch downloads, not before it; the changes feed below, which sees the effects of
      // both, waits for both. A decided case the download refreshes meanwhile goes to review the
      // same way whichever lands first (storeCase, and the hub's 412 for a stale decision).
      // Settled into a value at once: its failure is answered below, never left unhandled.
      const sending = this.outbox.sendDue({ ignoreBackoff: true }).then(
        (sent) => ({ sent }),
        (error: unknown) => ({ error }),
      );
      let download: Awaited<ReturnType<typeof downloadCases>>;
      let claimed: ClaimResponse['cases'] = [];
      try {
        this.setProgress({ phase: 'claiming' }, true);
        if (options.claim > 0) {
          claimed = (
            await client.json('POST', '/batches/claim', claimResponseSchema, { body: { count: options.claim } })
          ).value.cases;
        }
        const assigned = (await client.json('GET', '/assigned', assignedResponseSchema)).value.cases;
        const wanted = new Map([...assigned, ...claimed].map((c) => [c.id, c]));
        download = await downloadCases(
          {
            db: this.o.db,
            cases: this.o.cases,
            images: this.images,
            client,
            caseConcurrency: this.o.caseConcurrency ?? 6,
            progress: (p) => this.setProgress(p, false),
            onStored: () => this.o.events.emit('worklist.changed', { reason: 'sync' }),
            onAnswered: (caseId) => this.o.events.emit('case.answered', { caseId }),
          },
          [...wanted.values()],
        );
      } catch (error) {
        // An ended session fails the send too; its answer (signed-out) is the clearer one.
        const outbox = await sending;
        if ('sent' in outbox && outbox.sent.stopped === 'signed-out') throw signedOut();
        if ('error' in outbox)
          this.o.logger?.warn(
            { reason: messageOf(outbox.error) },
            'sending the outbox failed beside a failed download',
          );
        throw error;
      }
      const outbox = await sending;
      if ('error' in outbox) throw outbox.error;
      const { sent } = outbox;
      if (sent.stopped === 'signed-out') throw signedOut();
      this.setProgress({ phase: 'changes' }, true);
      const changesApplied = await applyChanges({
        db: this.o.db,
        cases: this.o.cases,
        kv: this.kv,
        client,
        refresh: (caseId) => this.refreshCase(client, caseId),
      });
      if (changesApplied > 0) this.o.events.emit('worklist.changed', { reason: 'changes' });
      if (download.failures.length > 0) {
        const first = download.failures[0];
        throw new AppError(
          'unavailable',
          `${download.failures.length} case(s) could not be downloaded and were not cached: ${first?.message ?? ''}`,
        );
      }
      // The cases are cached and decisions were sent: a problem with an earlier case (shown only
      // for comparison) is a warning, not a failed sync. Failing here would fail every sync (the
      // next one tries again) and hide real trouble; it is logged and returned in plain words.
      const warnings = download.earlierProblems.map((p) => p.message);
      for (const p of download.earlierProblems)
        this.o.logger?.warn({ caseId: p.caseId, reason: p.message }, 'earlier case from the hub not cached');
      this.kv.setLastSyncedAt(this.o.now().toISOString());
      this.recordContact({ ok: true });
      this.setProgress({ phase: 'done' }, true);
      return {
        claimed: claimed.length,
        casesStored: download.stored.length,
        imagesStored: download.imagesStored,
        changesApplied,
        decisionsSent: sent.decisionsSent,
        ...(warnings.length > 0 ? { warnings } : {}),
      };
    } catch (error) {
      const appError = toAppError(error, 'Sync');
      this.recordContact({
        ok: false,
        unreachable: error instanceof HubRequestError && (error.kind === 'network' || error.kind === 'timeout'),
        message: appError.message,
      });
      if (error instanceof HubRequestError && error.status === 401) await this.expireToken();
      throw appError;
    } finally {
      this.syncing = false;
      this.progress = null;
      this.changed();
    }
  }

  private async refreshCase(client: HubClient, caseId: string): Promise<void> {
    let record;
    try {
      record = await fetchCase(client, caseId);
    } catch (error) {
      // Gone for us (reassigned, withdrawn meanwhile): the feed will say so; keep what we have.
      if (error instanceof HubRequestError && error.kind === 'http' && (error.status === 403 || error.status === 404))
        return;
      throw error;
    }
    const source = client.openImage.bind(client);
    for (const img of record.images) await this.images.ensure(img, source);
    // Earlier cases' images are tried; one that fails is fetched again by the next sync.
    for (const img of (record.earlierCases ?? []).flatMap((e) => e.images)) {
      await this.images.ensure(img, source).catch(() => undefined);
    }
    if (storeCase(this.o.db, this.o.cases, record).answered) this.o.events.emit('case.answered', { caseId });
  }

  private async expireToken(): Promise<void> {
    await this.o.secrets.delete(HUB_TOKEN_ACCOUNT);
    this.token = null;
    this.changed();
  }

  private setProgress(p: Partial<SyncProgress>, force: boolean): void {
    if (this.progress && p.bytesDone !== undefined && Object.keys(p).length === 1) {
      // The hot path (every received chunk): no allocation.
      this.progress.bytesDone = p.bytesDone;
    } else {
      this.progress = {
        phase: 'sending',
        casesDone: 0,
        casesTotal: 0,
        bytesDone: 0,
        bytesTotal: 0,
        ...this.progress,
        ...p,
      };
    }
    // Byte ticks are throttled to ~10 per second, with a trailing emit so the last figure always arrives.
    const now = Date.now();
    if (!force && p.phase === undefined && now - this.lastProgressEmit < 100) {
      this.progressTimer ??= setTimeout(() => {
        this.progressTimer = null;
        if (this.progress) this.setProgress({}, false);
      }, 100);
      return;
    }
    this.lastProgressEmit = now;
    this.o.events.emit('sync.progress', { ...this.progress });
    if (force) this.changed();
  }

  /** Tells every window the status changed (status bar, sync panel). */
  changed(): void {
    const status = this.status();
    this.o.events.emit('sync.status-changed', status);
  }

  private timeouts(): { timeoutMs?: number } {
    return this.o.requestTimeoutMs ? { timeoutMs: this.o.requestTimeoutMs } : {};
  }
}

function signedOut(): AppError {
  return new AppError('forbidden', 'Your hub session has ended. Sign in again.');
}

/** Turns a hub failure into a boundary error a consultant can act on. */
export function toAppError(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof HubRequestError) {
    if (error.kind === 'network' || error.kind === 'timeout')
      return new AppError('unavailable', `${what} failed: ${error.message} The local cache is still usable.`);
    if (error.kind === 'malformed')
      return new AppError('unavailable', `${what} failed: ${error.message} Nothing from it was cached.`);
    if (error.status === 401) return new AppError('forbidden', `${what} failed: ${error.message}`);
    return new AppError(
      error.status && error.status >= 500 ? 'unavailable' : 'validation',
      `${what} failed: ${error.message}`,
    );
  }
  return new AppError('unavailable', `${what} failed: ${messageOf(error)}`);
}
