import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { KyselyHubRepository } from '../../src/hub/store/kysely/kysely-hub-repository';
import { postgresMigrations } from '../../src/hub/store/migrations/postgres-migrations';
import { sqliteMigrations } from '../../src/hub/store/migrations/sqlite-migrations';
import { openHubStore } from '../../src/hub/store/open-hub-store';
import { engines, freshStore, type TestStore } from './store-harness';

describe('hub migrations', () => {
  it('both engines have the same numbered series (one repository runs on either)', () => {
    expect(postgresMigrations.map((m) => m.id)).toEqual(sqliteMigrations.map((m) => m.id));
  });

  describe.each(engines)('on %s', (engine) => {
    let store: TestStore;
    afterEach(async () => store.close());

    it('are applied once at start, and a database from a newer hub is refused untouched', async () => {
      store = await freshStore(engine);
      const repo = (await store.open()) as KyselyHubRepository;
      const ids = await sql<{ id: number }>`SELECT id FROM hub_schema ORDER BY id`.execute(repo.db);
      expect(ids.rows.map((r) => Number(r.id))).toEqual(sqliteMigrations.map((m) => m.id));
      await (await store.open()).ping();
      await sql`INSERT INTO hub_schema (id, applied_at) VALUES (999, 'later')`.execute(repo.db);
      await expect(openHubStore(store.config)).rejects.toThrow(
        `This hub database has schema 999; this hub version knows ${Math.max(...sqliteMigrations.map((m) => m.id))}. Update the hub.`,
      );
      const after = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM hub_schema`.execute(repo.db);
      expect(Number(after.rows[0]!.n)).toBe(sqliteMigrations.length + 1);
    });
  });
});
