/**
 * The worklist order as one integer per case (migration 0010 allocates it in SQL; this is the
 * same layout for the queries and tests), most significant first:
 *
 *   bits 61-62  priority rank (0 suspected cancer, 1 urgent, 2 routine)
 *   bits 45-60  SLA due date, days since 2000-01-01
 *   bits 13-44  arrival, seconds since 2000-01-01 00:00 UTC
 *   bits 0-12   tie counter (cases sharing all of the above, in the order they were cached)
 *
 * So sorting by key is sorting by priority, due date and arrival, and one key is a complete
 * keyset cursor. Keys exceed 2^53: they are BigInts here and travel as decimal strings.
 */
export const MAX_KEY = (1n << 63n) - 1n;
const DAY_MS = 86_400_000;
const EPOCH_2000 = Date.UTC(2000, 0, 1);

/** Days since 2000-01-01 of a YYYY-MM-DD date. */
export function dayNumber(date: string): bigint {
  return BigInt(Math.round((Date.parse(`${date}T00:00:00Z`) - EPOCH_2000) / DAY_MS));
}

/** The first key of cases of `rank` due on `date` (everything of that rank due earlier sorts below it). */
export function keyOfDue(rank: number, date: string): bigint {
  return (BigInt(rank) << 61n) | (dayNumber(date) << 45n);
}

/** A cursor is the last key of the previous page, as sent to the renderer. */
export function parseCursor(cursor: string): bigint | null {
  if (!/^\d{1,19}$/.test(cursor)) return null;
  const key = BigInt(cursor);
  return key <= MAX_KEY ? key : null;
}
