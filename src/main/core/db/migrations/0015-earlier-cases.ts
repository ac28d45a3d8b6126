import type { Migration } from '../migration';

/**
 * The patient's earlier cases as the hub sent them with a case (issue 15): read-only copies, one
 * row per (case, earlier case) in the hub's order, removed with the case that cited them (a case
 * purged, reassigned away). They are not cases of this workstation: no state, no draft, no
 * decision, never on the worklist. Their images go through the same content-addressed store as
 * any other; `earlier_case_images` says which originals they need, so retention keeps a file
 * while any case cites it and a sync fetches one that is missing.
 */
export const migration0015: Migration = {
  id: 15,
  name: 'earlier-cases',
  up(db) {
    db.exec(`
      CREATE TABLE earlier_cases (
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        earlier_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        entry_json TEXT NOT NULL,
        PRIMARY KEY (case_id, earlier_id)
      ) STRICT;
      CREATE TABLE earlier_case_images (
        case_id TEXT NOT NULL,
        earlier_id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        PRIMARY KEY (case_id, earlier_id, sha256),
        FOREIGN KEY (case_id, earlier_id) REFERENCES earlier_cases(case_id, earlier_id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX earlier_case_images_sha ON earlier_case_images(sha256);
    `);
  },
};
