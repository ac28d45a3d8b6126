import type pg from 'pg';
import { pendingMigrations, type SqlMigration } from './run-sqlite-migrations';

/** Any fixed number: the advisory lock every hub process takes while it migrates. */
const MIGRATION_LOCK = 0x44_45_52_4d;

/**
 * PostgreSQL's twin of runSqlMigrations: one transaction holding an advisory lock (so several
 * hub processes starting together migrate once), each migration applied by presence, and a
 * database whose schema is newer than this code refused untouched.
 */
export async function runPostgresMigrations(
  client: pg.PoolClient | pg.Client,
  migrations: readonly SqlMigration[],
  what = 'This hub database',
): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS hub_schema (id INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const done = new Set(
      (await client.query<{ id: number }>('SELECT id FROM hub_schema')).rows.map((r) => Number(r.id)),
    );
    for (const m of pendingMigrations(done, migrations, what)) {
      await client.query(m.sql);
      await client.query('INSERT INTO hub_schema (id, applied_at) VALUES ($1, $2)', [m.id, new Date().toISOString()]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
