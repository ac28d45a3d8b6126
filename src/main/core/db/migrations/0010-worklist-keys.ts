import type { Migration } from '../migration';

/**
 * Every worklist page straight from the full-text index, whatever the query (issue 16).
 *
 * Before, a search started from its FTS5 matches and then read each matching case's row (large:
 * the hub's JSON, in encrypted pages) to filter and sort them: "methotrexate" (14% of 100,000
 * cases) cost as much as a table scan. Now each case carries a `worklist_key`, one integer whose
 * order is the worklist order (priority, SLA due date, arrival; bit layout in
 * cases/worklist-key.ts), and the index stores each case under that key as its rowid, with its
 * filter flags as tokens of a `tags` column. A page is then "the first 100 rowids after the
 * cursor that match", which FTS5 answers walking its own doclists in rowid order, and a total is
 * a count over the same doclists: no case row is read except the 100 shown.
 *
 * The key is allocated by triggers, so every writer of `cases` (sync, signing, drafts, pass-on,
 * retention) keeps the worklist right without knowing about it, as the 0005 triggers did for
 * search. Ties (the same priority, due date and second of arrival) take the next free value of a
 * 13-bit counter; more than 8,192 such cases abort the write with a message.
 */
const prefix = (r: string) => `(
  (max(0, min(3, ${r}.priority_rank)) << 61) |
  (max(0, min(65535, CAST(julianday(${r}.due_on) - 2451544.5 AS INTEGER))) << 45) |
  (max(0, min(4294967295, coalesce(unixepoch(${r}.received_at), 946684800) - 946684800)) << 13)
)`;
const allocate = (r: string) => `coalesce(
  (SELECT max(worklist_key) + 1 FROM cases WHERE worklist_key BETWEEN ${prefix(r)} AND ${prefix(r)} + 8191),
  ${prefix(r)}
)`;
const full = (r: string) =>
  `(SELECT count(*) FROM cases WHERE worklist_key BETWEEN ${prefix(r)} AND ${prefix(r)} + 8191)`;

const referralText = (r: string) => `
  coalesce(json_extract(${r}.record_json, '$.referral.presentingComplaint'), '') || ' ' ||
  coalesce(json_extract(${r}.record_json, '$.referral.duration'), '') || ' ' ||
  coalesce(json_extract(${r}.record_json, '$.referral.evolution'), '') || ' ' ||
  coalesce(json_extract(${r}.record_json, '$.referral.site.description'), '') || ' ' ||
  coalesce(json_extract(${r}.record_json, '$.referral.symptoms'), '') || ' ' ||
  coalesce(json_extract(${r}.record_json, '$.referral.history'), '') || ' ' ||
  coalesce(json_extract(${r}.record_json, '$.referral.medication'), '')`;
const practiceText = (r: string) => `
  ${r}.practice_name || ' ' ||
  coalesce(json_extract(${r}.record_json, '$.practice.clinician'), '') || ' ' ||
  coalesce(json_extract(${r}.record_json, '$.practice.odsCode'), '')`;
/** The worklist filters as tokens (worklist-query.ts names them); searched only in this column. */
const tags = (r: string) => `
  (CASE WHEN ${r}.state IN ('passed-on', 'withdrawn') THEN 'hidden' ELSE 'visible' END) || ' ' ||
  (CASE WHEN ${r}.state IN ('new', 'draft', 'needs-review') THEN 'open' ELSE '' END) || ' ' ||
  (CASE ${r}.state WHEN 'needs-review' THEN 'needsreview' WHEN 'draft' THEN 'draft'
     WHEN 'signed-pending-sync' THEN 'awaitingsync' ELSE '' END) || ' ' ||
  (CASE WHEN ${r}.priority = 'suspected-cancer' THEN 'suspectedcancer' ELSE '' END) || ' ' ||
  (CASE WHEN ${r}.outcome_kind = 'more-information' THEN 'moreinfo' ELSE '' END)`;
/** The index row of case `c` (the table's current row, so the key is the one in place now). */
const indexRow = `
  INSERT INTO worklist_fts (rowid, patient_name, nhs_number, referral_text, practice, tags)
  SELECT c.worklist_key, c.patient_name, c.nhs_number, ${referralText('c')}, ${practiceText('c')}, ${tags('c')}
  FROM cases c WHERE c.rowid = new.rowid AND c.worklist_key IS NOT NULL;`;

export const migration0010: Migration = {
  id: 10,
  name: 'worklist-keys',
  up(db) {
    db.exec(`
      DROP TRIGGER cases_fts_insert;
      DROP TRIGGER cases_fts_delete;
      DROP TRIGGER cases_fts_update;
      DROP TABLE cases_fts;

      ALTER TABLE cases ADD COLUMN worklist_key INTEGER;
      CREATE UNIQUE INDEX cases_worklist_key ON cases (worklist_key);
      CREATE VIRTUAL TABLE worklist_fts USING fts5(
        patient_name, nhs_number, referral_text, practice, tags,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
      );

      -- A new case gets its key; the key's own trigger below then indexes it.
      CREATE TRIGGER worklist_key_on_insert AFTER INSERT ON cases BEGIN
        SELECT RAISE(ABORT, 'More than 8192 cases share a priority, due date and second of arrival.')
          WHERE ${full('new')} >= 8192;
        UPDATE cases SET worklist_key = ${allocate('new')} WHERE rowid = new.rowid;
      END;
      -- A case whose priority, due date or arrival moved gets a key in its new place.
      CREATE TRIGGER worklist_key_on_move AFTER UPDATE OF priority_rank, due_on, received_at ON cases
      WHEN old.worklist_key IS NULL OR (old.worklist_key >> 13) <> (${prefix('new')} >> 13)
      BEGIN
        SELECT RAISE(ABORT, 'More than 8192 cases share a priority, due date and second of arrival.')
          WHERE ${full('new')} >= 8192;
        UPDATE cases SET worklist_key = ${allocate('new')} WHERE rowid = new.rowid;
      END;
      CREATE TRIGGER worklist_fts_on_key AFTER UPDATE OF worklist_key ON cases BEGIN
        DELETE FROM worklist_fts WHERE rowid = old.worklist_key;
        ${indexRow}
      END;
      -- Text or filter flags changed. The key is read from the table (not new.worklist_key): when
      -- the same UPDATE also moved the case, the key trigger may already have given it a new one.
      CREATE TRIGGER worklist_fts_on_change
      AFTER UPDATE OF record_json, patient_name, nhs_number, practice_name, state, outcome_kind, priority ON cases
      BEGIN
        DELETE FROM worklist_fts WHERE rowid = (SELECT worklist_key FROM cases WHERE rowid = new.rowid);
        ${indexRow}
      END;
      CREATE TRIGGER worklist_fts_on_delete AFTER DELETE ON cases BEGIN
        DELETE FROM worklist_fts WHERE rowid = old.worklist_key;
      END;
    `);
    // Existing cases, in worklist order (so ties keep their arrival order): the move trigger
    // allocates each key and indexes the case.
    db.exec(`
      UPDATE cases SET received_at = received_at
      WHERE rowid IN (SELECT rowid FROM cases ORDER BY priority_rank, due_on, received_at, rowid);
    `);
  },
};
