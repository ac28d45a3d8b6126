import { sql, type RawBuilder } from 'kysely';
import type { DashboardAggregates, TurnaroundRow } from '../hub-repository';
import type { Engine, Q } from './store-context';

/** The outcome kind inside a decision's payload, per engine. */
function outcomeKind(engine: Engine): RawBuilder<string> {
  return engine === 'postgres'
    ? sql<string>`(d.payload_json::jsonb #>> '{outcome,kind}')`
    : sql<string>`json_extract(d.payload_json, '$.outcome.kind')`;
}

/** A more-information decision asking for better or more images (dermoscopy, scale, close-up, overview). */
function asksForImages(engine: Engine): RawBuilder<boolean> {
  const kinds = ['dermoscopy', 'scale', 'close-up', 'overview'];
  return engine === 'postgres'
    ? sql<boolean>`(d.payload_json::jsonb -> 'outcome' -> 'requests') ?| array[${sql.join(kinds)}]::text[]`
    : sql<boolean>`EXISTS (SELECT 1 FROM json_each(d.payload_json, '$.outcome.requests') r WHERE r.value IN (${sql.join(kinds)}))`;
}

/** Hours from receipt to the first decision, per engine. */
function turnaroundHours(engine: Engine): RawBuilder<number> {
  return engine === 'postgres'
    ? sql<number>`EXTRACT(EPOCH FROM (c.first_decided_at::timestamptz - c.received_at::timestamptz)) / 3600.0`
    : sql<number>`(julianday(c.first_decided_at) - julianday(c.received_at)) * 24.0`;
}

/**
 * Turnaround (receipt to first decision) per group: median and 90th percentile by nearest rank
 * (the value at rank ceil(p·n), written as integer division so both engines agree), and how many
 * were decided by their due date (the 3-working-day target). Window functions over the decided
 * cases only; nothing is loaded into the hub's memory.
 */
async function turnaround(q: Q, group: RawBuilder<string>): Promise<TurnaroundRow[]> {
  const rows = await sql<{ grp: string; n: number; median: number; p90: number; within: number }>`
    WITH t AS (
      SELECT ${group} AS grp, ${turnaroundHours(q.engine)} AS h,
             CASE WHEN substr(c.first_decided_at, 1, 10) <= c.due_on THEN 1 ELSE 0 END AS ok
      FROM cases c JOIN decisions d ON d.case_id = c.id AND d.version = 1
      WHERE c.first_decided_at IS NOT NULL
    ), r AS (
      SELECT grp, h, ok, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY h) AS rn,
             COUNT(*) OVER (PARTITION BY grp) AS n
      FROM t
    )
    SELECT grp, MAX(n) AS n,
           MAX(CASE WHEN rn = (n + 1) / 2 THEN h END) AS median,
           MAX(CASE WHEN rn = (9 * n + 9) / 10 THEN h END) AS p90,
           SUM(ok) AS within
    FROM r GROUP BY grp ORDER BY grp`.execute(q.db);
  return rows.rows.map((r) => ({
    key: r.grp,
    decided: Number(r.n),
    medianHours: Math.round(Number(r.median) * 10) / 10,
    p90Hours: Math.round(Number(r.p90) * 10) / 10,
    withinTarget: Number(r.within),
  }));
}

/** Every dashboard figure as SQL aggregates over indexed columns (no case is read into memory). */
export async function dashboardAggregates(q: Q, at: { today: string; weekAgo: string }): Promise<DashboardAggregates> {
  const counts = await q.db
    .selectFrom('cases')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      sql<number>`COALESCE(SUM(CASE WHEN received_at >= ${at.weekAgo} THEN 1 ELSE 0 END), 0)`.as('last7'),
      sql<number>`COALESCE(SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END), 0)`.as('open'),
      sql<number>`COALESCE(SUM(CASE WHEN status = 'open' AND due_on < ${at.today} THEN 1 ELSE 0 END), 0)`.as('overdue'),
      sql<number>`COALESCE(SUM(CASE WHEN status = 'awaiting-information' THEN 1 ELSE 0 END), 0)`.as('info'),
      sql<number>`COALESCE(SUM(CASE WHEN status = 'decided' THEN 1 ELSE 0 END), 0)`.as('decided'),
    ])
    .executeTakeFirstOrThrow();
  const kind = outcomeKind(q.engine);
  const mix = await sql<{ kind: string; n: number }>`
    SELECT ${kind} AS kind, COUNT(*) AS n FROM decisions d
    WHERE d.version = (SELECT MAX(x.version) FROM decisions x WHERE x.case_id = d.case_id)
    GROUP BY ${kind}`.execute(q.db);
  const returns = await sql<{ decided: number; returns: number }>`
    SELECT COUNT(DISTINCT d.case_id) AS decided,
           COUNT(DISTINCT CASE WHEN ${kind} = 'more-information' AND ${asksForImages(q.engine)} THEN d.case_id END) AS returns
    FROM decisions d`.execute(q.db);
  return {
    received: { total: Number(counts.total), last7Days: Number(counts.last7) },
    awaitingTriage: Number(counts.open),
    overdue: Number(counts.overdue),
    awaitingInformation: Number(counts.info),
    decided: Number(counts.decided),
    outcomeMix: mix.rows.map((r) => ({ kind: r.kind, count: Number(r.n) })),
    decidedOnce: Number(returns.rows[0]?.decided ?? 0),
    imageQualityReturns: Number(returns.rows[0]?.returns ?? 0),
    turnaround: {
      overall: (await turnaround(q, sql<string>`'all'`))[0] ?? null,
      byPractice: await turnaround(q, sql<string>`COALESCE(c.practice_ods, '')`),
      byConsultant: await turnaround(q, sql<string>`d.consultant_id`),
    },
  };
}
