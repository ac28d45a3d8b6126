import type Database from 'better-sqlite3-multiple-ciphers';

export interface SqlMigration {
  id: number;
  sql: string;
}

/**
 * The migrations still to run, in order, given the ids already recorded (both engines' runners):
 * applied by presence, so a lower number that landed after a higher one still runs; a database
 * from a newer hub (a recorded id above every known one) is refused, naming `what`.
 */
export function pendingMigrations(
  done: ReadonlySet<number>,
  migrations: readonly SqlMigration[],
  what: string,
): SqlMigration[] {
  const applied = Math.max(0, ...done);
  const known = Math.max(...migrations.map((m) => m.id));
  if (applied > known)
    throw new Error(`${what} has schema ${applied}; this hub version knows ${known}. Update the hub.`);
  return [...migrations].sort((a, b) => a.id - b.id).filter((m) => !done.has(m.id));
}

/**
 * Runs numbered SQL migrations recorded in `table`: each is applied by presence (a lower number
 * that landed after a higher one still runs), a database from a newer hub is refused, and the
 * whole run is one IMMEDIATE transaction so two hub processes starting on one data dir cannot
 * both run a migration. `what` names the schema in the refusal message.
 */
export function runSqlMigrations(
  db: Database.Database,
  table: 'hub_schema' | 'doors_schema',
  migrations: readonly SqlMigration[],
  what: string,
): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT`);
  db.transaction(() => {
    const done = new Set((db.prepare(`SELECT id FROM ${table}`).all() as { id: number }[]).map((r) => r.id));
    for (const m of pendingMigrations(done, migrations, what)) {
      db.exec(m.sql);
      db.prepare(`INSERT INTO ${table} (id, applied_at) VALUES (?, ?)`).run(m.id, new Date().toISOString());
    }
  }).immediate();
}
