import type { WorklistSort } from '../../../shared/contract/worklist-methods';

/**
 * The worklist's SQL, one statement per shape. Every order pages by keyset over the full-text
 * index of migration 0010 (the filters are its `tags` tokens, a search its text columns):
 *
 * - `priority`: the index's rowids are the worklist keys, so a page is the first N matching
 *   rowids after the cursor, walked inside FTS5's doclists.
 * - `received` and `patient` (migration 0014): the order's index holds (value, key); a page
 *   walks it from the cursor's (value, key) with a row-value seek. Which side drives depends on
 *   how many cases match: a dense match (a filter, a common word) walks the order index and keeps
 *   the keys FTS5 matches (most do, so few are passed over); a sparse one (a name) takes the few
 *   matching keys from FTS5 and sorts only those.
 */

/** The columns a worklist row shows, from `cases c` (age, sex and consent from the hub's record). */
export const rowColumns = `c.worklist_key, c.id, c.patient_name, c.nhs_number, c.practice_name, c.priority,
  c.received_at, c.due_on, c.state, c.presenting_complaint, c.image_count,
  json_extract(c.record_json, '$.patient.dateOfBirth') AS date_of_birth,
  json_extract(c.record_json, '$.patient.sex') AS sex,
  coalesce(json_extract(c.record_json, '$.referral.consent.given'), 0) AS consent_given,
  (SELECT i.sha256 FROM images i WHERE i.case_id = c.id ORDER BY i.position LIMIT 1) AS first_sha256,
  -- Back to triage because the referrer answered the case's latest decision (store-case.ts).
  CASE WHEN c.state IN ('new', 'draft', 'needs-review')
        AND json_extract(c.record_json, '$.informationAnswers[#-1].decisionId') =
            (SELECT d.id FROM decisions d WHERE d.case_id = c.id ORDER BY d.version DESC LIMIT 1)
       THEN json_extract(c.record_json, '$.informationAnswers[#-1].from') END AS answer_from`;

export const countSql = `SELECT count(*) AS n FROM worklist_fts WHERE worklist_fts MATCH @match AND rowid BETWEEN @from AND @to`;

export const priorityPageSql = `
  SELECT ${rowColumns}
  FROM (SELECT rowid AS k FROM worklist_fts WHERE worklist_fts MATCH @match AND rowid BETWEEN @from AND @to
        ORDER BY rowid LIMIT @limit OFFSET @skip) f
  CROSS JOIN cases c ON c.worklist_key = f.k
  ORDER BY f.k`;

type OtherSort = Exclude<WorklistSort, 'priority'>;

/** Each order's value of case `c`, written exactly as in its index (0014) so SQLite uses it. */
const orderValue: Record<OtherSort, string> = {
  received: '((c.worklist_key >> 13) & 4294967295)',
  patient: 'c.patient_name COLLATE NOCASE',
};
const orderIndex: Record<OtherSort, string> = { received: 'cases_by_arrival', patient: 'cases_by_patient' };

/** Where the first page starts: below every value of the order. */
export const orderStart: Record<OtherSort, number | string> = { received: -1, patient: '' };

/** The order's value of the case holding a cursor key (the cursor is the key alone, in every order). */
export function cursorValueSql(sort: OtherSort): string {
  return `SELECT ${orderValue[sort]} AS v FROM cases c WHERE c.worklist_key = @after`;
}

/** `rowid` inside the key ranges @from0..@toN (one range, or the four of "overdue"). */
function inRanges(column: string, ranges: number): string {
  return Array.from({ length: ranges }, (_, i) => `${column} BETWEEN @from${i} AND @to${i}`).join(' OR ');
}

/**
 * (value, key) after the cursor's (@v, @k). Spelt out rather than as a row value: SQLite seeks an
 * index on an expression (and on a collated column) with `value >= @v`, not with a row value.
 */
function after(value: string, key: string): string {
  return `${value} >= @v AND (${value} > @v OR ${key} > @k)`;
}

/**
 * Dense: walk the order's index from the cursor, keep the keys FTS5 matches, read only the page's
 * rows. With `probe` each key passed is one FTS5 lookup (cheap for the filters' tag tokens, and
 * nothing is built); without it the matches are gathered once per page into a temporary set
 * (a search's prefix terms cost too much to look up key by key: 0.4 ms each at 100,000 cases).
 */
export function densePageSql(sort: OtherSort, ranges: number, probe: boolean): string {
  return `
  SELECT ${rowColumns}
  FROM (SELECT o.worklist_key AS k FROM cases o INDEXED BY ${orderIndex[sort]}
        WHERE ${after(orderValue[sort].replaceAll('c.', 'o.'), 'o.worklist_key')}
          AND (${inRanges('o.worklist_key', ranges)})
          AND ${
            probe
              ? 'EXISTS (SELECT 1 FROM worklist_fts WHERE worklist_fts MATCH @match AND rowid = o.worklist_key)'
              : 'o.worklist_key IN (SELECT rowid FROM worklist_fts WHERE worklist_fts MATCH @match)'
          }
        ORDER BY ${orderValue[sort].replaceAll('c.', 'o.')}, o.worklist_key LIMIT @limit OFFSET @skip) f
  CROSS JOIN cases c ON c.worklist_key = f.k
  ORDER BY ${orderValue[sort]}, c.worklist_key`;
}

/** Sparse: the matching keys from FTS5, their rows sorted by the order (few: see SPARSE_MATCHES). */
export function sparsePageSql(sort: OtherSort, ranges: number): string {
  return `
  SELECT ${rowColumns}
  FROM (SELECT rowid AS k FROM worklist_fts WHERE worklist_fts MATCH @match AND (${inRanges('rowid', ranges)})) f
  CROSS JOIN cases c ON c.worklist_key = f.k
  WHERE ${after(orderValue[sort], 'c.worklist_key')}
  ORDER BY ${orderValue[sort]}, c.worklist_key LIMIT @limit OFFSET @skip`;
}

/**
 * Up to this many matches the sparse plan reads and sorts them all; above it the dense plan
 * walks the order's index (measured in bench/worklist.bench.ts at 100,000 cases).
 */
export const SPARSE_MATCHES = 2000;
