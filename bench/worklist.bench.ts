/**
 * Worklist at scale: 100,000 cached cases in a real SQLite file (WAL, synchronous=FULL, the app's
 * migrations and CaseCache.upsert, so the FTS5 triggers run as in the app). Prints the first page
 * and full-text searches through CaseCache.list beside the same queries done as a plain table scan
 * (LIKE over the same columns and the referral JSON), measured in the same run.
 *
 *   npm run bench -- worklist        (BENCH_CASES=20000 for a quicker run)
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CaseCache } from '../src/main/core/cases/case-cache';
import { openDatabase } from '../src/main/core/db/open-database';
import type { CaseRecord } from '../src/shared/domain/case';
import { nhsCheckDigit } from '../src/shared/domain/nhs-number';

const CASES = Number(process.env['BENCH_CASES'] ?? 100_000);
const RUNS = 15;

const surnames = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Robinson',
  'Wright',
  'Thompson',
  'Evans',
  'Walker',
  'White',
  'Roberts',
  'Green',
  'Hall',
  'Wood',
  'Jackson',
  'Clarke',
  'Patel',
  'Khan',
  'Lewis',
  'James',
  'Phillips',
  'Mason',
  'Mitchell',
  'Rose',
  'Davis',
  'Rodriguez',
  'Cox',
  'Alexander',
  'Lovelace',
];
const given = [
  'Ada',
  'Grace',
  'Alan',
  'Mary',
  'John',
  'Priya',
  'Mohammed',
  'Olivia',
  'Noah',
  'Amelia',
  'George',
  'Isla',
];
const complaints = [
  'Changing pigmented lesion on the back',
  'Scaly plaques on elbows and knees',
  'Itchy rash on both hands',
  'Non-healing lesion on the nose',
  'Pearly papule on the cheek',
  'Facial redness and pustules',
  'Hair loss in patches',
  'New mole on the calf',
  'Crusted lesion on the scalp',
  'Nail discolouration',
  'Brown stuck-on lesions on the trunk',
  'Tender nodules in the armpits',
  'White patches on the hands',
  'Recurrent hives',
  'Wart on the sole of the foot',
];
const practices = Array.from(
  { length: 60 },
  (_, i) => `Practice ${i} ${['Riverside', 'Harbour Lane', 'Hill Top', 'Park View'][i % 4]} Surgery`,
);

function nhs(seed: number): string {
  for (let n = seed; ; n++) {
    const nine = String(100000000 + (n % 800000000)).padStart(9, '0');
    const c = nhsCheckDigit(nine);
    if (c !== null) return `${nine}${c}`;
  }
}

function makeCase(i: number): CaseRecord {
  const receivedAt = new Date(Date.UTC(2026, 10, 1) + (i % (30 * 24)) * 3_600_000).toISOString();
  const r = i % 20;
  return {
    id: randomUUID(),
    version: 1,
    patient: {
      nhsNumber: nhs(i * 7 + 1),
      givenName: given[i % given.length] ?? 'Ada',
      familyName: `${surnames[i % surnames.length]}${i % 97 === 0 ? '-Hopkinson' : ''}`,
      dateOfBirth: '1960-01-01',
      sex: 'female',
    },
    practice: {
      odsCode: `B${String(i % 60).padStart(5, '0')}`,
      name: practices[i % 60] ?? 'Practice',
      clinician: `Dr ${surnames[(i + 3) % surnames.length]}`,
    },
    images: [],
    referral: {
      priority: r === 0 ? 'suspected-cancer' : r < 4 ? 'urgent' : 'routine',
      receivedAt,
      presentingComplaint: complaints[i % complaints.length] ?? 'Rash',
      duration: `${(i % 12) + 1} months`,
      evolution: i % 3 === 0 ? 'Growing slowly' : 'Unchanged',
      site: { region: 'chest-posterior', description: 'Upper back' },
      symptoms: i % 5 === 0 ? 'Itch and occasional bleeding' : 'None',
      history: i % 11 === 0 ? 'Previous basal cell carcinoma excised' : 'Nil of note',
      medication: i % 7 === 0 ? 'Methotrexate' : 'None',
      allergies: 'None known',
      riskFactors: ['fair skin'],
      consent: { given: true, recordedAt: receivedAt, recordedBy: 'GP' },
    },
  };
}

function time(fn: () => unknown): { median: number; p95: number; result: unknown } {
  const samples: number[] = [];
  let result: unknown;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    result = fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(RUNS / 2)] ?? 0, p95: samples[Math.ceil(RUNS * 0.95) - 1] ?? 0, result };
}

const dir = mkdtempSync(join(tmpdir(), 'dermdesk-bench-worklist-'));
try {
  const db = openDatabase(join(dir, 'cache.sqlite'));
  const cache = new CaseCache(db, () => new Date('2026-12-01T10:00:00Z'));
  const t0 = performance.now();
  db.transaction(() => {
    for (let i = 0; i < CASES; i++) cache.upsert(makeCase(i));
  })();
  console.log(
    `seeded ${CASES.toLocaleString('en-GB')} cases through CaseCache.upsert in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // The peer: the same search as a plain table scan, LIKE over name, NHS number, practice and the
  // referral (record JSON), with the worklist's order, a page of 100 and the total count.
  const likeWhere = `WHERE state NOT IN ('passed-on', 'withdrawn') AND (patient_name LIKE @q OR nhs_number LIKE @q OR practice_name LIKE @q OR record_json LIKE @q)`;
  const likePage = db.prepare(
    `SELECT id, patient_name, nhs_number, practice_name, priority, received_at, due_on, state, presenting_complaint, image_count FROM cases ${likeWhere} ORDER BY priority_rank, due_on, received_at LIMIT 100`,
  );
  const likeCount = db.prepare(`SELECT COUNT(*) AS n FROM cases ${likeWhere}`);
  const like = (q: string) => ({
    total: (likeCount.get({ q: `%${q}%` }) as { n: number }).n,
    cases: likePage.all({ q: `%${q}%` }),
  });

  const rows: Array<[string, string, string]> = [];
  const fmt = (t: { median: number; p95: number }) => `${t.median.toFixed(2)} ms (p95 ${t.p95.toFixed(2)})`;
  const first = time(() => cache.list({ limit: 100, offset: 0 }));
  rows.push(['first page (100 rows + total), no filter', fmt(first), '']);
  const open = time(() => cache.list({ limit: 100, offset: 0, filter: 'open' }));
  rows.push(['first page, "to triage" filter', fmt(open), '']);
  const deep = time(() => cache.list({ limit: 100, offset: 50_000 }));
  rows.push(['page at offset 50,000', fmt(deep), '']);
  for (const q of ['Hopkinson', 'methotrexate', 'pearly cheek', nhs(7 * 4321 + 1).slice(0, 6)]) {
    const fts = time(() => cache.list({ limit: 100, offset: 0, search: q }));
    const scan = time(() => like(q.split(' ')[0] ?? q));
    const total = (fts.result as { total: number }).total;
    rows.push([`search "${q}" (${total.toLocaleString('en-GB')} hits)`, fmt(fts), fmt(scan)]);
  }
  console.log(`\nWorklist over ${CASES.toLocaleString('en-GB')} cached cases (median of ${RUNS} runs):`);
  console.log(['query'.padEnd(46), 'DermDesk (FTS5 + index)'.padEnd(30), 'plain table scan (LIKE)'].join(' | '));
  for (const [name, ours, peer] of rows) console.log([name.padEnd(46), ours.padEnd(30), peer || '—'].join(' | '));
  console.log('\n(the LIKE peer searches the first word only: LIKE cannot AND prefix terms in one pattern)');
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
