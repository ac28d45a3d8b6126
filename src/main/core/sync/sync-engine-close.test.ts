import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_CACHE_KEY } from '../../../../tests/support/cache-key';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { createCore } from '../create-core';
import { MemorySecretStore } from '../secrets/memory-secret-store';
import { ConfSettingsStore } from '../settings/conf-settings-store';

/** A keychain that answers only when the test says so (a real keychain answers late). */
class LateSecretStore extends MemorySecretStore {
  private answer!: () => void;
  private readonly ready = new Promise<void>((resolve) => (this.answer = resolve));
  override async get(account: string): Promise<string | null> {
    await this.ready;
    return super.get(account);
  }
  release(): void {
    this.answer();
  }
}

describe('a core closed before the keychain answers', () => {
  const dir = makeTempDir();
  afterEach(() => dir.remove());

  it('does not read the closed database when the answer arrives (no unhandled rejection)', async () => {
    const failures: unknown[] = [];
    const onFailure = (error: unknown): void => void failures.push(error);
    process.on('unhandledRejection', onFailure);
    try {
      const secrets = new LateSecretStore();
      const dataDir = join(dir.path, 'data');
      const core = createCore({
        dataDir,
        secrets,
        settings: new ConfSettingsStore(dataDir),
        appVersion: '0.0.0-test',
        databaseKey: TEST_CACHE_KEY,
      });
      core.close();
      secrets.release();
      // Let the keychain's answer and any rejection it causes run out.
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('unhandledRejection', onFailure);
    }
    expect(failures).toEqual([]);
  });
});
