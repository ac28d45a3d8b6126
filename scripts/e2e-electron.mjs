#!/usr/bin/env node
// `npm run test:e2e:electron`: the same Playwright specs against the built Electron app.
// Native modules have one ABI at a time, and the specs open the app's SQLite cache from the test
// process (to seed it), so the test runner itself runs on Electron's Node (ELECTRON_RUN_AS_NODE)
// with the modules rebuilt for Electron; afterwards they are rebuilt for this machine's Node.
// On Linux the run is wrapped in a private D-Bus session with gnome-keyring (the app keeps its
// cache key in the keychain).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const electron = require('electron'); // the binary's path; throws if it was never downloaded
const step = (label, command, args, env = {}) => {
  console.log(`\n=== ${label}`);
  const { status } = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return status ?? 1;
};

let status = step('build', 'npx', ['electron-vite', 'build']);
if (status === 0) status = step('rebuild native modules for Electron', 'npm', ['run', 'rebuild:electron']);
if (status === 0) {
  const playwright = ['node_modules/@playwright/test/cli.js', 'test', '--project=electron', ...process.argv.slice(2)];
  const runner =
    process.platform === 'linux' ? ['scripts/with-keyring.sh', electron, ...playwright] : [electron, ...playwright];
  status = step('playwright (electron target)', runner[0], runner.slice(1), { ELECTRON_RUN_AS_NODE: '1' });
}
step('rebuild native modules for Node', 'npm', ['rebuild', 'better-sqlite3-multiple-ciphers', 'keytar']);
process.exit(status);
