import type { CaseRecord, CaseSummary, LocalCaseState } from '../../../shared/domain/case';
import { priorityRank } from '../../../shared/domain/priority';
import { dueDate, londonDateOf } from '../../../shared/domain/working-days';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { setCaseStateForFixture } from '../case-state/case-state';
import type { Db } from '../db/open-database';
import { AppError } from '../../../shared/contract/errors';
import type { WorklistSort } from '../../../shared/contract/worklist-methods';
import { parseCursor } from './worklist-key';
import { worklistQuery, type WorklistFilter } from './worklist-query';
import {
  countSql,
  cursorValueSql,
  densePageSql,
  orderStart,
  priorityPageSql,
  SPARSE_MATCHES,
  sparsePageSql,
} from './worklist-page-sql';
import { worklistRow, type WorklistRow } from './worklist-row';

/** Cached cases: the hub's record kept whole, plus the columns the worklist needs. */
export class CaseCache {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
    /** Whether an image's thumbnail is cached (the app: the file is on disk); rows show a placeholder otherwise. */
    private readonly thumbCached: (sha256: string) => boolean = () => false,
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
    // Prepared once per cache (statement()): with the worklist index's triggers behind them,
    // preparing these two cost about as much as running them, once per case in every sync.
    this.db.transaction(() => {
      this.statement(
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
      ).run(row);
      const insertImage = this.statement(
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
   * One page of the worklist with the total. Everything comes from the full-text index of
   * migration 0010, whose rowids are the cases' worklist keys. In the clinical order (priority,
   * SLA due date, arrival) the page is the first `limit` matching keys after the cursor (`after`,
   * the previous page's `next`: keyset paging) or, without one, after `offset` matches (skipped
   * inside the index); by arrival or patient name it walks that order's index from the cursor's
   * position (worklist-page-sql.ts). Only the page's own rows are read from `cases`.
   */
  list(options: {
    limit: number;
    offset: number;
    after?: string | undefined;
    search?: string | undefined;
    filter?: WorklistFilter | undefined;
    sort?: WorklistSort | undefined;
  }): { total: number; cases: CaseSummary[]; next: string | null } {
    const today = londonDateOf(this.now());
    const search = options.search?.trim() || undefined;
    const { match, ranges } = worklistQuery(options.filter ?? 'all', search, today);
    const after = options.after === undefined ? -1n : parseCursor(options.after);
    if (after === null) throw new AppError('validation', 'This worklist position is not valid.', 'after');
    const count = (from: bigint, to: bigint): number =>
      (this.statement(countSql).get({ match, from, to }) as { n: number }).n;
    const total = ranges.reduce((sum, [from, to]) => sum + count(from, to), 0);
    const sort = options.sort ?? 'priority';
    const rows =
      sort === 'priority'
        ? this.priorityPage(match, ranges, after, options.after === undefined ? options.offset : 0, options.limit)
        : this.orderedPage(
            sort,
            { match, ranges, total, searched: search },
            options.after === undefined ? null : after,
            options,
          );
    const last = rows.at(-1);
    return {
      total,
      next: last && rows.length === options.limit ? String(last.worklist_key) : null,
      cases: rows.map((r) => worklistRow(r, today, this.thumbCached)),
    };
  }

  private priorityPage(
    match: string,
    ranges: Array<[bigint, bigint]>,
    after: bigint,
    offset: number,
    limit: number,
  ): WorklistRow[] {
    let skip = offset;
    const rows: WorklistRow[] = [];
    for (const [lo, to] of ranges) {
      const from = lo > after ? lo : after + 1n;
      if (from > to || rows.length >= limit) continue;
      if (skip > 0 && ranges.length > 1) {
        const here = (this.statement(countSql).get({ match, from, to }) as { n: number }).n;
        if (skip >= here) {
          skip -= here;
          continue;
        }
      }
      const page = this.statement(priorityPageSql).safeIntegers(true);
      rows.push(...(page.all({ match, from, to, limit: limit - rows.length, skip }) as WorklistRow[]));
      skip = 0;
    }
    return rows;
  }

  /** A page by arrival or by patient name: keyset on (the order's value, key), the cursor being the key. */
  private orderedPage(
    sort: Exclude<WorklistSort, 'priority'>,
    query: { match: string; ranges: Array<[bigint, bigint]>; total: number; searched: string | undefined },
    after: bigint | null,
    options: { limit: number; offset: number },
  ): WorklistRow[] {
    const { match, ranges, total, searched } = query;
    let v: number | string | bigint = orderStart[sort];
    let k = -1n;
    if (after !== null) {
      const at = this.statement(cursorValueSql(sort)).safeIntegers(true).get({ after }) as
        { v: string | bigint } | undefined;
      // The case at the cursor left the cache (retention) or moved (a new priority): its place is gone.
      if (!at)
        throw new AppError('conflict', 'The worklist changed since this page; it starts again from the top.', 'after');
      v = at.v;
      k = after;
    }
    const params: Record<string, unknown> = {
      match,
      v,
      k,
      limit: options.limit,
      skip: after === null ? options.offset : 0,
    };
    ranges.forEach(([from, to], i) => {
      params[`from${i}`] = from;
      params[`to${i}`] = to;
    });
    const sql =
      total <= SPARSE_MATCHES
        ? sparsePageSql(sort, ranges.length)
        : densePageSql(sort, ranges.length, searched === undefined);
    return this.statement(sql).safeIntegers(true).all(params) as WorklistRow[];
  }
}
