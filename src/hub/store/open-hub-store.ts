import Database from 'better-sqlite3-multiple-ciphers';
import { chmodSync, closeSync, existsSync, openSync, realpathSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { HubRepository } from './hub-repository';
import { KyselyHubRepository } from './kysely/kysely-hub-repository';
import { SqliteImmediateDialect } from './kysely/sqlite-immediate-dialect';
import type { HubTables } from './kysely/tables';
import { postgresMigrations } from './migrations/postgres-migrations';
import { runPostgresMigrations } from './migrations/run-postgres-migrations';
import { migrateHubDatabase } from './migrations/sqlite-migrations';

/** Where the hub keeps its rows: one SQLite file (the default), or a PostgreSQL database. */
export type HubDatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolSize?: number };

// int8 (COUNT, BIGINT) and numeric (AVG) arrive from pg as strings; every such value the hub
// reads fits a double exactly (counts, epoch milliseconds), so parse them as numbers.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
};

/**
 * The SQLite file holds every referral: readable by the hub's user only. Created 0600 before
 * SQLite opens it (SQLite gives its -wal and -shm files the database file's mode), and tightened
 * when an older hub left it 0644.
 */
function privateDatabaseFile(file: string): void {
  if (file === ':memory:') return;
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

/** Opens the store, applies pending migrations (refusing a database newer than the code). */
export async function openHubStore(config: HubDatabaseConfig): Promise<HubRepository> {
  if (config.kind === 'sqlite') {
    privateDatabaseFile(config.file);
    const db = new Database(config.file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 10000');
      migrateHubDatabase(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return new KyselyHubRepository(
      new Kysely<HubTables>({ dialect: new SqliteImmediateDialect({ database: db, file: realpathSync(config.file) }) }),
      'sqlite',
    );
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize ?? 10,
    types: pgTypes as pg.CustomTypesConfig,
  });
  try {
    const client = await pool.connect();
    try {
      await runPostgresMigrations(client, postgresMigrations);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new KyselyHubRepository(new Kysely<HubTables>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
}

/** `postgres://…` / `postgresql://…` → PostgreSQL; anything else is refused with a clear message. */
export function databaseConfigFrom(url: string | undefined, sqliteFile: string): HubDatabaseConfig {
  if (!url) return { kind: 'sqlite', file: sqliteFile };
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  throw new Error('The database URL must start with postgres:// (leave it unset for the embedded SQLite file).');
}
