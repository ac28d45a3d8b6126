import type { Kysely, Transaction } from 'kysely';
import type { HubTables } from './tables';

export type Engine = 'sqlite' | 'postgres';

/** What every query module gets: the query builder (or the open transaction) and the engine. */
export interface Q {
  db: Kysely<HubTables> | Transaction<HubTables>;
  engine: Engine;
}

const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Runs `fn` as one transaction. SQLite: BEGIN IMMEDIATE (sqlite-immediate-dialect.ts), so every
 * writer holds the file's write lock from the start. PostgreSQL: READ COMMITTED with explicit row
 * locks (lockCase, FOR UPDATE SKIP LOCKED); a serialization failure or deadlock is retried.
 */
export async function inTx<T>(q: Q, fn: (t: Q) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (q.db as Kysely<HubTables>).transaction().execute((trx) => fn({ db: trx, engine: q.engine }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (q.engine !== 'postgres' || !code || !RETRYABLE.has(code) || attempt >= 3) throw error;
    }
  }
}

/** True when `error` is a unique or primary-key violation on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
