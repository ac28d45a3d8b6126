import { randomUUID, createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import type { Db } from '../db/open-database';
import { fsyncDirSync } from '../../../common/fs/fsync-dir';
import { readSealedHeader, seal, type SealingPublicKey } from '../../../common/sealed-box/sealed-box';

/**
 * The sealed outbox journal: a copy of every outbox row, encrypted to the hub's public key, in
 * `<dataDir>/sealed-outbox/<journal id>/`. The journal id lives in the cache's kv table, so a
 * journal folder whose id is not the open cache's belongs to a cache that can no longer be read
 * (its key was lost): those are the entries to deliver from the journal itself.
 *
 * Two-phase names keep a rolled-back transaction from ever being delivered as signed: an entry
 * is written `<kind>~<ref>.pending` inside the transaction (fsynced, file and folder, before
 * commit) and renamed `.sealed` once the outbox row is known to be committed. On start,
 * `reconcile()` settles what a crash left: `.pending` with its row → `.sealed`; without → deleted;
 * `.sealed` whose row is gone (sent) → deleted.
 */
export const SEALED_DIR = 'sealed-outbox';
const JOURNAL_KV = 'sealed-outbox.journal-id';
const SAFE_REF = /^[A-Za-z0-9._-]{1,120}$/;

type RowProbe = { get(kind: string, ref: string): unknown };

export interface SealedEntryInput {
  kind: string;
  refId: string;
  consultantId: string;
  payload: unknown;
  at: string;
}

/** A journal entry of a lost cache, waiting to be delivered. */
export interface OrphanEntry {
  /** `<kind>~<ref>`: the file name without its state. */
  id: string;
  file: string;
  state: 'sealed' | 'unconfirmed';
  consultantId: string;
}

/** The file-name form of a reference id (a hash when it has characters a file name should not). */
export function safeRef(refId: string): string {
  return SAFE_REF.test(refId) ? refId : `h.${createHash('sha256').update(refId).digest('hex').slice(0, 40)}`;
}

function writeDurably(file: string, bytes: Buffer): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class SealedJournal {
  readonly id: string;
  readonly root: string;
  readonly dir: string;
  private readonly unsettled = new Set<string>();
  private settleQueued = false;

  constructor(
    private readonly db: Db,
    dataDir: string,
    /** The hub's sealing key, or null when this workstation has not fetched one yet. */
    private readonly recipient: () => SealingPublicKey | null,
  ) {
    this.root = join(dataDir, SEALED_DIR);
    const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(JOURNAL_KV) as { value: string } | undefined;
    this.id = row?.value ?? randomUUID();
    if (!row) db.prepare('INSERT INTO kv (key, value) VALUES (?, ?)').run(JOURNAL_KV, this.id);
    this.dir = join(this.root, this.id);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** True when entries can be sealed (the hub's public key is known). */
  canSeal(): boolean {
    return this.recipient() !== null;
  }

  /**
   * Writes `<kind>~<ref>.pending`, durably, from INSIDE the caller's transaction, before its
   * commit. A failure throws, so the transaction (and the signing) fails with it rather than
   * committing a row the journal does not hold.
   */
  writePending(entry: SealedEntryInput): void {
    const recipient = this.recipient();
    if (!recipient) return;
    const name = `${entry.kind}~${safeRef(entry.refId)}`;
    try {
      const box = seal(
        recipient,
        { kind: entry.kind, refId: safeRef(entry.refId), consultantId: entry.consultantId, createdAt: entry.at },
        { kind: entry.kind, refId: safeRef(entry.refId), consultantId: entry.consultantId, payload: entry.payload },
      );
      const tmp = join(this.dir, `${name}.tmp`);
      writeDurably(tmp, box);
      renameSync(tmp, join(this.dir, `${name}.pending`));
      fsyncDirSync(this.dir);
    } catch (error) {
      throw new AppError(
        'unavailable',
        `The sealed copy of this ${entry.kind} could not be written to disk (${(error as Error).message}); nothing was saved. Check the disk and try again.`,
      );
    }
    this.unsettled.add(name);
    this.queueSettle();
  }

  /** The outbox row was sent and deleted: its sealed copy has done its job. */
  forget(kind: string, refId: string): void {
    const name = `${kind}~${safeRef(refId)}`;
    this.unsettled.delete(name);
    for (const suffix of ['.sealed', '.pending']) {
      try {
        unlinkSync(join(this.dir, name + suffix));
      } catch {
        // Already gone (or never sealed: no hub key at the time).
      }
    }
  }

  /**
   * After the transaction: promote or drop each entry written since. Runs as a microtask, i.e.
   * after the synchronous transaction that wrote the entry has committed or rolled back. No
   * folder fsync: if the rename is lost in a crash, reconcile() promotes the `.pending` again.
   */
  settle(): void {
    this.settleQueued = false;
    if (!this.db.open) return;
    if (this.db.inTransaction) {
      // A transaction opened by hand (BEGIN) is still going: look again on the next turn.
      this.settleQueued = true;
      setImmediate(() => this.safeSettle());
      return;
    }
    const hasRow = this.db.prepare('SELECT 1 FROM outbox WHERE kind = ? AND ref_id = ?');
    for (const name of [...this.unsettled]) {
      this.unsettled.delete(name);
      this.settleOne(name, hasRow);
    }
  }

  /** Settles every file in this cache's journal folder against the outbox (at start-up). */
  reconcile(): { promoted: number; dropped: number; sent: number } {
    const result = { promoted: 0, dropped: 0, sent: 0 };
    const hasRow = this.db.prepare('SELECT 1 FROM outbox WHERE kind = ? AND ref_id = ?');
    for (const file of readdirSync(this.dir)) {
      const path = join(this.dir, file);
      if (file.endsWith('.tmp')) {
        unlinkSync(path);
        continue;
      }
      const m = /^(.+)\.(pending|sealed)$/.exec(file);
      if (!m?.[1]) continue;
      if (m[2] === 'pending') {
        if (this.settleOne(m[1], hasRow)) result.promoted++;
        else result.dropped++;
      } else if (!this.rowExists(m[1], hasRow)) {
        unlinkSync(path);
        result.sent++;
      }
    }
    return result;
  }

  /** Entries of journals whose cache is no longer this one (a lost key), oldest folder first. */
  orphans(readHeaders = true): OrphanEntry[] {
    if (!existsSync(this.root)) return [];
    const entries: OrphanEntry[] = [];
    for (const folder of readdirSync(this.root)) {
      if (folder === this.id) continue;
      const dir = join(this.root, folder);
      let files: string[];
      try {
        files = readdirSync(dir);
      } catch {
        continue;
      }
      for (const file of files.sort()) {
        const m = /^(.+)\.(pending|sealed)$/.exec(file);
        if (!m?.[1]) continue;
        const path = join(dir, file);
        let consultantId = '';
        try {
          if (readHeaders) consultantId = readSealedHeader(readFileSync(path)).header.consultantId;
        } catch {
          // Unreadable header: still offered to the hub, which names the problem.
        }
        entries.push({ id: m[1], file: path, state: m[2] === 'pending' ? 'unconfirmed' : 'sealed', consultantId });
      }
    }
    return entries;
  }

  /** Removes a delivered orphan entry, and its folder once empty. */
  removeOrphan(entry: OrphanEntry): void {
    try {
      unlinkSync(entry.file);
    } catch {
      return;
    }
    const dir = join(entry.file, '..');
    try {
      if (readdirSync(dir).every((f) => f.endsWith('.tmp'))) {
        for (const f of readdirSync(dir)) unlinkSync(join(dir, f));
        rmdirSync(dir);
      }
    } catch {
      // Another entry appeared or the folder is busy: it is removed on a later delivery.
    }
  }

  private rowExists(name: string, hasRow: RowProbe): boolean {
    const sep = name.indexOf('~');
    const kind = name.slice(0, sep);
    const ref = name.slice(sep + 1);
    if (hasRow.get(kind, ref)) return true;
    // A hashed file name: compare against the hashed form of each row of that kind.
    if (!ref.startsWith('h.')) return false;
    const rows = this.db.prepare('SELECT ref_id FROM outbox WHERE kind = ?').all(kind) as { ref_id: string }[];
    return rows.some((r) => safeRef(r.ref_id) === ref);
  }

  /** `.pending` → `.sealed` when its row committed, else deleted. Returns whether it was kept. */
  private settleOne(name: string, hasRow: RowProbe): boolean {
    const pending = join(this.dir, `${name}.pending`);
    if (!existsSync(pending)) return false;
    if (this.rowExists(name, hasRow)) {
      renameSync(pending, join(this.dir, `${name}.sealed`));
      return true;
    }
    unlinkSync(pending);
    return false;
  }

  private queueSettle(): void {
    if (this.settleQueued) return;
    this.settleQueued = true;
    queueMicrotask(() => this.safeSettle());
  }

  private safeSettle(): void {
    try {
      this.settle();
    } catch {
      // Left as .pending: reconcile() settles it at the next start.
    }
  }
}
