import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { AppError } from '../../../shared/contract/errors';
import type { Migration } from './migration';
import { migrations } from './migrations';
import { currentSchemaVersion, openDatabase } from './open-database';

describe('openDatabase', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let file: string;
  beforeEach(() => {
    dir = makeTempDir();
    file = join(dir.path, 'cache.sqlite');
  });
  afterEach(() => dir.remove());

  it('creates a fresh database in WAL mode with synchronous=FULL and every migration applied', () => {
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(currentSchemaVersion(db)).toBe(Math.max(...migrations.map((m) => m.id)));
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['cases', 'images', 'schema_migrations']));
    db.close();
  });

  it('reopening is idempotent: no migration runs twice and data is kept', () => {
    const first = openDatabase(file);
    first.prepare("INSERT INTO kv (key, value) VALUES ('probe', 'kept')").run();
    const applied = first.prepare('SELECT id, applied_at FROM schema_migrations').all();
    first.close();

    const second = openDatabase(file);
    expect(second.prepare('SELECT id, applied_at FROM schema_migrations').all()).toEqual(applied);
    expect(second.prepare("SELECT value FROM kv WHERE key = 'probe'").get()).toEqual({ value: 'kept' });
    second.close();
  });

  it('runs a later migration on an existing database, in order', () => {
    openDatabase(file).close();
    const next: Migration = {
      id: 999,
      name: 'add-probe',
      up: (db) => db.exec('CREATE TABLE probe (x INTEGER) STRICT'),
    };
    const db = openDatabase(file, { migrations: [...migrations, next] });
    expect(currentSchemaVersion(db)).toBe(999);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'probe'").get()).toBeTruthy();
    db.close();
  });

  it('applies a lower-numbered migration that landed after a higher one had run', () => {
    const later: Migration = { id: 900, name: 'later', up: (db) => db.exec('CREATE TABLE later_t (x INTEGER) STRICT') };
    const earlier: Migration = {
      id: 899,
      name: 'earlier',
      up: (db) => db.exec('CREATE TABLE earlier_t (x INTEGER) STRICT'),
    };
    openDatabase(file, { migrations: [...migrations, later] }).close();
    const db = openDatabase(file, { migrations: [...migrations, earlier, later] });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'earlier_t'").get()).toBeTruthy();
    db.close();
  });

  it('refuses a database written by newer code, with a clear message, and leaves it unchanged', () => {
    const newer: Migration = {
      id: 999,
      name: 'from-the-future',
      up: (db) => db.exec('CREATE TABLE future (x INTEGER) STRICT'),
    };
    openDatabase(file, { migrations: [...migrations, newer] }).close();
    const before = readFileSync(file);

    let thrown: unknown;
    try {
      openDatabase(file);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('schema-too-new');
    expect((thrown as AppError).message).toMatch(/newer DermDesk \(schema 999/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('rolls back a failing migration so the database stays at the last good version', () => {
    openDatabase(file).close();
    const broken: Migration = {
      id: 998,
      name: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half_done (x INTEGER) STRICT');
        throw new Error('boom');
      },
    };
    expect(() => openDatabase(file, { migrations: [...migrations, broken] })).toThrow('boom');
    const db = openDatabase(file);
    expect(currentSchemaVersion(db)).toBe(Math.max(...migrations.map((m) => m.id)));
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });

  it('gives a clear error for a file that is not a database', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, 'this is not sqlite '.repeat(100));
    expect(() => openDatabase(file)).toThrow(/not a readable database/);
  });

  describe('encrypted at rest', () => {
    const key = 'ab'.repeat(32);

    it('stores nothing readable without the key', async () => {
      const { readFileSync, readdirSync } = await import('node:fs');
      const db = openDatabase(file, { key });
      db.prepare("INSERT INTO kv (key, value) VALUES ('patient', 'LOVELACE, Ada 9434765919')").run();
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      for (const name of readdirSync(dir.path)) {
        const bytes = readFileSync(join(dir.path, name)).toString('latin1');
        expect(bytes, name).not.toContain('LOVELACE');
        expect(bytes, name).not.toContain('9434765919');
        expect(bytes, name).not.toContain('SQLite format 3');
      }
      const reopened = openDatabase(file, { key });
      expect(reopened.prepare("SELECT value FROM kv WHERE key = 'patient'").get()).toEqual({
        value: 'LOVELACE, Ada 9434765919',
      });
      reopened.close();
    });

    it('refuses a wrong or missing key with an actionable error', () => {
      openDatabase(file, { key }).close();
      expect(() => openDatabase(file, { key: 'cd'.repeat(32) })).toThrow(/cannot be read with the key/);
      expect(() => openDatabase(file)).toThrow(/not a readable database/);
      expect(() => openDatabase(file, { key: "x'; DROP TABLE kv; --" })).toThrow(/32 random bytes/);
    });
  });
});
