import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeWorkerScript } from '../../../../tests/support/bundle-node-script';
import { testImageKey } from '../../../../tests/support/cache-key';
import { dermoscopyFixtures } from '../../../../tests/support/fixtures';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { CHUNK_SIZE, decryptBuffer, HEADER_SIZE, TAG_SIZE } from '../crypto/file-cipher';
import { COMPLETE } from './part-writer';
import { inProcessPartWriters, WorkerPartWriters, type PartWriters } from './part-writers';

const photo = readFileSync(dermoscopyFixtures()[2] ?? '');
// Whole buffers handed to the writers become theirs (the worker takes them without a copy): tests hand over copies.
const sha = createHash('sha256').update(photo).digest('hex');
let script = '';
beforeAll(async () => {
  script = await writeWorkerScript();
});

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function writersFor(where: string): PartWriters {
  const writers = where === 'worker' ? new WorkerPartWriters(script, testImageKey) : inProcessPartWriters(testImageKey);
  cleanups.push(() => writers.shutdown());
  return writers;
}

function tempDir(): string {
  const dir = makeTempDir();
  cleanups.push(() => dir.remove());
  return dir.path;
}

describe.each(['worker', 'calling thread'])('part writers (%s)', (where) => {
  it('hashes, encrypts and writes in pieces, then fsyncs and renames only a body matching its SHA-256', async () => {
    const writers = writersFor(where);
    const dir = tempDir();
    const opened = await writers.open(join(dir, 'a.part'), photo.length, false);
    expect(opened).toMatchObject({ plainBytes: 0 });
    const id = opened?.id ?? 0;
    // Pieces that do not line up with the cipher's chunks.
    await writers.append(id, photo.subarray(0, 1000));
    await writers.append(id, photo.subarray(1000, 200_001));
    expect(await writers.finish(id, photo.subarray(200_001), sha, join(dir, 'final'))).toBe(COMPLETE);
    expect(existsSync(join(dir, 'a.part'))).toBe(false);
    expect(decryptBuffer(testImageKey, readFileSync(join(dir, 'final'))).equals(photo)).toBe(true);
    // Finished: closing again is harmless.
    await writers.close(id);
  });

  it('refuses a body whose SHA-256 differs, leaving nothing at the final path', async () => {
    const writers = writersFor(where);
    const dir = tempDir();
    const id = (await writers.open(join(dir, 'b.part'), photo.length, false))?.id ?? 0;
    const altered = Buffer.from(photo);
    altered[500] = (altered[500] ?? 0) ^ 1;
    expect(await writers.finish(id, altered, sha, join(dir, 'final'))).toMatch(/do not match the manifest's SHA-256/);
    expect(existsSync(join(dir, 'final'))).toBe(false);
  });

  it('resumes an interrupted part from its last whole chunk, re-hashing what it keeps', async () => {
    const writers = writersFor(where);
    const dir = tempDir();
    const part = join(dir, 'c.part');
    const first = (await writers.open(part, photo.length, false))?.id ?? 0;
    // Cut mid-chunk: two and a half chunks arrived.
    await writers.close(first, photo.subarray(0, CHUNK_SIZE * 2.5));
    const resumed = await writers.open(part, photo.length, true);
    expect(resumed?.plainBytes).toBe(CHUNK_SIZE * 2);
    expect(statSync(part).size).toBe(HEADER_SIZE + 2 * (CHUNK_SIZE + TAG_SIZE));
    expect(await writers.finish(resumed?.id ?? 0, photo.subarray(CHUNK_SIZE * 2), sha, join(dir, 'final'))).toBe(
      COMPLETE,
    );
    expect(decryptBuffer(testImageKey, readFileSync(join(dir, 'final'))).equals(photo)).toBe(true);
  });

  it('an unusable part (not ours, or longer than the manifest) is removed rather than resumed', async () => {
    const writers = writersFor(where);
    const dir = tempDir();
    const part = join(dir, 'd.part');
    const id = (await writers.open(part, photo.length, false))?.id ?? 0;
    await writers.close(id, photo.subarray(0, CHUNK_SIZE * 3));
    expect(await writers.open(part, CHUNK_SIZE, true)).toBeNull();
    expect(existsSync(part)).toBe(false);
    expect(await writers.open(join(dir, 'missing.part'), photo.length, true)).toBeNull();
  });

  it('a request for a part file that is not open fails with a clear message, and the writers go on serving', async () => {
    const writers = writersFor(where);
    const dir = tempDir();
    await expect(writers.append(999, photo.subarray(0, 10))).rejects.toThrow(/no longer open/);
    const id = (await writers.open(join(dir, 'e.part'), photo.length, false))?.id ?? 0;
    expect(await writers.finish(id, Buffer.from(photo), sha, join(dir, 'final'))).toBe(COMPLETE);
  });
});

describe('the image write worker', () => {
  it('once stopped (app shutdown, or the thread died), the next request starts a fresh worker', async () => {
    const writers = new WorkerPartWriters(script, testImageKey);
    cleanups.push(() => writers.shutdown());
    const dir = tempDir();
    const first = (await writers.open(join(dir, 'f.part'), photo.length, false))?.id ?? 0;
    await writers.shutdown();
    // The stopped worker's open part files went with it: asking for one is a clear failure, not a hang.
    await expect(writers.append(first, photo.subarray(0, 10))).rejects.toThrow(/no longer open/);
    const again = (await writers.open(join(dir, 'g.part'), photo.length, false))?.id ?? 0;
    expect(await writers.finish(again, Buffer.from(photo), sha, join(dir, 'final'))).toBe(COMPLETE);
  });
});

describe('the image write worker warmed up', () => {
  it('starts its thread on warm(), before any part file is opened, and still writes through it', async () => {
    const writers = new WorkerPartWriters(script, testImageKey);
    cleanups.push(() => writers.shutdown());
    expect(writers.started).toBe(false);
    writers.warm();
    expect(writers.started).toBe(true);
    const dir = tempDir();
    const opened = await writers.open(join(dir, 'a.part'), photo.length, false);
    if (!opened) throw new Error('not opened');
    const outcome = await writers.finish(opened.id, Buffer.from(photo), sha, join(dir, 'a'));
    expect(outcome).toBe(COMPLETE);
    expect(decryptBuffer(testImageKey, readFileSync(join(dir, 'a'))).equals(photo)).toBe(true);
  });
});
