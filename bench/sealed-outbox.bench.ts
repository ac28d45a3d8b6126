/**
 * The cost of the sealed outbox journal on the consultant's hot paths: signing a decision (one
 * transaction: decision, outbox row, audit row; with the journal, two entries sealed to the hub's
 * X25519 key and fsynced before the commit) and opening a case (one audit row), each beside the
 * same operation on a cache without a journal (the code before it), alternating, same run, on
 * real SQLCipher files (synchronous=FULL) in the temp folder.
 *
 *   npm run bench -- sealed-outbox
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { appendAudit } from '../src/main/core/audit/audit-log';
import { CaseCache } from '../src/main/core/cases/case-cache';
import { openDatabase, type Db } from '../src/main/core/db/open-database';
import { signDecision } from '../src/main/core/decisions/sign-decision';
import { generateSealingKeyPair } from '../src/common/sealed-box/sealed-box';
import { SealedJournal } from '../src/main/core/outbox/sealed-journal';
import { sampleCase, sampleDischarge } from '../tests/support/sample-case';
import { makeTempDir } from '../tests/support/temp-dir';

const N = 150;
const consultant = { id: 'c-1', displayName: 'Dr Bench' };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length * 0.95)] ?? 0;
}

function cache(
  dir: string,
  name: string,
  sealed: boolean,
): { db: Db; journal: SealedJournal | null; caseIds: string[] } {
  const db = openDatabase(join(dir, `${name}.sqlite`), { key: 'ab'.repeat(32) });
  const hub = generateSealingKeyPair();
  const journal = sealed ? new SealedJournal(db, join(dir, name), () => hub) : null;
  const cases = new CaseCache(db);
  const caseIds: string[] = [];
  for (let i = 0; i < N; i++) {
    const record = sampleCase({ id: randomUUID() });
    cases.upsert(record);
    caseIds.push(record.id);
  }
  return { db, journal, caseIds };
}

async function main(): Promise<void> {
  const dir = makeTempDir('dermdesk-bench-sealed-');
  try {
    const ours = cache(dir.path, 'sealed', true);
    const peer = cache(dir.path, 'plain', false);
    const sign = { ours: [] as number[], peer: [] as number[] };
    const view = { ours: [] as number[], peer: [] as number[] };
    for (let i = 0; i < N; i++) {
      for (const [which, c] of [
        ['ours', ours],
        ['peer', peer],
      ] as const) {
        let t = performance.now();
        signDecision(c.db, { caseId: c.caseIds[i]!, content: sampleDischarge(), consultant }, new Date(), c.journal);
        sign[which].push(performance.now() - t);
        t = performance.now();
        c.db.transaction(() =>
          appendAudit(c.db, { actor: 'c-1', caseId: c.caseIds[i]!, action: 'case.viewed' }, new Date(), c.journal),
        )();
        view[which].push(performance.now() - t);
        // Let the after-commit rename run, as between two real user actions.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const row = (what: string, x: { ours: number[]; peer: number[] }): string =>
      `${what.padEnd(34)} sealed journal median ${median(x.ours).toFixed(2)} ms (p95 ${p95(x.ours).toFixed(2)})` +
      ` | without journal median ${median(x.peer).toFixed(2)} ms (p95 ${p95(x.peer).toFixed(2)})`;
    console.log(`sealed outbox journal, ${N} operations each, SQLCipher + synchronous=FULL, ${process.platform}`);
    console.log(row('sign a decision (2 sealed entries)', sign));
    console.log(row('audit a case view (1 sealed entry)', view));
    ours.db.close();
    peer.db.close();
  } finally {
    dir.remove();
  }
}

void main();
