#!/usr/bin/env node
// `npm start`: the app on this machine. With an Electron binary it launches the desktop app;
// without one (ELECTRON_SKIP_BINARY_DOWNLOAD, as on CI) it serves the same renderer and core on
// the Node test host and prints the address to open in a browser. Either way, with no hub
// configured it starts the embedded referral hub with demo data in the local data dir;
// `npm start -- --hub-url https://hub.example` points at a real hub instead.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

function electronBinary() {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const binary = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const hubFlag = process.argv.indexOf('--hub-url');
const hubUrl = hubFlag >= 0 ? process.argv[hubFlag + 1] : undefined;
const child = binary
  ? spawn(binary, ['.'], { stdio: 'inherit', env: { ...process.env, ...(hubUrl ? { DERMDESK_HUB_URL: hubUrl } : {}) } })
  : (console.log('No Electron binary here: serving DermDesk on the Node test host instead.'),
    spawn('npx', ['tsx', 'tests/host/cli.ts', '--data-dir', '.dermdesk-local/data', ...process.argv.slice(2)], {
      stdio: 'inherit',
    }));
child.on('exit', (code) => process.exit(code ?? 0));
