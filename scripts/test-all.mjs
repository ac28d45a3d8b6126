#!/usr/bin/env node
// `npm test`: every suite, in the order a failure is cheapest to find, then one closing line
// "N passed, N failed" totalling them all. Gates (lint, format, typecheck, build,
// electronegativity) count as one test each; vitest and Playwright count their own tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

mkdirSync('.reports', { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function gate(label, command, args) {
  if (run(label, command, args)) {
    totals.passed++;
  } else {
    totals.failed++;
    failures.push(label);
  }
}

function counted(label, reportFile, runIt, read) {
  rmSync(reportFile, { force: true });
  const ok = runIt();
  if (!existsSync(reportFile)) {
    totals.failed++;
    failures.push(`${label} (no report: the runner crashed before counting)`);
    return;
  }
  const { passed, failed, skipped } = read(JSON.parse(readFileSync(reportFile, 'utf8')));
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  console.log(`${label}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (failed > 0 || !ok) {
    if (failed === 0) totals.failed++;
    failures.push(label);
  }
}

const haveKeyring =
  spawnSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon'], {
    stdio: 'ignore',
  }).status === 0;
if (!haveKeyring && process.env.CI) {
  console.error('CI must test keytar against a real Secret Service: install dbus and gnome-keyring (see .ci/run).');
  process.exit(1);
}

// One throwaway PostgreSQL cluster for every test file (each makes its own database in it):
// the hub's storage contract, multi-process and restore tests run on it as well as on SQLite.
let pgCluster = null;
const pgStart = spawnSync('npx', ['tsx', 'tests/support/postgres-cluster-cli.ts', 'start'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (pgStart.status === 0) {
  pgCluster = JSON.parse(pgStart.stdout.trim().split('\n').at(-1));
  process.env.DERMDESK_TEST_PG_URL = pgCluster.adminUrl;
  console.log(`PostgreSQL test cluster on 127.0.0.1:${pgCluster.port}`);
} else {
  // The suites that need it fail on their own (each would start a cluster and say why it cannot).
  console.error('Could not start a PostgreSQL test cluster (is the postgresql package installed?)');
}
const stopPg = () => {
  if (!pgCluster) return;
  spawnSync('npx', ['tsx', 'tests/support/postgres-cluster-cli.ts', 'stop', pgCluster.dir], { stdio: 'inherit' });
  pgCluster = null;
};
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => (stopPg(), process.exit(1)));

gate('lint', 'npx', ['eslint', '.', '--max-warnings', '0']);
// Who may import whom (docs/architecture.md, "Parts and their arrows"), over every import.
gate('import rules', 'npx', ['depcruise', '--config', '.dependency-cruiser.cjs', 'src']);
gate('import graph (docs/import-graph.md current, no arrow back up)', 'node', ['scripts/import-graph.mjs', '--check']);
gate('format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']);
gate('typecheck', 'npm', ['run', '--silent', 'typecheck']);
gate('build', 'npx', ['electron-vite', 'build', '--logLevel', 'warn']);

const vitestArgs = ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.reports/vitest.json'];
counted(
  'unit and integration (vitest)',
  '.reports/vitest.json',
  () =>
    haveKeyring
      ? run('vitest (keyring session)', 'scripts/with-keyring.sh', ['npx', ...vitestArgs])
      : run('vitest', 'npx', vitestArgs),
  (r) => ({
    passed: r.numPassedTests,
    failed: r.numFailedTests + (r.numRuntimeErrors ?? 0),
    skipped: r.numPendingTests + r.numTodoTests,
  }),
);

counted(
  'end to end (Playwright, host target)',
  '.reports/playwright.json',
  () =>
    run('playwright', 'npx', ['playwright', 'test', '--project=host'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: '.reports/playwright.json',
    }),
  (r) => ({ passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped }),
);

gate('electronegativity', 'node', ['scripts/electronegativity.mjs']);
stopPg();

console.log('');
if (failures.length > 0) console.log(`Failed: ${failures.join('; ')}`);
const closing = `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
// .ci/run prints this file again as its very last line, after anything npm writes on exit.
writeFileSync('.reports/totals.txt', `${closing}\n`);
console.log(closing);
process.exit(totals.failed > 0 ? 1 : 0);
