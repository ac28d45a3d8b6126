import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from './index';
import { migration0006 } from './0006-annotation-sync';

/** A cache as it was before 0006 (migrations 1-5 applied by hand), with rows in the outbox. */
function before0006(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  for (const m of migrations.filter((x) => x.id < 6)) db.transaction(() => m.up(db))();
  const insert = db.prepare(
    `INSERT INTO outbox (kind, ref_id, payload_json, created_at, next_attempt_at, attempts, held, last_error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  insert.run('decision', 'd-1', '{"caseId":"c"}', '2026-11-23T10:00:00Z', '2026-11-23T10:00:00Z', 2, 1, '412');
  insert.run('audit', 'a-7', '{"seq":7}', '2026-11-23T10:01:00Z', '2026-11-23T10:05:00Z', 0, 0, null);
  db.prepare(
    `INSERT INTO image_annotations (image_sha256, doc_json, schema_version, revision, updated_at)
     VALUES (?, '{}', 1, 3, '2026-11-23T10:00:00Z')`,
  ).run('a'.repeat(64));
  return db;
}

let db: Database.Database | null = null;
afterEach(() => db?.close());

describe('migration 0006 (annotation sync)', () => {
  it('keeps every outbox row, id, column and index, and now accepts the annotations kind', () => {
    db = before0006();
    const rows = db.prepare('SELECT * FROM outbox ORDER BY id').all();
    db.transaction(() => migration0006.up(db as Database.Database))();
    expect(db.prepare('SELECT * FROM outbox ORDER BY id').all()).toEqual(rows);
    expect(
      db
        .prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL`)
        .all(),
    ).toEqual([{ name: 'outbox_due' }]);
    db.prepare(
      `INSERT INTO outbox (kind, ref_id, payload_json, created_at, next_attempt_at) VALUES ('annotations', 'x', '{}', 't', 't')`,
    ).run();
    // New ids continue after the old ones (AUTOINCREMENT survived the rebuild).
    expect((db.prepare(`SELECT id FROM outbox WHERE ref_id = 'x'`).get() as { id: number }).id).toBeGreaterThan(2);
    // Still a closed list, and still one row per kind and reference.
    expect(() =>
      db
        ?.prepare(
          `INSERT INTO outbox (kind, ref_id, payload_json, created_at, next_attempt_at) VALUES ('x', 'y', '{}', 't', 't')`,
        )
        .run(),
    ).toThrow(/CHECK constraint/);
    expect(() =>
      db
        ?.prepare(
          `INSERT INTO outbox (kind, ref_id, payload_json, created_at, next_attempt_at) VALUES ('annotations', 'x', '{}', 't', 't')`,
        )
        .run(),
    ).toThrow(/UNIQUE/);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('gives existing annotation documents hub version 0 (never on the hub)', () => {
    db = before0006();
    db.transaction(() => migration0006.up(db as Database.Database))();
    expect(db.prepare('SELECT revision, hub_version FROM image_annotations').get()).toEqual({
      revision: 3,
      hub_version: 0,
    });
  });

  it('refuses an outbox table of an unexpected shape rather than guessing', () => {
    db = new Database(':memory:');
    db.exec(`CREATE TABLE outbox (id INTEGER PRIMARY KEY, kind TEXT NOT NULL);
             CREATE TABLE image_annotations (image_sha256 TEXT PRIMARY KEY);`);
    expect(() => migration0006.up(db as Database.Database)).toThrow(/not the expected shape/);
  });
});
