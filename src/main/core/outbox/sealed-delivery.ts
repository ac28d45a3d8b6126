import { readFileSync } from 'node:fs';
import type { CacheRecovery } from '../../../shared/contract/sync-methods';
import {
  sealedUploadResponseSchema,
  sealingKeyResponseSchema,
  type SealedUploadRequest,
} from '../../../shared/hub-api/sealed-outbox';
import type { Db } from '../db/open-database';
import type { SettingsStore } from '../settings/settings';
import type { HubClient } from '../hub-client/hub-client';
import { keyIdOf, type SealingPublicKey } from '../../../common/sealed-box/sealed-box';
import { SealedJournal, type OrphanEntry } from './sealed-journal';

/** Set by openCache when it moved an unreadable cache aside: JSON { at, path }. */
export const MOVED_ASIDE_KV = 'cache.moved-aside';
const RECOVERY_KV = 'sealed-outbox.recovery';
/** Stay well inside the hub's 256 KiB body limit. */
const BATCH_BYTES = 192 * 1024;
const BATCH_ENTRIES = 200;

interface Counters {
  delivered: number;
  decisionsDelivered: number;
  heldForReview: number;
  problem: string | null;
}

export interface DeliveryReport {
  delivered: number;
  decisionsDelivered: number;
  heldForReview: number;
  rejected: number;
  retry: number;
  /** Entries left for another consultant to deliver (signed by them on this computer). */
  skipped: number;
}

/** The hub's sealing key from settings, if it was fetched. */
export function sealingKeyFromSettings(settings: SettingsStore): SealingPublicKey | null {
  const stored = settings.get().hubSealingKey;
  if (!stored) return null;
  const raw = Buffer.from(stored.publicKey, 'base64');
  if (raw.length !== 32 || keyIdOf(raw) !== stored.keyId) return null;
  return { raw, keyId: stored.keyId };
}

/**
 * The workstation's side of key loss: fetches and keeps the hub's sealing key, delivers the
 * journal entries of a cache that can no longer be read (POST /sealed-outbox), deletes each entry
 * the hub acknowledged, and keeps the figures the consultant is told about.
 */
export class SealedDelivery {
  constructor(
    private readonly db: Db,
    /** The cache's journal: createCore hands it to every writer that queues an outbox row. */
    readonly journal: SealedJournal,
    private readonly settings: SettingsStore,
  ) {}

  /** Fetches the hub's sealing key into settings (public, not secret). A hub without one is tolerated. */
  async fetchKey(client: HubClient, hubUrl: string): Promise<boolean> {
    const current = this.settings.get().hubSealingKey;
    try {
      const { value } = await client.json('GET', '/sealing-key', sealingKeyResponseSchema);
      const raw = Buffer.from(value.publicKey, 'base64');
      if (raw.length !== 32 || keyIdOf(raw) !== value.keyId) return false;
      if (current?.hubUrl !== hubUrl || current.keyId !== value.keyId)
        this.settings.update({ hubSealingKey: { hubUrl, keyId: value.keyId, publicKey: value.publicKey } });
      return true;
    } catch {
      // An older hub, or the network: entries are sealed once a key is known; sync goes on.
      return false;
    }
  }

  needsKey(hubUrl: string): boolean {
    return this.settings.get().hubSealingKey?.hubUrl !== hubUrl;
  }

  /** Delivers every orphaned entry that `consultantId` may deliver. */
  async deliver(client: HubClient, consultantId: string): Promise<DeliveryReport> {
    const report: DeliveryReport = {
      delivered: 0,
      decisionsDelivered: 0,
      heldForReview: 0,
      rejected: 0,
      retry: 0,
      skipped: 0,
    };
    const all = this.journal.orphans();
    // An unreadable header goes too: the hub names the problem, and the file stays on disk.
    const mine = all.filter(
      (e) =>
        e.consultantId === consultantId ||
        e.consultantId === '' ||
        (e.id.startsWith('audit~') && e.consultantId === 'system'),
    );
    report.skipped = all.length - mine.length;
    const counters = this.counters();
    for (const batch of batches(mine)) {
      const body: SealedUploadRequest = {
        entries: batch.map((b) => ({ id: b.entry.id, state: b.entry.state, box: b.box })),
      };
      const { value } = await client.json('POST', '/sealed-outbox', sealedUploadResponseSchema, { body });
      const byId = new Map(batch.map((b) => [b.entry.id, b.entry]));
      for (const result of value.results) {
        const entry = byId.get(result.id);
        if (!entry) continue;
        if (result.outcome === 'rejected' || result.outcome === 'retry') {
          report[result.outcome]++;
          counters.problem = result.message;
          continue;
        }
        if (result.outcome === 'needs-review') {
          report.heldForReview++;
          counters.heldForReview++;
        } else {
          report.delivered++;
          counters.delivered++;
          if (entry.id.startsWith('decision~') && entry.state === 'sealed') {
            report.decisionsDelivered++;
            counters.decisionsDelivered++;
          }
        }
        this.journal.removeOrphan(entry);
      }
    }
    if (report.rejected === 0 && report.retry === 0 && mine.length > 0) counters.problem = null;
    this.save(counters);
    return report;
  }

  /** What the consultant is told; null when there is nothing to tell. */
  status(): CacheRecovery | null {
    const moved = this.kv(MOVED_ASIDE_KV);
    const orphans = this.journal.orphans(false);
    if (!moved && orphans.length === 0) return null;
    const counters = this.counters();
    return {
      movedAsideAt: moved ? ((JSON.parse(moved) as { at?: string }).at ?? null) : null,
      waiting: orphans.length,
      waitingDecisions: orphans.filter((o) => o.id.startsWith('decision~')).length,
      ...counters,
    };
  }

  /** The consultant read the notice. Figures reset; entries still waiting keep it shown. */
  dismiss(): void {
    this.db.prepare('DELETE FROM kv WHERE key IN (?, ?)').run(MOVED_ASIDE_KV, RECOVERY_KV);
  }

  private counters(): Counters {
    const raw = this.kv(RECOVERY_KV);
    const base: Counters = { delivered: 0, decisionsDelivered: 0, heldForReview: 0, problem: null };
    return raw ? { ...base, ...(JSON.parse(raw) as Partial<Counters>) } : base;
  }

  private save(c: Counters): void {
    this.db
      .prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(RECOVERY_KV, JSON.stringify(c));
  }

  private kv(key: string): string | null {
    return (
      (this.db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null
    );
  }
}

function* batches(entries: OrphanEntry[]): Generator<{ entry: OrphanEntry; box: string }[]> {
  let batch: { entry: OrphanEntry; box: string }[] = [];
  let bytes = 0;
  // Two lost caches can both hold e.g. audit~1: ids must be unique within one request.
  let ids = new Set<string>();
  for (const entry of entries) {
    let box: string;
    try {
      box = readFileSync(entry.file).toString('base64');
    } catch {
      continue; // Delivered meanwhile by another run.
    }
    if (batch.length > 0 && (bytes + box.length > BATCH_BYTES || batch.length >= BATCH_ENTRIES || ids.has(entry.id))) {
      yield batch;
      batch = [];
      bytes = 0;
      ids = new Set();
    }
    ids.add(entry.id);
    batch.push({ entry, box });
    bytes += box.length + 100;
  }
  if (batch.length > 0) yield batch;
}

/**
 * Opens this cache's journal (creating its id on first use), settles what a crash left, and
 * returns the delivery side, whose `journal` the caller passes to every writer of outbox rows.
 */
export function openSealedOutbox(db: Db, dataDir: string, settings: SettingsStore): SealedDelivery {
  const journal = new SealedJournal(db, dataDir, () => sealingKeyFromSettings(settings));
  journal.reconcile();
  return new SealedDelivery(db, journal, settings);
}
