import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaseCache } from '../../src/main/core/cases/case-cache';
import { openDatabase } from '../../src/main/core/db/open-database';
import { repoRoot } from '../support/fixtures';
import { TEST_CACHE_KEY } from '../support/cache-key';
import { sampleCase } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';

/**
 * `npm run host -- --clock-start ISO`: the test host's core believes the date it is given, so a
 * demo or a spec sees the same due dates and overdue marks on any day. Runs the real CLI as its
 * own process on a data directory holding one cached case, and reads the worklist over HTTP.
 */
const dir = makeTempDir('dermdesk-host-clock-');
afterAll(() => dir.remove());

function runHost(args: string[]): Promise<{ url: string; token: string; output: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/host/cli.ts', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host did not start:\n${output}`)), 90_000);
    child.stdout.on('data', () => {
      const m = /DermDesk test host: (http:\/\/\S+)\/#token=(\S+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1] as string,
        token: m[2] as string,
        output,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`the host exited (${code}):\n${output}`), { code, output }));
    });
  });
}

async function worklist(host: { url: string; token: string }): Promise<{ dueOn: string; overdue: boolean }[]> {
  const res = await fetch(`${host.url}/rpc/worklist.list`, {
    method: 'POST',
    headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ filter: 'all' }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: { cases: { dueOn: string; overdue: boolean }[] } }).value.cases;
}

describe('test host --clock-start', () => {
  it(
    'sets the date core works from (due dates, overdue) and refuses a value that is not an instant',
    { timeout: 240_000 },
    async () => {
      const dataDir = join(dir.path, 'data');
      mkdirSync(dataDir, { recursive: true });
      // The host keeps its cache key in a file beside the data directory (it has no keychain).
      writeFileSync(join(dir.path, 'test-host-cache.key'), TEST_CACHE_KEY, { mode: 0o600 });
      const db = openDatabase(join(dataDir, 'cache.sqlite'), { key: TEST_CACHE_KEY });
      // Received Friday 27 Nov 2026 16:00: due Wednesday 2 Dec; overdue from Thursday 3 Dec.
      new CaseCache(db).upsert(sampleCase({ referral: { receivedAt: '2026-11-27T16:00:00.000Z' } }));
      db.close();
      // A hub address turns the embedded demo hub off (nothing listens there; no sync is run).
      const common = ['--data-dir', dataDir, '--hub-url', 'http://127.0.0.1:9', '--renderer-dir', dir.path];

      const before = await runHost([...common, '--clock-start', '2026-12-02T17:00:00Z']);
      try {
        expect(before.output).toContain('Clock set: the app starts at 2026-12-02T17:00:00');
        expect(await worklist(before)).toEqual([expect.objectContaining({ dueOn: '2026-12-02', overdue: false })]);
      } finally {
        await before.stop();
      }
      const after = await runHost([...common, '--clock-start', '2026-12-03T09:00:00Z']);
      try {
        expect(await worklist(after)).toEqual([expect.objectContaining({ dueOn: '2026-12-02', overdue: true })]);
      } finally {
        await after.stop();
      }

      // Not an instant: the host refuses to start and says what it wants.
      const refused = await runHost([...common, '--clock-start', 'next tuesday']).catch(
        (e: { code?: number; output?: string }) => e,
      );
      expect(refused).toMatchObject({
        code: 2,
        output: expect.stringContaining('--clock-start must be an ISO 8601 instant'),
      });
    },
  );
});
