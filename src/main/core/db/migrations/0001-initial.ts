import type { Migration } from '../migration';

/**
 * The first cache schema. Cases are stored as the hub's JSON plus the columns the worklist
 * sorts and filters on; decisions, their outbox rows and audit rows live beside them so one
 * transaction can write all three.
 */
export const migration0001: Migration = {
  id: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        hub_version INTEGER NOT NULL,
        record_json TEXT NOT NULL,
        patient_name TEXT NOT NULL,
        nhs_number TEXT NOT NULL,
        practice_name TEXT NOT NULL,
        priority_rank INTEGER NOT NULL,
        priority TEXT NOT NULL,
        received_at TEXT NOT NULL,
        due_on TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'new',
        presenting_complaint TEXT NOT NULL,
        image_count INTEGER NOT NULL,
        cached_at TEXT NOT NULL,
        state_note TEXT
      ) STRICT;
      CREATE INDEX cases_worklist_order ON cases (priority_rank, due_on, received_at);

      CREATE TABLE images (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        sha256 TEXT NOT NULL,
        kind TEXT NOT NULL,
        media_type TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        position INTEGER NOT NULL,
        stored INTEGER NOT NULL DEFAULT 0,
        error TEXT
      ) STRICT;
      CREATE INDEX images_by_case ON images (case_id, position);

      CREATE TABLE kv (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
