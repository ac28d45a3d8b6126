import { readFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testImageKey as key } from '../../../../tests/support/cache-key';
import { deriveWorkerScript } from '../../../../tests/support/bundle-node-script';
import { dermoscopyFixtures } from '../../../../tests/support/fixtures';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { DerivativeQueue } from './derivative-queue';
import { inProcessDeriver, WorkerDeriver } from './derivers';
import { readCachedImage } from './image-reader';
import { placeOriginal } from './place-original';

let dir: { path: string; remove: () => void };
let worker: WorkerDeriver | null = null;
beforeEach(() => {
  dir = makeTempDir('dermdesk-derivers-');
});
afterEach(async () => {
  await worker?.close();
  worker = null;
  dir.remove();
});

describe('derivation in a worker thread', () => {
  it('builds the same derivatives as on the calling thread, in another thread, with progress', async () => {
    worker = new WorkerDeriver(await deriveWorkerScript(), dir.path, key);
    const bytes = readFileSync(dermoscopyFixtures()[0] ?? '');
    const sha = placeOriginal(dir.path, key, bytes);
    const seen: number[] = [];
    const meta = await worker.derive(sha, (f) => seen.push(f));
    expect(worker.lastThreadId).not.toBeNull();
    expect(worker.lastThreadId).not.toBe(threadId);
    expect(seen.length).toBeGreaterThan(2);
    const other = makeTempDir('dermdesk-derivers-');
    try {
      const again = placeOriginal(other.path, key, bytes);
      expect(await inProcessDeriver(other.path, key).derive(again, () => undefined)).toEqual(meta);
    } finally {
      other.remove();
    }
    const preview = await readCachedImage(dir.path, key, sha, 'preview');
    expect(preview.ok).toBe(true);
  });

  it('a refused image fails with its own message through the worker, and the next image still derives', async () => {
    worker = new WorkerDeriver(await deriveWorkerScript(), dir.path, key);
    const queue = new DerivativeQueue(dir.path, worker);
    const bad = placeOriginal(dir.path, key, Buffer.from('<html><body>not a photo</body></html>'));
    const good = placeOriginal(dir.path, key, readFileSync(dermoscopyFixtures()[1] ?? ''));
    queue.enqueue(bad);
    queue.enqueue(good);
    await queue.idle();
    expect(queue.status(bad)).toMatchObject({ state: 'failed', message: expect.stringMatching(/web page/) });
    expect(queue.status(good)).toMatchObject({ state: 'ready' });
  });

  it('a worker that dies mid-image fails that image with a recorded error, and a fresh worker takes the next', async () => {
    worker = new WorkerDeriver(await deriveWorkerScript(), dir.path, key);
    const first = placeOriginal(dir.path, key, readFileSync(dermoscopyFixtures()[2] ?? ''));
    const pending = worker.derive(first, () => undefined);
    // Kill the thread under the job, as an out-of-memory abort would.
    await worker.close();
    await expect(pending).rejects.toMatchObject({
      code: 'corrupt',
      message: expect.stringMatching(/could not be prepared/),
    });
    const queue = new DerivativeQueue(dir.path, worker);
    expect(queue.status(first)).toMatchObject({ state: 'failed' });
    const second = placeOriginal(dir.path, key, readFileSync(dermoscopyFixtures()[3] ?? ''));
    expect((await worker.derive(second, () => undefined)).width).toBeGreaterThan(0);
  });
});
