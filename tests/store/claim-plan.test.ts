import { CompiledQuery, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { poolPick } from '../../src/hub/store/kysely/case-store';
import type { KyselyHubRepository } from '../../src/hub/store/kysely/kysely-hub-repository';
import { addConsultant, caseWith, engines, freshStore, NOW, type TestStore } from './store-harness';

/**
 * The worklist claim reads the pool through an index in clinical order: it never sorts every open
 * case. The plan is asked of each engine for the repository's own pick statement, over a pool
 * big enough that a planner would rather sort than walk an unsuitable index.
 */
describe.each(engines)('the claim pick on %s', (engine) => {
  let store: TestStore;
  afterEach(async () => store.close());

  it('walks cases_pool_order, with no sort of the pool', async () => {
    store = await freshStore(engine);
    const repo = (await store.open()) as KyselyHubRepository;
    const consultant = await addConsultant(repo);
    for (let i = 0; i < 5; i++) await repo.insertCase(caseWith(i), '2026-12-01', NOW);
    // 5 cases become 3,000: copies with new ids (the pick only reads the pool's columns).
    const newId = engine === 'postgres' ? sql`gen_random_uuid()::text` : sql`lower(hex(randomblob(16)))`;
    await sql`INSERT INTO cases (id, version, record_json, status, priority_rank, due_on, received_at, created_at, updated_at)
      SELECT ${newId}, version, record_json, status, priority_rank, due_on, received_at, created_at, updated_at
      FROM cases CROSS JOIN (SELECT 1 FROM cases a CROSS JOIN cases b CROSS JOIN cases c CROSS JOIN cases d CROSS JOIN cases e LIMIT 599) n`.execute(
      repo.db,
    );
    await sql`ANALYZE`.execute(repo.db);
    const count = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM cases`.execute(repo.db);
    expect(Number(count.rows[0]!.n)).toBe(3000);

    const pick = poolPick({ db: repo.db, engine }, consultant, 5).compile();
    const explain = engine === 'postgres' ? 'EXPLAIN ' : 'EXPLAIN QUERY PLAN ';
    const plan = await repo.db.executeQuery(CompiledQuery.raw(explain + pick.sql, [...pick.parameters]));
    const text = plan.rows.map((r) => Object.values(r as object).join(' ')).join('\n');
    expect(text).toContain('cases_pool_order');
    expect(text).not.toMatch(/TEMP B-TREE FOR ORDER BY|Sort/);
  });
});
