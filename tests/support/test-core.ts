import { join } from 'node:path';
import { createCore, type Core } from '../../src/main/core/create-core';
import { MemorySecretStore } from '../../src/main/core/secrets/memory-secret-store';
import { ConfSettingsStore } from '../../src/main/core/settings/conf-settings-store';
import { TEST_CACHE_KEY } from './cache-key';
import { makeTempDir } from './temp-dir';

/** A real core (real SQLite file, real settings file) in a fresh directory. */
export function makeTestCore(options: { now?: () => Date } = {}): Core & { cleanup: () => void } {
  const dir = makeTempDir();
  // The data directory inside the temp dir: exports (letters) go beside it, into the same temp dir.
  const dataDir = join(dir.path, 'data');
  const core = createCore({
    dataDir,
    secrets: new MemorySecretStore(),
    settings: new ConfSettingsStore(dataDir),
    appVersion: '0.0.0-test',
    databaseKey: TEST_CACHE_KEY,
    ...(options.now ? { now: options.now } : {}),
  });
  return Object.assign(core, {
    cleanup: () => {
      core.close();
      dir.remove();
    },
  });
}
