import type { Migration } from '../migration';

/**
 * Triage worklist: an FTS5 index over patient name, NHS number, referral text and practice (kept
 * in step with `cases` by triggers, so every writer of `cases` keeps search correct without
 * knowing about it), the last signed outcome per case (for the "needs more information" filter)
 * and an index for the state filters.
 */
const referralText = (row: 'new' | 'c') => `
  coalesce(json_extract(${row}.record_json, '$.referral.presentingComplaint'), '') || ' ' ||
  coalesce(json_extract(${row}.record_json, '$.referral.duration'), '') || ' ' ||
  coalesce(json_extract(${row}.record_json, '$.referral.evolution'), '') || ' ' ||
  coalesce(json_extract(${row}.record_json, '$.referral.site.description'), '') || ' ' ||
  coalesce(json_extract(${row}.record_json, '$.referral.symptoms'), '') || ' ' ||
  coalesce(json_extract(${row}.record_json, '$.referral.history'), '') || ' ' ||
  coalesce(json_extract(${row}.record_json, '$.referral.medication'), '')`;
const practiceText = (row: 'new' | 'c') => `
  ${row}.practice_name || ' ' ||
  coalesce(json_extract(${row}.record_json, '$.practice.clinician'), '') || ' ' ||
  coalesce(json_extract(${row}.record_json, '$.practice.odsCode'), '')`;

export const migration0005: Migration = {
  id: 5,
  name: 'triage-worklist',
  up(db) {
    db.exec(`
      ALTER TABLE cases ADD COLUMN outcome_kind TEXT;
      CREATE INDEX cases_state ON cases (state, priority_rank, due_on, received_at);

      CREATE VIRTUAL TABLE cases_fts USING fts5(
        patient_name, nhs_number, referral_text, practice,
        tokenize = 'unicode61 remove_diacritics 2'
      );
      INSERT INTO cases_fts (rowid, patient_name, nhs_number, referral_text, practice)
        SELECT c.rowid, c.patient_name, c.nhs_number, ${referralText('c')}, ${practiceText('c')} FROM cases c;

      CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
        INSERT INTO cases_fts (rowid, patient_name, nhs_number, referral_text, practice)
        VALUES (new.rowid, new.patient_name, new.nhs_number, ${referralText('new')}, ${practiceText('new')});
      END;
      CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
        DELETE FROM cases_fts WHERE rowid = old.rowid;
      END;
      CREATE TRIGGER cases_fts_update AFTER UPDATE OF record_json, patient_name, nhs_number, practice_name ON cases
      BEGIN
        DELETE FROM cases_fts WHERE rowid = old.rowid;
        INSERT INTO cases_fts (rowid, patient_name, nhs_number, referral_text, practice)
        VALUES (new.rowid, new.patient_name, new.nhs_number, ${referralText('new')}, ${practiceText('new')});
      END;
    `);
  },
};
