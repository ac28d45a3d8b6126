import type { Migration } from '../migration';

/**
 * Decisions, their drafts, the outbox that carries them to the hub, and the hash-chained audit
 * log. Signing writes a decision, its outbox row and its audit row in one transaction.
 */
export const migration0002: Migration = {
  id: 2,
  name: 'decisions-outbox-audit',
  up(db) {
    db.exec(`
      CREATE TABLE decisions (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        supersedes TEXT,
        decision_json TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        -- pending: in the outbox; synced: the hub accepted it; needs-review: 409/412 from the hub;
        -- rejected: any other 4xx. The last two are shown to the consultant, never dropped.
        sync_state TEXT NOT NULL DEFAULT 'pending'
          CHECK (sync_state IN ('pending', 'synced', 'needs-review', 'rejected')),
        sync_note TEXT,
        synced_at TEXT,
        UNIQUE (case_id, version)
      ) STRICT;

      CREATE TABLE decision_drafts (
        case_id TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
        draft_json TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('decision', 'audit', 'pass-on')),
        ref_id TEXT NOT NULL,
        payload_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        UNIQUE (kind, ref_id)
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (next_attempt_at, id);

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        case_id TEXT,
        action TEXT NOT NULL,
        detail_json TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
      ) STRICT;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
  },
};
