import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fsyncDir, fsyncDirSync } from './fsync-dir';

describe('fsyncDir', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dd-fsync-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fsyncs a real directory, blocking or not', async () => {
    writeFileSync(join(dir, 'entry'), 'x');
    await expect(fsyncDir(dir)).resolves.toBeUndefined();
    expect(() => fsyncDirSync(dir)).not.toThrow();
  });

  it('reports a directory that does not exist instead of pretending it is durable', async () => {
    const missing = join(dir, 'missing');
    await expect(fsyncDir(missing)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => fsyncDirSync(missing)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
