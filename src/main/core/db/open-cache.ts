import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';
import { openDatabase, type Db } from './open-database';

export interface OpenedCache {
  db: Db;
  /** Where an unreadable cache was moved (never deleted), or null when the cache opened normally. */
  movedAside: string | null;
}

/**
 * Everything encrypted with the cache key: the database and the image store (originals and
 * derivatives are encrypted with a key derived from it, and an image left in place would look
 * cached to sync but never decrypt, so it would never be fetched again or shown).
 */
const CACHE_ENTRIES = ['cache.sqlite', 'cache.sqlite-wal', 'cache.sqlite-shm', 'images', 'tmp'];

/**
 * Opens the workstation cache. If it cannot be read with the key from the keychain (the
 * keychain was reset, the profile restored elsewhere), the cache is a copy of the hub's data:
 * move the old files aside untouched, so nothing is destroyed and an administrator holding the
 * old key can still recover what was signed offline, and start a fresh cache to re-sync.
 * A database from newer code is NOT moved: that is refused as before. What the old cache still
 * had to send reaches the hub from the sealed outbox journal (core/outbox/sealed-journal.ts); the
 * fresh cache records the move (kv `cache.moved-aside`) so the consultant is told.
 */
export function openCache(dataDir: string, key: string | undefined, now: Date): OpenedCache {
  const file = join(dataDir, 'cache.sqlite');
  const options = key === undefined ? {} : { key };
  try {
    return { db: openDatabase(file, options), movedAside: null };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'unavailable' || !existsSync(file)) throw error;
    const aside = join(dataDir, 'unreadable', now.toISOString().replace(/[:.]/g, '-'));
    mkdirSync(aside, { recursive: true });
    for (const name of CACHE_ENTRIES) {
      if (existsSync(join(dataDir, name))) renameSync(join(dataDir, name), join(aside, name));
    }
    const db = openDatabase(file, options);
    // Remembered in the fresh cache, so the consultant is told even if the app restarts before
    // they see it (SealedDelivery.status; cleared when they dismiss the notice).
    db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
      'cache.moved-aside',
      JSON.stringify({ at: now.toISOString(), path: aside }),
    );
    return { db, movedAside: aside };
  }
}
