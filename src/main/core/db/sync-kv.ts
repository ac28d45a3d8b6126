import type { z } from 'zod';
import { consultantRefSchema } from '../../../shared/domain/decision';
import { letterheadSchema, type Letterhead } from '../../../shared/domain/letterhead';
import type { Db } from './open-database';

/**
 * Non-secret sync bookkeeping in the cache's kv table: who is signed in (identity only, never
 * the token), the changes-feed cursor, when the last sync finished, and the service's letterhead
 * the hub gave at sign-in (for the letters this workstation writes). Kept in SQLite so it
 * moves with the cache and survives restarts.
 */
const KEYS = {
  consultant: 'sync.consultant',
  cursor: 'sync.cursor',
  lastSyncedAt: 'sync.last-synced-at',
  letterhead: 'sync.letterhead',
} as const;

export type ConsultantRef = z.infer<typeof consultantRefSchema>;

export class SyncKv {
  constructor(private readonly db: Db) {}

  private get(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  private set(key: string, value: string | null): void {
    if (value === null) this.db.prepare('DELETE FROM kv WHERE key = ?').run(key);
    else
      this.db
        .prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
        .run(key, value);
  }

  consultant(): ConsultantRef | null {
    const raw = this.get(KEYS.consultant);
    if (!raw) return null;
    const parsed = consultantRefSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  setConsultant(consultant: ConsultantRef | null): void {
    this.set(KEYS.consultant, consultant ? JSON.stringify(consultant) : null);
  }

  cursor(): number {
    return Number(this.get(KEYS.cursor) ?? 0);
  }

  setCursor(cursor: number): void {
    this.set(KEYS.cursor, String(cursor));
  }

  lastSyncedAt(): string | null {
    return this.get(KEYS.lastSyncedAt);
  }

  setLastSyncedAt(at: string): void {
    this.set(KEYS.lastSyncedAt, at);
  }

  /** The hub's letterhead from the last sign-in, or null (never signed in, or an older hub). */
  letterhead(): Letterhead | null {
    const raw = this.get(KEYS.letterhead);
    if (!raw) return null;
    try {
      const parsed = letterheadSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  setLetterhead(letterhead: Letterhead | null): void {
    this.set(KEYS.letterhead, letterhead ? JSON.stringify(letterhead) : null);
  }
}
