import type { Db } from '../db/open-database';
import type { SealedJournal } from './sealed-journal';

export interface OutboxEntry {
  /** 'decision' | 'audit' | 'pass-on' (and any kind a later migration allows). */
  kind: string;
  refId: string;
  payload: unknown;
  /** Who queued it (signer, actor); 'system' for rows no consultant made. */
  consultantId: string;
  at: string;
}

/**
 * The one way a row enters the outbox. Call it inside the domain write's transaction: the row
 * is inserted there, and its sealed copy (encrypted to the hub, see sealed-journal.ts) is written
 * to disk before that transaction commits, so the row survives even the loss of the cache key.
 * `journal` is the cache's own (createCore opens it beside the cache and hands it to every writer);
 * null only where nothing is sealed: tools and unit tests that never lose a key.
 */
export function enqueueOutbox(db: Db, entry: OutboxEntry, journal: SealedJournal | null): void {
  const payloadJson = JSON.stringify(entry.payload);
  journal?.writePending(entry);
  db.prepare(`INSERT INTO outbox (kind, ref_id, payload_json, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)`).run(
    entry.kind,
    entry.refId,
    payloadJson,
    entry.at,
    entry.at,
  );
}
