#!/usr/bin/env node
// Runs @doyensec/electronegativity over what ships, as one application (its global checks need to
// see the shell, the preload and the page together): the main and preload sources, the renderer
// sources, and the built index.html whose CSP is the one in force. It FAILS on any finding:
// electronegativity itself exits 0 whatever it finds, so the CSV it writes is what we judge.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const bin = join('node_modules', '.bin', 'electronegativity');
if (!existsSync('out/renderer/index.html')) {
  console.error('electronegativity: build first (npm run build); out/renderer/index.html is missing');
  process.exit(2);
}
const staging = join('.reports', 'electronegativity-input');
rmSync(staging, { recursive: true, force: true });
cpSync('src/main', join(staging, 'main'), { recursive: true, filter: (f) => !f.endsWith('.test.ts') });
cpSync('src/preload', join(staging, 'preload'), { recursive: true });
cpSync('src/renderer/src', join(staging, 'renderer'), { recursive: true, filter: (f) => !f.endsWith('.test.ts') });
cpSync('out/renderer/index.html', join(staging, 'renderer', 'index.html'));

const csv = join('.reports', 'electronegativity.csv');
execFileSync(bin, ['-i', staging, '-o', csv, '-r', '-v', 'false', '-e', electronVersion], { stdio: 'pipe' });
const rows = readFileSync(csv, 'utf8')
  .split('\n')
  .slice(1)
  .filter((line) => line.trim() !== '');
for (const row of rows) console.error(`  finding: ${row}`);
if (rows.length > 0) {
  console.error(`electronegativity: ${rows.length} finding(s); fix them (see the wiki link on each row).`);
  process.exit(1);
}
console.log('electronegativity: 0 findings');
