import type { Migration } from '../migration';

/**
 * The worklist's other two orders (issue 12): by arrival and by patient name. Both page by keyset
 * like the clinical order (0010): the cursor is still the last row's `worklist_key`, and these
 * indexes hold each order's value beside the key, so a page walks the index from the cursor's
 * position (a row-value seek) and reads no case row except the ones shown.
 *
 * Arrival is read out of the key itself (its bits 13-44 are the second of arrival, see
 * cases/worklist-key.ts): no new column, no trigger, and equal to `received_at` to the second.
 * The name order folds ASCII case (NOCASE), as the family name is stored upper case and the
 * given name as written.
 */
export const migration0014: Migration = {
  id: 14,
  name: 'worklist-sort-indexes',
  up(db) {
    db.exec(`
      CREATE INDEX cases_by_arrival ON cases (((worklist_key >> 13) & 4294967295), worklist_key);
      CREATE INDEX cases_by_patient ON cases (patient_name COLLATE NOCASE, worklist_key);
    `);
  },
};
