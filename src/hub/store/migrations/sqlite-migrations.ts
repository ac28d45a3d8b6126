import type Database from 'better-sqlite3-multiple-ciphers';
import { runSqlMigrations, type SqlMigration } from './run-sqlite-migrations';

/**
 * The hub's SQLite schema, as numbered migrations (frozen once shipped; add, never edit). The
 * PostgreSQL series (postgres-migrations.ts) has the same ids and the same tables, so one
 * repository (kysely-hub-repository.ts) runs on either. Decisions and audit events are
 * append-only: triggers refuse UPDATE and DELETE. Ids: 1-19 the hub's own, 20-29 hostile-input
 * work, 30-39 loop closing, 40-49 the regional hub.
 */
export const sqliteMigrations: SqlMigration[] = [
  {
    id: 1,
    sql: `
    CREATE TABLE users (
      id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('consultant','admin','gp-practice')),
      password_hash TEXT NOT NULL, created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE tokens (
      token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
      created_at TEXT NOT NULL, expires_at TEXT NOT NULL, revoked_at TEXT
    ) STRICT;
    CREATE INDEX tokens_user ON tokens(user_id);
    CREATE TABLE cases (
      id TEXT PRIMARY KEY, version INTEGER NOT NULL, record_json TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open','awaiting-information','decided','withdrawn')),
      priority_rank INTEGER NOT NULL, due_on TEXT NOT NULL, received_at TEXT NOT NULL,
      assigned_to TEXT REFERENCES users(id), lease_expires_at TEXT, batch_id TEXT,
      routed_to_subspecialty TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX cases_pool ON cases(status, assigned_to, priority_rank, due_on, received_at);
    CREATE TABLE case_images (
      case_id TEXT NOT NULL REFERENCES cases(id), sha256 TEXT NOT NULL, media_type TEXT NOT NULL,
      PRIMARY KEY (case_id, sha256)
    ) STRICT;
    CREATE INDEX case_images_sha ON case_images(sha256);
    CREATE TABLE assignments (
      case_id TEXT NOT NULL REFERENCES cases(id), consultant_id TEXT NOT NULL REFERENCES users(id),
      first_at TEXT NOT NULL, PRIMARY KEY (case_id, consultant_id)
    ) STRICT;
    CREATE TABLE pass_ons (
      id INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL REFERENCES cases(id),
      consultant_id TEXT NOT NULL, note TEXT NOT NULL, to_consultant TEXT, to_subspecialty TEXT, at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX pass_ons_case ON pass_ons(case_id, consultant_id);
    CREATE TABLE changes (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, consultant_id TEXT NOT NULL, case_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('withdrawn','updated','reassigned')),
      version INTEGER NOT NULL, at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX changes_consultant ON changes(consultant_id, seq);
    CREATE TABLE decisions (
      id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id), consultant_id TEXT NOT NULL,
      version INTEGER NOT NULL, supersedes TEXT REFERENCES decisions(id), payload_json TEXT NOT NULL,
      payload_hash TEXT NOT NULL, receipt_json TEXT NOT NULL, accepted_at TEXT NOT NULL,
      UNIQUE (case_id, version)
    ) STRICT;
    CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
      BEGIN SELECT RAISE(ABORT, 'signed decisions are immutable'); END;
    CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
      BEGIN SELECT RAISE(ABORT, 'signed decisions are immutable'); END;
    CREATE TABLE idempotency (
      user_id TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('in-flight','done')),
      status INTEGER, body TEXT, created_at TEXT NOT NULL, PRIMARY KEY (user_id, key)
    ) STRICT;
    CREATE TABLE audit_events (
      consultant_id TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
      case_id TEXT, action TEXT NOT NULL, detail_json TEXT NOT NULL, prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL, received_at TEXT NOT NULL, PRIMARY KEY (consultant_id, seq)
    ) STRICT;
    CREATE INDEX audit_case ON audit_events(case_id);
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    `,
  },
  {
    // A row arriving under a seq the hub already holds with another hash: kept as evidence
    // (a rewritten chain, or a workstation cache rebuilt after losing its key), never dropped.
    id: 2,
    sql: `
    CREATE TABLE audit_conflicts (
      id INTEGER PRIMARY KEY AUTOINCREMENT, consultant_id TEXT NOT NULL, seq INTEGER NOT NULL,
      row_json TEXT NOT NULL, received_at TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER audit_conflicts_no_update BEFORE UPDATE ON audit_conflicts
      BEGIN SELECT RAISE(ABORT, 'audit conflicts are append-only'); END;
    CREATE TRIGGER audit_conflicts_no_delete BEFORE DELETE ON audit_conflicts
      BEGIN SELECT RAISE(ABORT, 'audit conflicts are append-only'); END;
    `,
  },
  {
    // Entries delivered from a workstation's sealed outbox journal after it lost its cache key
    // (sealed-outbox-routes.ts): every opened entry and what became of it. needs-review and
    // unconfirmed rows wait for an operator (GET /api/v1/sealed-outbox/review). Append-only.
    id: 3,
    sql: `
    CREATE TABLE sealed_recoveries (
      id INTEGER PRIMARY KEY AUTOINCREMENT, consultant_id TEXT NOT NULL, kind TEXT NOT NULL,
      ref_id TEXT NOT NULL, payload_hash TEXT NOT NULL, payload_json TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('accepted','duplicate','needs-review','unconfirmed')),
      message TEXT NOT NULL, received_at TEXT NOT NULL,
      UNIQUE (consultant_id, kind, ref_id, payload_hash, outcome)
    ) STRICT;
    CREATE INDEX sealed_recoveries_outcome ON sealed_recoveries(outcome, id);
    CREATE TRIGGER sealed_recoveries_no_update BEFORE UPDATE ON sealed_recoveries
      BEGIN SELECT RAISE(ABORT, 'sealed recoveries are append-only'); END;
    CREATE TRIGGER sealed_recoveries_no_delete BEFORE DELETE ON sealed_recoveries
      BEGIN SELECT RAISE(ABORT, 'sealed recoveries are append-only'); END;
    `,
  },
  {
    // The consultant's marks per case image (sqlite-annotations.ts): the latest document and its
    // version (optimistic concurrency: a save names the version it was based on), with the
    // save id that wrote it so a resend of that same save is answered, not refused as stale.
    id: 4,
    sql: `
    CREATE TABLE image_annotations (
      case_id TEXT NOT NULL REFERENCES cases(id), sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      version INTEGER NOT NULL CHECK (version >= 1), doc_json TEXT NOT NULL CHECK (json_valid(doc_json)),
      save_id TEXT NOT NULL, saved_by TEXT NOT NULL, saved_at TEXT NOT NULL,
      PRIMARY KEY (case_id, sha256)
    ) STRICT;
    `,
  },
  {
    // The other doors' tables (GP intake, patient links, practice inbox, feedback), which until
    // now were their own series in doors_schema (id 1). IF NOT EXISTS: a database that ran that
    // series already has them, and this only records them in the hub's one series.
    id: 5,
    sql: `
    CREATE TABLE IF NOT EXISTS practice_accounts (
      user_id TEXT PRIMARY KEY REFERENCES users(id), ods_code TEXT NOT NULL, practice_name TEXT NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS practice_accounts_ods ON practice_accounts(ods_code);
    CREATE TABLE IF NOT EXISTS door_cases (
      case_id TEXT PRIMARY KEY REFERENCES cases(id), ods_code TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('json','fhir','web','patient-link')),
      submitted_by TEXT NOT NULL, created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS door_cases_ods ON door_cases(ods_code, created_at);
    CREATE TABLE IF NOT EXISTS outcome_acks (
      decision_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, user_id TEXT NOT NULL, at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE IF NOT EXISTS info_responses (
      id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id), decision_id TEXT NOT NULL,
      by TEXT NOT NULL, note TEXT NOT NULL, image_count INTEGER NOT NULL, at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE IF NOT EXISTS patient_links (
      id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, ods_code TEXT NOT NULL, created_by TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('new-referral','more-information')),
      case_id TEXT, draft_json TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
      spent_at TEXT, result_case_id TEXT
    ) STRICT;
    CREATE TABLE IF NOT EXISTS feedback (
      id TEXT PRIMARY KEY, at TEXT NOT NULL, source TEXT NOT NULL CHECK (source IN ('patient','practice')),
      ods_code TEXT, rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5), comment TEXT NOT NULL
    ) STRICT;
    CREATE TABLE IF NOT EXISTS upload_checks (
      id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, ok INTEGER NOT NULL,
      issues_json TEXT NOT NULL
    ) STRICT;
    CREATE TABLE IF NOT EXISTS door_audit (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
      subject TEXT, detail_json TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER IF NOT EXISTS door_audit_no_update BEFORE UPDATE ON door_audit
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    CREATE TRIGGER IF NOT EXISTS door_audit_no_delete BEFORE DELETE ON door_audit
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    `,
  },
  {
    // The consultant's GMC number (General Medical Council register, 7 digits): the practice's
    // inbox and the outcome letter name the signer by the hub's account, with this number.
    id: 20,
    sql: `
    ALTER TABLE users ADD COLUMN gmc_number TEXT
      CHECK (gmc_number IS NULL OR (length(gmc_number) = 7 AND gmc_number NOT GLOB '*[^0-9]*'));
    `,
  },
  {
    // Wrong answers to a patient link's identity check (date of birth), per link, as rows so
    // every hub process sharing the database counts the same guesses; the link locks at the
    // limit and the practice's inbox lists it (patient-links/patient-link-routes.ts).
    id: 21,
    sql: `
    CREATE TABLE patient_link_guards (
      link_id TEXT PRIMARY KEY, failures INTEGER NOT NULL CHECK (failures >= 0),
      last_failure_at TEXT NOT NULL, locked_at TEXT
    ) STRICT;
    `,
  },
  {
    // Closing the loop (src/hub/loop): each accepted decision is dispatched once (outcome_tracking,
    // keyed by decision: a second hub process finds the row and does nothing), which opens the
    // failsafe when the practice must act and queues the practice's email in outbound_messages
    // in the same transaction. Messages are rows, so a failed send is retried after a restart
    // and an operator can see it. practice_settings: the shared mailbox, the failsafe's working
    // days and the patient-copy opt-in, per ODS code.
    id: 30,
    sql: `
    CREATE TABLE practice_settings (
      ods_code TEXT PRIMARY KEY, mailbox TEXT, failsafe_working_days INTEGER NOT NULL DEFAULT 2
        CHECK (failsafe_working_days BETWEEN 1 AND 30),
      patient_copy INTEGER NOT NULL DEFAULT 0 CHECK (patient_copy IN (0, 1)), updated_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE outcome_tracking (
      decision_id TEXT PRIMARY KEY REFERENCES decisions(id), case_id TEXT NOT NULL REFERENCES cases(id),
      ods_code TEXT NOT NULL, needs_action INTEGER NOT NULL CHECK (needs_action IN (0, 1)),
      dispatched_at TEXT NOT NULL, due_on TEXT, acknowledged_at TEXT, acknowledged_by TEXT,
      escalated_at TEXT, closed_at TEXT, closed_reason TEXT
        CHECK (closed_reason IN ('acknowledged','answered','superseded','withdrawn'))
    ) STRICT;
    CREATE INDEX outcome_tracking_open ON outcome_tracking(needs_action, closed_at, due_on);
    CREATE INDEX outcome_tracking_practice ON outcome_tracking(ods_code, dispatched_at);
    CREATE TABLE outbound_messages (
      id TEXT PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE,
      channel TEXT NOT NULL CHECK (channel IN ('email','sms')),
      template TEXT NOT NULL, recipient TEXT NOT NULL, params_json TEXT CHECK (params_json IS NULL OR json_valid(params_json)),
      reference TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('pending','sent','failed')),
      attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL, claimed_until TEXT,
      last_error TEXT, created_at TEXT NOT NULL, sent_at TEXT
    ) STRICT;
    CREATE INDEX outbound_messages_due ON outbound_messages(status, next_attempt_at);
    `,
  },
  {
    // A region's hub: the practice and first-decision time as columns (the inbox and the
    // dashboard are indexed queries, never a scan of record_json), indexes for the lease sweep,
    // a consultant's leases, the door audit and answered requests, and rate-limit counters as
    // rows so every hub process on one database counts the same attempts.
    id: 40,
    sql: `
    ALTER TABLE cases ADD COLUMN practice_ods TEXT;
    ALTER TABLE cases ADD COLUMN first_decided_at TEXT;
    UPDATE cases SET practice_ods = json_extract(record_json, '$.practice.odsCode');
    UPDATE cases SET first_decided_at = (SELECT MIN(d.accepted_at) FROM decisions d WHERE d.case_id = cases.id);
    CREATE INDEX cases_practice ON cases(practice_ods, received_at);
    CREATE INDEX cases_lapsed ON cases(lease_expires_at) WHERE status = 'open' AND assigned_to IS NOT NULL;
    CREATE INDEX cases_holder ON cases(assigned_to, status);
    CREATE INDEX cases_received ON cases(received_at);
    CREATE INDEX info_responses_decision ON info_responses(decision_id);
    CREATE INDEX door_audit_subject ON door_audit(subject, seq);
    CREATE INDEX patient_links_case ON patient_links(case_id);
    CREATE TABLE rate_limits (
      bucket TEXT NOT NULL, key TEXT NOT NULL, window_start_ms INTEGER NOT NULL, count INTEGER NOT NULL,
      PRIMARY KEY (bucket, key)
    ) STRICT;
    CREATE INDEX rate_limits_window ON rate_limits(window_start_ms);
    `,
  },
  {
    // Accounts the operator manages (npm run hub -- admin): a deactivated account can neither sign
    // in nor use a token; an account whose password was set by the operator (new, or reset) must
    // choose its own at the next sign-in; a consultant's subspecialties (a JSON array of names).
    id: 65,
    sql: `
    ALTER TABLE users ADD COLUMN deactivated_at TEXT;
    ALTER TABLE users ADD COLUMN password_reset_at TEXT;
    ALTER TABLE users ADD COLUMN subspecialties TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(subspecialties));
    `,
  },
  {
    // Photographs streamed in through the upload doors (POST /uploads/photos, /patient-links/<t>/photos)
    // before the referral or answer that cites them: who uploaded each (a practice account or a
    // patient link; nobody else may cite it), what the checks found, and when it was first cited.
    // Never-cited rows older than a day are collected with their bytes (intake/stale-uploads.ts).
    id: 70,
    sql: `
    CREATE TABLE photo_uploads (
      id TEXT PRIMARY KEY, owner TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL,
      media_type TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL,
      created_at TEXT NOT NULL, used_at TEXT
    ) STRICT;
    CREATE INDEX photo_uploads_unused ON photo_uploads(created_at) WHERE used_at IS NULL;
    CREATE INDEX photo_uploads_sha256 ON photo_uploads(sha256);
    `,
  },
  {
    // The claim's pick (case-store.ts poolPick): the pool in clinical order, as a partial index
    // over exactly the pool. cases_pool lacked the id tie-break, so every claim sorted every open
    // case (about 200 ms at 10,000 cases on the bench machine); now it reads 5 index entries.
    id: 75,
    sql: `
    CREATE INDEX cases_pool_order ON cases(priority_rank, due_on, received_at, id) WHERE status = 'open' AND assigned_to IS NULL;
    `,
  },
  {
    // Prior cases (issue 15): the patient's VERIFIED NHS number (Modulus 11 passes; numbers come
    // from the referring practice, never typed by a patient) and date of birth as columns, indexed
    // by number and receipt, so a case's earlier cases are one range read, never a scan of
    // record_json. Backfilled from the records: a number failing the check stays NULL (unlinked).
    id: 85,
    sql: `
    ALTER TABLE cases ADD COLUMN verified_nhs_number TEXT;
    ALTER TABLE cases ADD COLUMN patient_birth_date TEXT;
    UPDATE cases SET verified_nhs_number = json_extract(record_json, '$.patient.nhsNumber'),
      patient_birth_date = json_extract(record_json, '$.patient.dateOfBirth');
    UPDATE cases SET verified_nhs_number = NULL WHERE verified_nhs_number IS NOT NULL AND NOT (
      CASE WHEN length(verified_nhs_number) = 10 AND verified_nhs_number NOT GLOB '*[^0-9]*'
      THEN (11 - (
            CAST(substr(verified_nhs_number, 1, 1) AS INTEGER) * 10
          + CAST(substr(verified_nhs_number, 2, 1) AS INTEGER) * 9
          + CAST(substr(verified_nhs_number, 3, 1) AS INTEGER) * 8
          + CAST(substr(verified_nhs_number, 4, 1) AS INTEGER) * 7
          + CAST(substr(verified_nhs_number, 5, 1) AS INTEGER) * 6
          + CAST(substr(verified_nhs_number, 6, 1) AS INTEGER) * 5
          + CAST(substr(verified_nhs_number, 7, 1) AS INTEGER) * 4
          + CAST(substr(verified_nhs_number, 8, 1) AS INTEGER) * 3
          + CAST(substr(verified_nhs_number, 9, 1) AS INTEGER) * 2
        ) % 11) % 11
        = CAST(substr(verified_nhs_number, 10, 1) AS INTEGER)
      ELSE 0 END);
    CREATE INDEX cases_patient ON cases(verified_nhs_number, received_at) WHERE verified_nhs_number IS NOT NULL;
    `,
  },
  {
    // Issued letters (issue: a signed letter never changes). What the practice's outcome letter
    // depends on is fixed when the hub accepts the decision, in the same transaction: the case
    // record, the consultant's marks the decision was signed with (or, from a workstation that
    // does not send them, the marks the hub held at that moment) and the letterhead in force.
    // The PDFs are rendered once, from that snapshot, and kept in the object store under their
    // SHA-256 (letter_sha256 / patient_copy_sha256; NULL until first rendered). attestation_json
    // is the hub's attestation (registered name, GMC number, receipt time) printed on the letter,
    // fixed at first render with the bytes.
    id: 90,
    sql: `
    CREATE TABLE issued_letters (
      decision_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, issued_at TEXT NOT NULL,
      record_json TEXT NOT NULL, marks_json TEXT NOT NULL, letterhead_json TEXT NOT NULL,
      attestation_json TEXT, letter_sha256 TEXT, patient_copy_sha256 TEXT
    ) STRICT;
    CREATE INDEX issued_letters_case ON issued_letters(case_id);
    CREATE INDEX issued_letters_letter ON issued_letters(letter_sha256);
    CREATE INDEX issued_letters_patient_copy ON issued_letters(patient_copy_sha256);
    `,
  },
];

export function migrateHubDatabase(db: Database.Database): void {
  runSqlMigrations(db, 'hub_schema', sqliteMigrations, 'This hub database');
}
