import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../../src/main/core/create-core';
import { MemorySecretStore } from '../../src/main/core/secrets/memory-secret-store';
import { ConfSettingsStore } from '../../src/main/core/settings/conf-settings-store';
import { makeTempDir } from '../support/temp-dir';
import { startHostServer } from './host-server';

/** `npm run host`: the core and built renderer on loopback, for Playwright and for a look in a browser. */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    'renderer-dir': { type: 'string', default: 'out/renderer' },
  },
});
const dataDir = values['data-dir'] ? resolve(values['data-dir']) : makeTempDir('dermdesk-host-').path;
const core = createCore({
  dataDir,
  secrets: new MemorySecretStore(),
  settings: new ConfSettingsStore(dataDir),
  appVersion: process.env['npm_package_version'] ?? '0.0.0',
});
const host = await startHostServer({ core, rendererDir: resolve(values['renderer-dir']), port: Number(values.port) });
console.log(`DermDesk test host: ${host.url}/#token=${host.token}`);
const stop = (): void => {
  void host.close().then(() => {
    core.close();
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
