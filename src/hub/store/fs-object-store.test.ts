import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../tests/support/temp-dir';
import { FsObjectStore } from './fs-object-store';

const dir = makeTempDir('dermdesk-fs-objects-');
afterAll(() => dir.remove());

describe('FsObjectStore.size', () => {
  it('is null only for an object that does not exist; any other failure to stat it is thrown', async () => {
    const store = new FsObjectStore(dir.path);
    const { sha256 } = await store.put(Buffer.from('a photograph'));
    expect(await store.size(sha256)).toBe(12);
    expect(await store.size('0'.repeat(64))).toBeNull();
    // A file where the shard folder should be: stat fails with ENOTDIR, which is not "missing".
    mkdirSync(dir.path, { recursive: true });
    writeFileSync(join(dir.path, 'ab'), 'not a folder');
    await expect(store.size(`ab${'1'.repeat(62)}`)).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
