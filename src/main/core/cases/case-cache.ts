import type { CaseRecord, CaseSummary, LocalCaseState } from '../../../shared/domain/case';
import { priorityRank } from '../../../shared/domain/priority';
import { dueDate, isOverdue, londonDateOf } from '../../../shared/domain/working-days';
import { setCaseStateForFixture } from '../case-state/case-state';
import type { Db } from '../db/open-database';
import { worklistWhere, type WorklistFilter } from './worklist-query';

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
   * Worklist order: clinical priority, then SLA due date, then arrival. Search goes through the
   * FTS5 index (migration 0005); filters are built by `worklistWhere`.
   */
  list(options: { limit: number; offset: number; search?: string | undefined; filter?: WorklistFilter }): {
    total: number;
    cases: CaseSummary[];
  } {
    const now = this.now();
    const { from, where, params } = worklistWhere(options.filter ?? 'all', options.search?.trim(), londonDateOf(now));
    const total = (this.db.prepare(`SELECT COUNT(*) AS n ${from} ${where}`).get(params) as { n: number }).n;
    const rows = this.db
      .prepare(
        `SELECT cases.id, cases.patient_name, cases.nhs_number, cases.practice_name, cases.priority,
                cases.received_at, cases.due_on, cases.state, cases.presenting_complaint, cases.image_count
         ${from} ${where}
         ORDER BY cases.priority_rank, cases.due_on, cases.received_at LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: options.limit, offset: options.offset }) as Array<Record<string, string | number>>;
    return {
      total,
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
          overdue: OPEN_STATES.has(state) && isOverdue(String(r.due_on), now),
          state,
          presentingComplaint: String(r.presenting_complaint),
          imageCount: Number(r.image_count),
        };
      }),
    };
  }
}
