import { sql } from 'kysely';
import type { FeedbackInput, FeedbackRow } from '../hub-repository';
import type { Q } from './store-context';

/** Feedback from patients and practices, and the upload-time image checks (counted for the dashboard). */
export async function addFeedback(q: Q, f: FeedbackInput): Promise<void> {
  await q.db
    .insertInto('feedback')
    .values({ id: f.id, at: f.at, source: f.source, ods_code: f.odsCode, rating: f.rating, comment: f.comment })
    .execute();
}

export async function feedbackReport(q: Q, limit: number): Promise<FeedbackRow[]> {
  const rows = await q.db
    .selectFrom('feedback')
    .select(['at', 'source', 'ods_code', 'rating', 'comment'])
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ at: r.at, source: r.source, odsCode: r.ods_code, rating: r.rating, comment: r.comment }));
}

export async function feedbackSummary(q: Q): Promise<{ total: number; averageRating: number | null }> {
  const r = await q.db
    .selectFrom('feedback')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.avg<number | null>('rating').as('avg')])
    .executeTakeFirstOrThrow();
  const avg = r.avg === null ? null : Number(r.avg);
  return { total: Number(r.n), averageRating: avg === null ? null : Math.round(avg * 100) / 100 };
}

export async function recordUploadCheck(q: Q, actor: string, ok: boolean, issues: string[], at: string): Promise<void> {
  await q.db
    .insertInto('upload_checks')
    .values({ at, actor, ok: ok ? 1 : 0, issues_json: JSON.stringify(issues) })
    .execute();
}

export async function uploadCheckSummary(q: Q): Promise<{ total: number; retakesAsked: number }> {
  const r = await q.db
    .selectFrom('upload_checks')
    .select((eb) => [eb.fn.countAll<number>().as('n'), sql<number>`COALESCE(SUM(1 - ok), 0)`.as('bad')])
    .executeTakeFirstOrThrow();
  return { total: Number(r.n), retakesAsked: Number(r.bad) };
}
