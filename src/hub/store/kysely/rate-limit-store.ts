import { sql } from 'kysely';
import type { Q } from './store-context';

/**
 * Fixed-window counters as rows (rate_limits, migration 40). One statement per hit (an upsert
 * that restarts a lapsed window), so concurrent hits from any hub process are all counted.
 */
export async function rateLimitHit(
  q: Q,
  bucket: string,
  key: string,
  nowMs: number,
  windowMs: number,
): Promise<{ count: number; resetAtMs: number }> {
  const lapsedBefore = nowMs - windowMs;
  const row = await q.db
    .insertInto('rate_limits')
    .values({ bucket, key, window_start_ms: nowMs, count: 1 })
    .onConflict((oc) =>
      oc.columns(['bucket', 'key']).doUpdateSet({
        count: sql<number>`CASE WHEN rate_limits.window_start_ms <= ${lapsedBefore} THEN 1 ELSE rate_limits.count + 1 END`,
        window_start_ms: sql<number>`CASE WHEN rate_limits.window_start_ms <= ${lapsedBefore} THEN ${nowMs} ELSE rate_limits.window_start_ms END`,
      }),
    )
    .returning(['count', 'window_start_ms'])
    .executeTakeFirstOrThrow();
  // Now and then, drop windows that lapsed long ago so the table stays the size of live keys.
  if (Math.random() < 0.01) {
    await q.db
      .deleteFrom('rate_limits')
      .where('window_start_ms', '<', nowMs - 24 * 3_600_000)
      .execute();
  }
  return { count: Number(row.count), resetAtMs: Number(row.window_start_ms) + windowMs };
}

export async function rateLimitPeek(
  q: Q,
  bucket: string,
  key: string,
  nowMs: number,
  windowMs: number,
): Promise<{ count: number; resetAtMs: number }> {
  const row = await q.db
    .selectFrom('rate_limits')
    .select(['count', 'window_start_ms'])
    .where('bucket', '=', bucket)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row || Number(row.window_start_ms) <= nowMs - windowMs) return { count: 0, resetAtMs: nowMs };
  return { count: Number(row.count), resetAtMs: Number(row.window_start_ms) + windowMs };
}

export async function rateLimitUndo(q: Q, bucket: string, key: string): Promise<void> {
  await q.db
    .updateTable('rate_limits')
    .set({ count: sql<number>`count - 1` })
    .where('bucket', '=', bucket)
    .where('key', '=', key)
    .where('count', '>', 0)
    .execute();
}

export async function rateLimitClear(q: Q, bucket: string, key: string): Promise<void> {
  await q.db.deleteFrom('rate_limits').where('bucket', '=', bucket).where('key', '=', key).execute();
}
