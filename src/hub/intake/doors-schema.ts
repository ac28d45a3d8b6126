import type Database from 'better-sqlite3-multiple-ciphers';
import { runSqlMigrations, type SqlMigration } from '../store/run-sql-migrations';

/**
 * The schema of the hub's "other doors" (GP intake, patient links, practice inbox, feedback,
 * dashboard), in the hub's database but as its OWN numbered series, tracked in `doors_schema`.
 * A separate series cannot collide with the core's numbers. Frozen once shipped: add, never edit.
 */
const migrations: SqlMigration[] = [
  {
    id: 1,
    sql: `
    CREATE TABLE practice_accounts (
      user_id TEXT PRIMARY KEY REFERENCES users(id), ods_code TEXT NOT NULL, practice_name TEXT NOT NULL
    ) STRICT;
    CREATE INDEX practice_accounts_ods ON practice_accounts(ods_code);
    CREATE TABLE door_cases (
      case_id TEXT PRIMARY KEY REFERENCES cases(id), ods_code TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('json','fhir','web','patient-link')),
      submitted_by TEXT NOT NULL, created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX door_cases_ods ON door_cases(ods_code, created_at);
    CREATE TABLE outcome_acks (
      decision_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, user_id TEXT NOT NULL, at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE info_responses (
      id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id), decision_id TEXT NOT NULL,
      by TEXT NOT NULL, note TEXT NOT NULL, image_count INTEGER NOT NULL, at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE patient_links (
      id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, ods_code TEXT NOT NULL, created_by TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('new-referral','more-information')),
      case_id TEXT, draft_json TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
      spent_at TEXT, result_case_id TEXT
    ) STRICT;
    CREATE TABLE feedback (
      id TEXT PRIMARY KEY, at TEXT NOT NULL, source TEXT NOT NULL CHECK (source IN ('patient','practice')),
      ods_code TEXT, rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5), comment TEXT NOT NULL
    ) STRICT;
    CREATE TABLE upload_checks (
      id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, ok INTEGER NOT NULL,
      issues_json TEXT NOT NULL
    ) STRICT;
    CREATE TABLE door_audit (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
      subject TEXT, detail_json TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER door_audit_no_update BEFORE UPDATE ON door_audit
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    CREATE TRIGGER door_audit_no_delete BEFORE DELETE ON door_audit
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    `,
  },
];

export function migrateDoorsSchema(db: Database.Database): void {
  runSqlMigrations(db, 'doors_schema', migrations, "The hub's intake schema");
}
