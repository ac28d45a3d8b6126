import type { CaseRecord, CaseSummary, LocalCaseState } from '../../../shared/domain/case';
import { priorityRank } from '../../../shared/domain/priority';
import { dueDate, londonDateOf } from '../../../shared/domain/working-days';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { setCaseStateForFixture } from '../case-state/case-state';
import type { Db } from '../db/open-database';
import { AppError } from '../../../shared/contract/errors';
import { parseCursor } from './worklist-key';
import { worklistQuery, type WorklistFilter } from './worklist-query';

const OPEN_STATES: ReadonlySet<LocalCaseState> = new Set(['new', 'draft', 'needs-review']);

/** Cached cases: the hub's record kept whole, plus the columns the worklist needs. */
export class CaseCache {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Inserts or refreshes a case from the hub, keeping local state unless the hub version moved on. */
  upsert(record: CaseRecord): void {
    const r = record.referral;
    const row = {
      id: record.id,
      hub_version: record.version,
      record_json: JSON.stringify(record),
      patient_name: `${record.patient.familyName.toUpperCase()}, ${record.patient.givenName}`,
      nhs_number: record.patient.nhsNumber,
      practice_name: record.practice.name,
      priority_rank: priorityRank[r.priority],
      priority: r.priority,
      received_at: r.receivedAt,
      due_on: dueDate(r.receivedAt),
      presenting_complaint: r.presentingComplaint,
      image_count: record.images.length,
      cached_at: this.now().toISOString(),
    };
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO cases (id, hub_version, record_json, patient_name, nhs_number, practice_name, priority_rank,
             priority, received_at, due_on, presenting_complaint, image_count, cached_at)
           VALUES (@id, @hub_version, @record_json, @patient_name, @nhs_number, @practice_name, @priority_rank,
             @priority, @received_at, @due_on, @presenting_complaint, @image_count, @cached_at)
           ON CONFLICT(id) DO UPDATE SET hub_version = excluded.hub_version, record_json = excluded.record_json,
             patient_name = excluded.patient_name, nhs_number = excluded.nhs_number,
             practice_name = excluded.practice_name, priority_rank = excluded.priority_rank,
             priority = excluded.priority, received_at = excluded.received_at, due_on = excluded.due_on,
             presenting_complaint = excluded.presenting_complaint, image_count = excluded.image_count,
             cached_at = excluded.cached_at`,
        )
        .run(row);
      const insertImage = this.db.prepare(
        `INSERT INTO images (id, case_id, sha256, kind, media_type, bytes, width, height, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET sha256 = excluded.sha256, kind = excluded.kind, media_type = excluded.media_type,
           bytes = excluded.bytes, width = excluded.width, height = excluded.height, position = excluded.position`,
      );
      record.images.forEach((img, i) =>
        insertImage.run(img.id, record.id, img.sha256, img.kind, img.mediaType, img.bytes, img.width, img.height, i),
      );
    })();
  }

  private readonly statements = new Map<string, Statement>();
  /** The worklist's statements are prepared once per cache (parsing them cost more than running some). */
  private statement(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  }

  get(id: string): CaseRecord | null {
    const row = this.db.prepare('SELECT record_json FROM cases WHERE id = ?').get(id) as
      { record_json: string } | undefined;
    return row ? (JSON.parse(row.record_json) as CaseRecord) : null;
  }

  /** Test fixtures only (see case-state.ts): the app moves a case with a named event, `moveCase`. */
  setState(id: string, state: LocalCaseState, note: string | null = null): void {
    setCaseStateForFixture(this.db, id, state, note);
  }

  /**
   * One page of the worklist, in worklist order (clinical priority, SLA due date, arrival), with
   * the total. Everything comes from the full-text index of migration 0010, whose rowids are the
   * cases' worklist keys: the page is the first `limit` matching keys after the cursor (`after`,
   * the previous page's `next`: keyset paging) or, without one, after `offset` matches (skipped
   * inside the index, no case row read); only the page's own rows are read from `cases`.
   */
  list(options: {
    limit: number;
    offset: number;
    after?: string | undefined;
    search?: string | undefined;
    filter?: WorklistFilter;
  }): { total: number; cases: CaseSummary[]; next: string | null } {
    const today = londonDateOf(this.now());
    const { match, ranges } = worklistQuery(options.filter ?? 'all', options.search?.trim(), today);
    const after = options.after === undefined ? -1n : parseCursor(options.after);
    if (after === null) throw new AppError('validation', 'This worklist position is not valid.', 'after');
    const count = (from: bigint, to: bigint): number =>
      (this.statement(countSql).get({ match, from, to }) as { n: number }).n;
    const total = ranges.reduce((sum, [from, to]) => sum + count(from, to), 0);
    let skip = options.after === undefined ? options.offset : 0;
    const rows: Array<Record<string, string | bigint>> = [];
    for (const [lo, to] of ranges) {
      const from = lo > after ? lo : after + 1n;
      if (from > to || rows.length >= options.limit) continue;
      if (skip > 0 && ranges.length > 1) {
        const here = count(from, to);
        if (skip >= here) {
          skip -= here;
          continue;
        }
      }
      const page = this.statement(pageSql).safeIntegers(true);
      rows.push(...(page.all({ match, from, to, limit: options.limit - rows.length, skip }) as typeof rows));
      skip = 0;
    }
    const last = rows.at(-1);
    return {
      total,
      next: last && rows.length === options.limit ? String(last.worklist_key) : null,
      cases: rows.map((r) => {
        const state = r.state as LocalCaseState;
        return {
          id: String(r.id),
          patientName: String(r.patient_name),
          nhsNumber: String(r.nhs_number),
          practiceName: String(r.practice_name),
          priority: r.priority as CaseSummary['priority'],
          receivedAt: String(r.received_at),
          dueOn: String(r.due_on),
          // Only a case still waiting for triage can be overdue; a signed one has met or missed its SLA.
          overdue: OPEN_STATES.has(state) && today > String(r.due_on),
          state,
          presentingComplaint: String(r.presenting_complaint),
          imageCount: Number(r.image_count),
          answerFrom: r.answer_from === 'practice' || r.answer_from === 'patient' ? r.answer_from : null,
        };
      }),
    };
  }
}

const countSql = `SELECT count(*) AS n FROM worklist_fts WHERE worklist_fts MATCH @match AND rowid BETWEEN @from AND @to`;
const pageSql = `
  SELECT c.worklist_key, c.id, c.patient_name, c.nhs_number, c.practice_name, c.priority, c.received_at, c.due_on,
         c.state, c.presenting_complaint, c.image_count,
         -- Back to triage because the referrer answered the case's latest decision (store-case.ts):
         -- read for the page's own rows only.
         CASE WHEN c.state IN ('new', 'draft', 'needs-review')
               AND json_extract(c.record_json, '$.informationAnswers[#-1].decisionId') =
                   (SELECT d.id FROM decisions d WHERE d.case_id = c.id ORDER BY d.version DESC LIMIT 1)
              THEN json_extract(c.record_json, '$.informationAnswers[#-1].from') END AS answer_from
  FROM (SELECT rowid AS k FROM worklist_fts WHERE worklist_fts MATCH @match AND rowid BETWEEN @from AND @to
        ORDER BY rowid LIMIT @limit OFFSET @skip) f
  CROSS JOIN cases c ON c.worklist_key = f.k
  ORDER BY f.k`;
