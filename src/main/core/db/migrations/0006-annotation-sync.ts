import type { Migration } from '../migration';

const OLD_KINDS = `kind IN ('decision', 'audit', 'pass-on')`;
const NEW_KINDS = `kind IN ('decision', 'audit', 'pass-on', 'annotations')`;

/**
 * The consultant's marks go to the hub: outbox rows of kind 'annotations', and per image the
 * hub version the local document was last in step with (`hub_version`, 0 = never on the hub),
 * which a save names as its base (If-Match).
 *
 * SQLite cannot alter a CHECK constraint in place, so the outbox is rebuilt from its own stored
 * definition with only the kind list widened: every column (including any a later feature
 * added), row, id and index is kept.
 */
export const migration0006: Migration = {
  id: 6,
  name: 'annotation-sync',
  up(db) {
    const table = db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'outbox'`).get() as
      { sql: string } | undefined;
    if (!table || !table.sql.includes(OLD_KINDS)) throw new Error('outbox table is not the expected shape');
    const indexes = db
      .prepare(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL`)
      .all() as { sql: string }[];
    const created = table.sql
      .replace(OLD_KINDS, NEW_KINDS)
      .replace(/^CREATE TABLE "?outbox"?/, 'CREATE TABLE outbox_new');
    db.exec(created);
    db.exec(`INSERT INTO outbox_new SELECT * FROM outbox; DROP TABLE outbox; ALTER TABLE outbox_new RENAME TO outbox;`);
    for (const index of indexes) db.exec(index.sql);
    db.exec(
      `ALTER TABLE image_annotations ADD COLUMN hub_version INTEGER NOT NULL DEFAULT 0 CHECK (hub_version >= 0);`,
    );
  },
};
