import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleCase } from '../../../../tests/support/sample-case';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { makeTestCore } from '../../../../tests/support/test-core';
import type { CaseRecord, ReferralPriority } from '../../../shared/domain/case';
import { priorityRank } from '../../../shared/domain/priority';
import { dueDate } from '../../../shared/domain/working-days';
import { openDatabase } from '../db/open-database';
import { migrations } from '../db/migrations';
import { CaseCache } from './case-cache';

const now = new Date('2026-11-26T10:00:00.000Z');
const priorities: ReferralPriority[] = ['routine', 'urgent', 'suspected-cancer'];

/** Cases with many ties: 3 priorities x 4 arrival times, several cases on each. */
function tiedCases(n: number): CaseRecord[] {
  return Array.from({ length: n }, (_, i) =>
    sampleCase({
      referral: {
        priority: priorities[i % 3] ?? 'routine',
        receivedAt: `2026-11-${String(20 + (i % 4)).padStart(2, '0')}T09:00:00.000Z`,
      },
    }),
  );
}

/** The worklist order, computed independently: priority, due date, arrival, then cache order. */
function expectedOrder(cases: CaseRecord[]): string[] {
  return cases
    .map((c, i) => ({ c, i }))
    .sort(
      (a, b) =>
        priorityRank[a.c.referral.priority] - priorityRank[b.c.referral.priority] ||
        dueDate(a.c.referral.receivedAt).localeCompare(dueDate(b.c.referral.receivedAt)) ||
        a.c.referral.receivedAt.localeCompare(b.c.referral.receivedAt) ||
        a.i - b.i,
    )
    .map(({ c }) => c.id);
}

describe('worklist keyset paging', () => {
  let core: ReturnType<typeof makeTestCore>;
  beforeEach(() => {
    core = makeTestCore({ now: () => now });
  });
  afterEach(() => core.cleanup());

  function walk(options: { search?: string; filter?: 'all' | 'open' | 'overdue' } = {}, limit = 7): string[] {
    const seen: string[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 1000; guard++) {
      const page = core.cases.list({ limit, offset: 0, after, ...options });
      seen.push(...page.cases.map((c) => c.id));
      if (page.next === null) return seen;
      after = page.next;
    }
    throw new Error('paging never ended');
  }

  it('visits every case once, in worklist order, across ties on every sort key', () => {
    const cases = tiedCases(60);
    for (const c of cases) core.cases.upsert(c);
    const walked = walk();
    expect(walked).toEqual(expectedOrder(cases));
    expect(new Set(walked).size).toBe(60);
    expect(core.cases.list({ limit: 7, offset: 0 }).total).toBe(60);
    // Offset paging agrees with keyset paging page for page.
    expect(core.cases.list({ limit: 7, offset: 21 }).cases.map((c) => c.id)).toEqual(walked.slice(21, 28));
  });

  it('keeps its place when cases are deleted, refreshed or re-prioritised between pages', () => {
    const cases = tiedCases(40);
    for (const c of cases) core.cases.upsert(c);
    const order = expectedOrder(cases);
    const first = core.cases.list({ limit: 10, offset: 0 });
    expect(first.cases.map((c) => c.id)).toEqual(order.slice(0, 10));
    // Between pages: the last row shown and two rows not yet shown leave, and a row not yet shown
    // is refreshed by the hub (it keeps its place).
    const gone = [order[9], order[12], order[30]];
    for (const id of gone) core.db.prepare('DELETE FROM cases WHERE id = ?').run(id);
    const refreshed = cases.find((c) => c.id === order[15]);
    if (!refreshed) throw new Error('fixture');
    core.cases.upsert({
      ...refreshed,
      version: 2,
      referral: { ...refreshed.referral, presentingComplaint: 'Changed' },
    });
    const rest: string[] = [];
    let after = first.next ?? undefined;
    while (after !== undefined) {
      const page = core.cases.list({ limit: 10, offset: 0, after });
      rest.push(...page.cases.map((c) => c.id));
      after = page.next ?? undefined;
    }
    expect(rest).toEqual(order.slice(10).filter((id) => !gone.includes(id)));
  });

  it('moves a case whose priority changes, without a duplicate or a gap', () => {
    const cases = tiedCases(12);
    for (const c of cases) core.cases.upsert(c);
    const routine = cases.find((c) => c.referral.priority === 'routine');
    if (!routine) throw new Error('fixture');
    core.cases.upsert({ ...routine, version: 2, referral: { ...routine.referral, priority: 'suspected-cancer' } });
    const walked = walk({}, 5);
    expect(walked).toHaveLength(12);
    expect(new Set(walked).size).toBe(12);
    const moved = cases.map((c) =>
      c.id === routine.id ? { ...c, referral: { ...c.referral, priority: 'suspected-cancer' as const } } : c,
    );
    // Among its new ties (same priority, due date and arrival) the moved case takes the next free
    // place: after those already there.
    const expected = expectedOrder(moved.filter((c) => c.id !== routine.id));
    const lastCancerTie = expected.filter((id) => {
      const c = moved.find((m) => m.id === id);
      return c?.referral.priority === 'suspected-cancer' && c.referral.receivedAt <= routine.referral.receivedAt;
    }).length;
    expected.splice(lastCancerTie, 0, routine.id);
    expect(walked).toEqual(expected);
  });

  it('pages a search and the overdue filter (several key ranges) the same way', () => {
    const cases = tiedCases(45);
    for (const c of cases) core.cases.upsert(c);
    expect(walk({ search: 'pigmented' }, 4)).toEqual(expectedOrder(cases));
    // Received 20-23 Nov: due 25-28 Nov; on the 26th, only those due the 25th are overdue.
    const overdue = expectedOrder(cases.filter((c) => dueDate(c.referral.receivedAt) < '2026-11-26'));
    expect(overdue.length).toBeGreaterThan(5);
    expect(walk({ filter: 'overdue' }, 4)).toEqual(overdue);
    expect(core.cases.list({ limit: 4, offset: 0, filter: 'overdue' }).total).toBe(overdue.length);
    expect(core.cases.list({ limit: 4, offset: 4, filter: 'overdue' }).cases.map((c) => c.id)).toEqual(
      overdue.slice(4, 8),
    );
  });

  it('refuses a cursor that is not one, with a clear error', () => {
    for (const bad of ['abc', '-1', '99999999999999999999', '9223372036854775808'])
      expect(() => core.cases.list({ limit: 5, offset: 0, after: bad }), bad).toThrow(/worklist position/);
  });

  it('gives distinct keys to more ties than a page holds, in the order they were cached', () => {
    const same = Array.from({ length: 250 }, () =>
      sampleCase({ referral: { priority: 'urgent', receivedAt: '2026-11-24T09:00:00.000Z' } }),
    );
    for (const c of same) core.cases.upsert(c);
    expect(walk({}, 100)).toEqual(same.map((c) => c.id));
  });
});

describe('migration 0010 on an existing cache', () => {
  it('gives cases cached before it their keys and index rows', () => {
    const dir = makeTempDir('dermdesk-wl-migrate-');
    try {
      const file = join(dir.path, 'cache.sqlite');
      const before = openDatabase(file, { migrations: migrations.filter((m) => m.id < 10) });
      const cases = tiedCases(9);
      const old = new CaseCache(before, () => now);
      // The code of the time wrote these rows (its upsert is column-compatible with today's).
      for (const c of cases) old.upsert(c);
      before.prepare(`UPDATE cases SET state = 'passed-on' WHERE id = ?`).run(cases[0]?.id);
      before.close();
      const after = openDatabase(file);
      try {
        const cache = new CaseCache(after, () => now);
        const listed = cache.list({ limit: 50, offset: 0 });
        expect(listed.cases.map((c) => c.id)).toEqual(expectedOrder(cases.slice(1)));
        expect(cache.list({ limit: 50, offset: 0, search: 'Lovelace' }).total).toBe(8);
      } finally {
        after.close();
      }
    } finally {
      dir.remove();
    }
  });
});
