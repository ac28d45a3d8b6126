#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts in turn (each prints our figure beside a peer's
// measured in the same run). Pass names to run only some: npm run bench -- sync viewer
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const wanted = process.argv.slice(2);
const benches = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
if (benches.length === 0) {
  console.error('No benchmarks matched.');
  process.exit(1);
}
let failed = 0;
for (const file of benches) {
  console.log(`\n=== bench/${file}`);
  const { status } = spawnSync('npx', ['tsx', `bench/${file}`], { stdio: 'inherit' });
  if (status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
