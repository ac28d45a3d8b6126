/**
 * Worklist at scale: 100,000 cached cases in a real SQLite file (SQLCipher, WAL, synchronous=FULL,
 * the app's migrations and CaseCache.upsert, so the index triggers run as in the app). Prints first
 * pages, deep pages and full-text searches through CaseCache.list beside the same pages as plain
 * SQL (the worklist-order index with OFFSET; a LIKE table scan requiring every word), measured in
 * the same run, wall and CPU time.
 *
 *   npm run bench -- worklist        (BENCH_CASES=20000 for a quicker run; BENCH_WORKLIST_DB=<file>
 *                                      keeps the seeded cache between runs: seeding takes minutes)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CaseCache } from '../src/main/core/cases/case-cache';
import { openDatabase } from '../src/main/core/db/open-database';
import { makeCase, nhs } from './support/synthetic-cases';

const CASES = Number(process.env['BENCH_CASES'] ?? 100_000);
const RUNS = 15;
/** The peers take seconds per query on a loaded machine: fewer samples of them (median of 5). */
const PEER_RUNS = Number(process.env['BENCH_WORKLIST_PEER_RUNS'] ?? 5);

function time(fn: () => unknown, runs = RUNS): { median: number; p95: number; cpu: number; result: unknown } {
  const samples: number[] = [];
  const cpu: number[] = [];
  let result: unknown;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = fn();
    samples.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    median: samples[Math.floor(runs / 2)] ?? 0,
    p95: samples[Math.ceil(runs * 0.95) - 1] ?? 0,
    cpu: cpu[Math.floor(runs / 2)] ?? 0,
    result,
  };
}

const kept = process.env['BENCH_WORKLIST_DB'];
const dir = mkdtempSync(join(tmpdir(), 'dermdesk-bench-worklist-'));
try {
  // Encrypted with SQLCipher, as the app opens its cache: every page read from outside SQLite's
  // own cache is decrypted, which is what makes reading case rows dear.
  const file = kept ?? join(dir, 'cache.sqlite');
  const db = openDatabase(file, { key: 'a5'.repeat(32) });
  const cache = new CaseCache(db, () => new Date('2026-12-01T10:00:00Z'));
  const have = (db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
  if (have !== CASES) {
    const t0 = performance.now();
    db.transaction(() => {
      db.prepare('DELETE FROM cases').run();
      for (let i = 0; i < CASES; i++) cache.upsert(makeCase(i));
    })();
    console.log(
      `seeded ${CASES.toLocaleString('en-GB')} cases through CaseCache.upsert in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  } else console.log(`reusing ${file} (${have.toLocaleString('en-GB')} cases)`);
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );

  // The peers: the same pages as plain SQL, as the worklist was queried before issue 16. Without
  // a search: the worklist-order index, LIMIT/OFFSET and a COUNT. With one: a table scan, LIKE
  // '%word%' over name, NHS number, practice and the referral (record JSON), every word required.
  const columns = `id, patient_name, nhs_number, practice_name, priority, received_at, due_on, state, presenting_complaint, image_count`;
  const visible = `state NOT IN ('passed-on', 'withdrawn')`;
  const plainPage = db.prepare(
    `SELECT ${columns} FROM cases WHERE ${visible} ORDER BY priority_rank, due_on, received_at LIMIT 100 OFFSET ?`,
  );
  const plainCount = db.prepare(`SELECT COUNT(*) AS n FROM cases WHERE ${visible}`);
  const plain = (offset: number) => ({ total: (plainCount.get() as { n: number }).n, cases: plainPage.all(offset) });
  const like = (q: string) => {
    const words = /^[\d ]+$/.test(q) ? [q.replace(/ /g, '')] : q.split(/\s+/);
    const where = words
      .map(
        (_, i) =>
          `(patient_name LIKE @w${i} OR nhs_number LIKE @w${i} OR practice_name LIKE @w${i} OR record_json LIKE @w${i})`,
      )
      .join(' AND ');
    const params = Object.fromEntries(words.map((w, i) => [`w${i}`, `%${w}%`]));
    return {
      total: (db.prepare(`SELECT COUNT(*) AS n FROM cases WHERE ${visible} AND ${where}`).get(params) as { n: number })
        .n,
      cases: db
        .prepare(
          `SELECT ${columns} FROM cases WHERE ${visible} AND ${where} ORDER BY priority_rank, due_on, received_at LIMIT 100`,
        )
        .all(params),
    };
  };

  type Timed = ReturnType<typeof time>;
  const rows: Array<[string, Timed, Timed | null]> = [];
  const total = (t: Timed) => (t.result as { total: number }).total;
  rows.push([
    'first page (100 rows + total), no filter',
    time(() => cache.list({ limit: 100, offset: 0 })),
    time(() => plain(0), PEER_RUNS),
  ]);
  rows.push([
    'first page, "to triage" filter',
    time(() => cache.list({ limit: 100, offset: 0, filter: 'open' })),
    null,
  ]);
  rows.push([
    'first page, "overdue" filter',
    time(() => cache.list({ limit: 100, offset: 0, filter: 'overdue' })),
    null,
  ]);
  const cursor = cache.list({ limit: 100, offset: 49_900 }).next ?? undefined;
  rows.push([
    'next page at row 50,000 (keyset: after the previous page)',
    time(() => cache.list({ limit: 100, offset: 0, after: cursor })),
    time(() => plain(50_000), PEER_RUNS),
  ]);
  rows.push([
    'jump to row 50,000 (no cursor: skipped in the index)',
    time(() => cache.list({ limit: 100, offset: 50_000 })),
    time(() => plain(50_000), PEER_RUNS),
  ]);
  for (const q of ['Hopkinson', 'methotrexate', 'pearly cheek', nhs(7 * 4321 + 1).slice(0, 6)]) {
    const ours = time(() => cache.list({ limit: 100, offset: 0, search: q }));
    rows.push([`search "${q}" (${total(ours).toLocaleString('en-GB')} hits)`, ours, time(() => like(q), PEER_RUNS)]);
  }
  const deep = cache.list({ limit: 100, offset: 6_900, search: 'methotrexate' }).next ?? undefined;
  rows.push([
    'search "methotrexate", next page at hit 7,000',
    time(() => cache.list({ limit: 100, offset: 0, search: 'methotrexate', after: deep })),
    null,
  ]);

  // The other orders (issue 12): the same keyset paging over the order's own index (migration
  // 0014). Peer: the plain SQL of the same order (ORDER BY the column, LIMIT/OFFSET).
  const plainSorted = (column: string, offset: number) => ({
    total: (plainCount.get() as { n: number }).n,
    cases: db
      .prepare(`SELECT ${columns} FROM cases WHERE ${visible} ORDER BY ${column}, id LIMIT 100 OFFSET ?`)
      .all(offset),
  });
  rows.push([
    'first page sorted by arrival, no filter',
    time(() => cache.list({ limit: 100, offset: 0, sort: 'received' })),
    time(() => plainSorted('received_at', 0), PEER_RUNS),
  ]);
  rows.push([
    'first page sorted by patient name, "to triage"',
    time(() => cache.list({ limit: 100, offset: 0, sort: 'patient', filter: 'open' })),
    time(() => plainSorted('patient_name COLLATE NOCASE', 0), PEER_RUNS),
  ]);
  const byName = cache.list({ limit: 100, offset: 49_900, sort: 'patient' }).next ?? undefined;
  rows.push([
    'by patient name, next page at row 50,000 (keyset)',
    time(() => cache.list({ limit: 100, offset: 0, sort: 'patient', after: byName })),
    time(() => plainSorted('patient_name COLLATE NOCASE', 50_000), PEER_RUNS),
  ]);
  for (const [q, sort] of [
    ['Hopkinson', 'patient'],
    ['methotrexate', 'received'],
  ] as const) {
    const ours = time(() => cache.list({ limit: 100, offset: 0, search: q, sort }));
    rows.push([`search "${q}" sorted by ${sort} (${total(ours).toLocaleString('en-GB')} hits)`, ours, null]);
  }

  const fmt = (t: Timed) => `${t.median.toFixed(2)} ms (p95 ${t.p95.toFixed(2)}; CPU ${t.cpu.toFixed(2)})`;
  console.log(
    `\nWorklist over ${CASES.toLocaleString('en-GB')} cached cases (median of ${RUNS} runs, peers ${PEER_RUNS}; CPU = median CPU time of this thread):`,
  );
  console.log(
    ['query'.padEnd(58), 'DermDesk (keyed FTS5 index)'.padEnd(38), 'plain SQL peer'.padEnd(38), 'ours / peer'].join(
      ' | ',
    ),
  );
  for (const [name, ours, peer] of rows)
    console.log(
      [
        name.padEnd(58),
        fmt(ours).padEnd(38),
        (peer ? fmt(peer) : '—').padEnd(38),
        peer ? (ours.median / peer.median).toFixed(3) : '—',
      ].join(' | '),
    );
  const worst = Math.max(...rows.map(([, t]) => t.median));
  console.log(`\nslowest of ours: ${worst.toFixed(2)} ms median (goal: every first page and any offset under 10 ms)`);
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
