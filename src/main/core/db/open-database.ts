import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../../shared/contract/errors';
import type { Migration } from './migration';
import { migrations as appMigrations } from './migrations';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** Override the migration list (tests use this to simulate a newer schema). */
  migrations?: readonly Migration[];
  /** SQLCipher key; when set the file is encrypted at rest. */
  key?: string;
}

/**
 * Opens (creating if needed) a SQLite file with the durability DermDesk promises: WAL so readers
 * never block the writer, synchronous=FULL so a decision shown as saved survives power loss.
 * Runs pending migrations in one transaction each; refuses a database written by newer code.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  const migrations = options.migrations ?? appMigrations;
  const db = new Database(file);
  try {
    if (options.key !== undefined) {
      if (!/^[0-9a-f]{64}$/.test(options.key))
        throw new AppError('validation', 'The cache key must be 32 random bytes in hex.');
      // A raw hex key skips SQLCipher's passphrase KDF: the key is already random.
      db.pragma(`cipher='sqlcipher'`);
      db.pragma(`key="x'${options.key}'"`);
    }
    assertReadable(db, options.key !== undefined);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Fails early, with an actionable message, when the file is encrypted with another key (or is not SQLite). */
function assertReadable(db: Db, encrypted: boolean): void {
  try {
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
  } catch (error) {
    if (error instanceof Error && /not a database|file is encrypted/i.test(error.message)) {
      throw new AppError(
        'unavailable',
        encrypted
          ? 'The local cache cannot be read with the key in the system keychain (the keychain may have been reset).'
          : 'The local cache file is not a readable database.',
      );
    }
    throw error;
  }
}

export function currentSchemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(id) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

function migrate(db: Db, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL
  ) STRICT`);
  const known = migrations.length === 0 ? 0 : Math.max(...migrations.map((m) => m.id));
  const applied = currentSchemaVersion(db);
  if (applied > known) {
    throw new AppError(
      'schema-too-new',
      `This cache was written by a newer DermDesk (schema ${applied}, this version knows ${known}). ` +
        'Update DermDesk; the cache has not been changed.',
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
  // Apply by presence, not by "above the highest": a migration that landed with a lower number
  // after a higher one had run (parallel branches) must still run.
  const done = new Set((db.prepare('SELECT id FROM schema_migrations').all() as { id: number }[]).map((r) => r.id));
  for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
    if (done.has(m.id)) continue;
    db.transaction(() => {
      m.up(db);
      record.run(m.id, m.name, new Date().toISOString());
    })();
  }
}
