import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createPinoLogger } from '../../src/main/adapters/pino-logger';
import { createCore } from '../../src/main/core/create-core';
import { MemorySecretStore } from '../../src/main/core/secrets/memory-secret-store';
import { ConfSettingsStore } from '../../src/main/core/settings/conf-settings-store';
import { startEmbeddedHub, type EmbeddedHub } from '../../src/main/embedded-hub';
import { makeTempDir } from '../support/temp-dir';
import { deriveWorkerScript, writeWorkerScript } from '../support/bundle-node-script';
import { startHostServer } from './host-server';
import { clockStartingAt, type Clock } from '../../src/shared/domain/clock';

/**
 * `npm run host`: the core and built renderer on loopback, for Playwright and for a look in a browser.
 * By default it also starts the embedded referral hub with demo data (in <data-dir>/../demo-hub)
 * and points the workstation at it; `--hub-url URL` (or a hub URL saved in settings) uses that hub instead.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'renderer-dir': { type: 'string', default: 'out/renderer' },
    'hub-url': { type: 'string' },
    // The instant the app believes it is at start (ISO 8601), ticking on from there: for demos
    // and specs that must not depend on today's date. The embedded demo hub shares the clock.
    'clock-start': { type: 'string' },
  },
});
const clock = values['clock-start'] === undefined ? undefined : parseClockStart(values['clock-start']);
if (clock) console.log(`Clock set: the app starts at ${clock().toISOString()}`);
// The data directory's parent also holds the embedded demo hub and the test host's cache key.
const dataDir = values['data-dir'] ? resolve(values['data-dir']) : join(makeTempDir('dermdesk-host-').path, 'data');
mkdirSync(dataDir, { recursive: true });
const settings = new ConfSettingsStore(dataDir);
if (values['hub-url']) settings.update({ hubUrl: values['hub-url'] });
let embedded: EmbeddedHub | null = null;
if (!settings.get().hubUrl) {
  console.log('Starting the embedded referral hub with demo data (the first start takes a minute)…');
  embedded = await startEmbeddedHub(join(dirname(dataDir), 'demo-hub'), (line) => console.log(`[hub] ${line}`), clock);
  console.log(`Embedded hub: ${embedded.options.url}`);
  if (embedded.options.demoAccount) {
    const { username, password } = embedded.options.demoAccount;
    console.log(`Demo consultant: ${username} / ${password} (prefilled in the sign-in dialog)`);
  }
}
const core = createCore({
  dataDir,
  // The core's log as the app writes it (pino, patient data redacted), on stderr beside the banner.
  logger: createPinoLogger(pino.destination(2)),
  ...(clock ? { now: clock } : {}),
  secrets: new MemorySecretStore(),
  settings,
  appVersion: process.env['npm_package_version'] ?? '0.0.0',
  databaseKey: testHostCacheKey(dirname(dataDir)),
  deriveWorker: { script: await deriveWorkerScript() },
  writeWorker: { script: await writeWorkerScript() },
  ...(embedded ? { sync: { embeddedHub: embedded.options } } : {}),
});
const host = await startHostServer({ core, rendererDir: resolve(values['renderer-dir']), port: Number(values.port) });
console.log(`DermDesk test host: ${host.url}/#token=${host.token}`);
const stop = (): void => {
  void host
    .close()
    .then(() => core.sync.outbox.drain(3000))
    .then(() => {
      core.close();
      return embedded?.close();
    })
    .then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

/**
 * The test host has no OS keychain (that is the Electron shell's KeytarSecretStore): its cache key
 * is a random key in a 0600 file beside the data directory, kept across runs of `npm start`.
 * The test host is for development and tests, never for patient data.
 */
function testHostCacheKey(dir: string): string {
  const file = join(dir, 'test-host-cache.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/** `--clock-start` must be a full ISO 8601 instant; anything else stops the host with the reason. */
function parseClockStart(value: string): Clock {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    console.error(`--clock-start must be an ISO 8601 instant such as 2026-11-30T09:00:00Z, not "${value}"`);
    process.exit(2);
  }
  return clockStartingAt(value);
}
