import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { runSqlMigrations } from './run-sqlite-migrations';

describe('runSqlMigrations', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let db: Database.Database;
  beforeEach(() => {
    dir = makeTempDir();
    db = new Database(join(dir.path, 'hub.sqlite'));
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });
  const tables = (): string[] =>
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
      (r) => r.name,
    );

  it('applies each migration once, by presence, in order', () => {
    runSqlMigrations(db, 'hub_schema', [{ id: 2, sql: 'CREATE TABLE b (x INTEGER) STRICT' }], 'Test');
    runSqlMigrations(
      db,
      'hub_schema',
      [
        { id: 1, sql: 'CREATE TABLE a (x INTEGER) STRICT' },
        { id: 2, sql: 'CREATE TABLE b (x INTEGER) STRICT' },
      ],
      'Test',
    );
    expect(tables()).toEqual(['a', 'b', 'hub_schema']);
  });

  it('refuses a database from a newer hub and rolls back a failing step', () => {
    runSqlMigrations(db, 'doors_schema', [{ id: 5, sql: 'CREATE TABLE e (x INTEGER) STRICT' }], 'Intake');
    expect(() => runSqlMigrations(db, 'doors_schema', [{ id: 1, sql: 'SELECT 1' }], 'Intake')).toThrow(
      'Intake has schema 5; this hub version knows 1. Update the hub.',
    );
    expect(() =>
      runSqlMigrations(
        db,
        'doors_schema',
        [
          { id: 5, sql: 'CREATE TABLE e (x INTEGER) STRICT' },
          { id: 6, sql: 'CREATE TABLE f (x INTEGER) STRICT; CREATE TABLE f (y INTEGER) STRICT' },
        ],
        'Intake',
      ),
    ).toThrow(/already exists/);
    expect(tables()).not.toContain('f');
  });
});
