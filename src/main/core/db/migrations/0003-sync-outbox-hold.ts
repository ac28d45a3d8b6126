import type { Migration } from '../migration';

/**
 * Sync and outbox bookkeeping. An outbox row the hub answered with 409/412 or another 4xx is
 * held (kept, never retried by the worker) until the consultant reviews it: the row is the
 * evidence of what was sent, so it is not deleted.
 */
export const migration0003: Migration = {
  id: 3,
  name: 'sync-outbox-hold',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN held INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1));
      DROP INDEX outbox_due;
      CREATE INDEX outbox_due ON outbox (held, next_attempt_at, id);
    `);
  },
};
