import { createHash } from 'node:crypto';
import { testImageKey } from '../../../../tests/support/cache-key';
import { decryptBuffer } from '../crypto/file-cipher';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../../../tests/support/fault-proxy';
import { dermoscopyFixtures } from '../../../../tests/support/fixtures';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { HubClient } from '../hub-client/hub-client';
import { DirectorySync } from './dir-sync';
import { ImageStore, type ImageSource } from './image-store';
import { WorkerPartWriters } from './part-writers';
import { writeWorkerScript } from '../../../../tests/support/bundle-node-script';

/**
 * The image store against real bytes over real loopback HTTP: a minimal static origin that
 * honours Range/If-Range with strong ETags (as the hub does), with the fault proxy in between.
 */
const bytes = readFileSync(dermoscopyFixtures()[0] ?? '');
const sha = createHash('sha256').update(bytes).digest('hex');
let origin: Server;
let originUrl = '';
let proxy: FaultProxy;
const dirs: Array<{ remove: () => void }> = [];

beforeAll(async () => {
  origin = createServer((req, res) => {
    const etag = `"${sha}"`;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && req.headers['if-range'] === etag) {
      const start = Number(range[1]);
      res.writeHead(206, { etag, 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` });
      res.end(bytes.subarray(start));
      return;
    }
    res.writeHead(200, { etag, 'content-length': bytes.length });
    res.end(bytes);
  });
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  proxy = await startFaultProxy(originUrl);
});
afterAll(async () => {
  await proxy.close();
  await new Promise((r) => origin.close(r));
});
afterEach(() => {
  proxy.setRule(() => ({ kind: 'pass' }));
  proxy.requests.length = 0;
  for (const d of dirs.splice(0)) d.remove();
});

// The app's own transfer path (HubClient.openImage over node:http), pointed at the proxy.
const source: ImageSource = (sha256, range, signal) =>
  new HubClient({ baseUrl: proxy.url }).openImage(sha256, range, signal);

let writeScript = '';
beforeAll(async () => {
  writeScript = await writeWorkerScript();
});
const workers: WorkerPartWriters[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) await w.shutdown();
});

// Every test runs twice: part files written on the calling thread, and in the image write worker (as the app does).
type Where = 'on the calling thread' | 'in the image write worker';
let where: Where = 'on the calling thread';

function store(): { store: ImageStore; dir: string } {
  const dir = makeTempDir();
  dirs.push(dir);
  const writers = where === 'in the image write worker' ? new WorkerPartWriters(writeScript, testImageKey) : undefined;
  if (writers) workers.push(writers);
  return {
    store: new ImageStore({
      dataDir: dir.path,
      key: testImageKey,
      maxAttempts: 3,
      idleTimeoutMs: 500,
      ...(writers ? { writers } : {}),
    }),
    dir: dir.path,
  };
}

function tmpFiles(dir: string): string[] {
  return existsSync(`${dir}/tmp`) ? readdirSync(`${dir}/tmp`) : [];
}

describe.each<Where>(['on the calling thread', 'in the image write worker'])(
  'ImageStore, part files written %s',
  (w) => {
    beforeAll(() => {
      where = w;
    });

    it('stores a verified original at images/originals/<sha> and reports every byte', async () => {
      const { store: s, dir } = store();
      let counted = 0;
      expect(await s.ensure({ sha256: sha, bytes: bytes.length }, source, (d) => (counted += d))).toBe('stored');
      expect(decryptBuffer(testImageKey, readFileSync(`${dir}/images/originals/${sha}`)).equals(bytes)).toBe(true);
      expect(counted).toBe(bytes.length);
      expect(tmpFiles(dir)).toEqual([]);
      expect(await s.ensure({ sha256: sha, bytes: bytes.length }, source)).toBe('cached');
    });

    it('resumes a connection reset mid-image with Range + If-Range and stores the exact bytes', async () => {
      const { store: s, dir } = store();
      proxy.setRule((_r, i) => (i === 0 ? { kind: 'reset-after', bytes: 70_000 } : { kind: 'pass' }));
      expect(await s.ensure({ sha256: sha, bytes: bytes.length }, source)).toBe('stored');
      // Resumed from the last whole encrypted chunk that arrived (64 KiB), not from byte 0.
      expect(proxy.requests[1]?.headers.range).toBe('bytes=65536-');
      expect(proxy.requests[1]?.headers['if-range']).toBe(`"${sha}"`);
      expect(decryptBuffer(testImageKey, readFileSync(s.originalPath(sha))).equals(bytes)).toBe(true);
      expect(tmpFiles(dir)).toEqual([]);
    });

    it('re-fetches a corrupted body from byte 0 and never stores the wrong bytes', async () => {
      const { store: s } = store();
      proxy.setRule((_r, i) => (i === 0 ? { kind: 'flip-byte', at: 1234 } : { kind: 'pass' }));
      expect(await s.ensure({ sha256: sha, bytes: bytes.length }, source)).toBe('stored');
      expect(proxy.requests[1]?.headers.range).toBeUndefined();
      expect(decryptBuffer(testImageKey, readFileSync(s.originalPath(sha))).equals(bytes)).toBe(true);
    });

    it('refuses an image whose bytes never match the manifest: clear error, nothing stored, no temp file', async () => {
      const { store: s, dir } = store();
      const wrongSha = 'ab'.repeat(32);
      await expect(s.ensure({ sha256: wrongSha, bytes: bytes.length }, source)).rejects.toThrow(
        /do not match the manifest/,
      );
      expect(existsSync(s.originalPath(wrongSha))).toBe(false);
      expect(tmpFiles(dir)).toEqual([]);
      expect(proxy.requests).toHaveLength(3);
    });

    it('cuts off an oversize body at the manifest size + 1 and refuses it', async () => {
      const { store: s, dir } = store();
      proxy.setRule(() => ({ kind: 'append', bytes: 5_000_000 }));
      await expect(s.ensure({ sha256: sha, bytes: bytes.length }, source)).rejects.toThrow(/more than the \d+ bytes/);
      expect(existsSync(s.originalPath(sha))).toBe(false);
      expect(tmpFiles(dir)).toEqual([]);
    });

    it('abandons a download that hangs, then resumes it', async () => {
      const { store: s } = store();
      // Past the first 64 KiB chunk: only whole encrypted chunks are kept for resuming.
      proxy.setRule((_r, i) => (i === 0 ? { kind: 'hang-after', bytes: 150_000 } : { kind: 'pass' }));
      expect(await s.ensure({ sha256: sha, bytes: bytes.length }, source)).toBe('stored');
      expect(proxy.requests[1]?.headers.range).toBeDefined();
      expect(decryptBuffer(testImageKey, readFileSync(s.originalPath(sha))).equals(bytes)).toBe(true);
    });

    it('never has plaintext on disk: an interrupted part file and the stored original are ciphertext', async () => {
      const { store: s, dir } = store();
      // Cut after most of the file, then hang: the part file sits in tmp/ while the store waits.
      const cut = Math.floor(bytes.length * 0.8);
      proxy.setRule((_r, i) => (i === 0 ? { kind: 'reset-after', bytes: cut } : { kind: 'hang-after', bytes: 0 }));
      const pending = s.ensure({ sha256: sha, bytes: bytes.length }, source).then(
        () => 'stored',
        () => 'failed',
      );
      // Wait for the cut: the part file then holds the whole chunks that arrived before it.
      let partBytes = Buffer.alloc(0);
      for (let i = 0; i < 100 && partBytes.length <= 65_536; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const part = tmpFiles(dir)[0];
        partBytes = part ? readFileSync(`${dir}/tmp/${part}`) : partBytes;
      }
      expect(partBytes.length).toBeGreaterThan(65_536);
      const sample = bytes.subarray(1000, 1032);
      expect(partBytes.includes(sample)).toBe(false);
      expect(await pending).toBe('failed');

      proxy.setRule(() => ({ kind: 'pass' }));
      await s.ensure({ sha256: sha, bytes: bytes.length }, source);
      const stored = readFileSync(s.originalPath(sha));
      expect(stored.includes(sample)).toBe(false);
      expect(stored.subarray(0, 4).toString('ascii')).toBe('DDE1');
    });

    it('treats a stored original altered on disk as missing, so it is fetched again rather than shown', async () => {
      const { store: s } = store();
      await s.ensure({ sha256: sha, bytes: bytes.length }, source);
      expect(s.has({ sha256: sha, bytes: bytes.length })).toBe(true);
      const { truncateSync } = await import('node:fs');
      truncateSync(s.originalPath(sha), 1000);
      expect(s.has({ sha256: sha, bytes: bytes.length })).toBe(false);
    });

    it('shares one download between concurrent requests for the same image', async () => {
      const { store: s } = store();
      const results = await Promise.all([1, 2, 3].map(() => s.ensure({ sha256: sha, bytes: bytes.length }, source)));
      expect(results).toEqual(['stored', 'stored', 'stored']);
      expect(proxy.requests).toHaveLength(1);
    });

    it('with the directory sync deferred, the original is in place at once and a later sync makes it durable', async () => {
      const { store: s, dir } = store();
      expect(
        await s.ensure({ sha256: sha, bytes: bytes.length }, source, undefined, { deferDirectorySync: true }),
      ).toBe('stored');
      expect(decryptBuffer(testImageKey, readFileSync(s.originalPath(sha))).equals(bytes)).toBe(true);
      expect(tmpFiles(dir)).toEqual([]);
      await expect(s.syncDirectories()).resolves.toBeUndefined();
      // Nothing left to sync: a second call has no work.
      await expect(s.syncDirectories()).resolves.toBeUndefined();
    });

    it('a directory that cannot be synced fails the sync (so nothing is committed) and is tried again next time', async () => {
      const dir = makeTempDir();
      dirs.push(dir);
      const missing = `${dir.path}/not-yet`;
      const sync = new DirectorySync();
      sync.add(missing);
      await expect(sync.sync()).rejects.toMatchObject({ code: 'ENOENT' });
      mkdirSync(missing);
      await expect(sync.sync()).resolves.toBeUndefined();
    });

    it('refuses a sha that is not hex before touching the file system', async () => {
      const { store: s } = store();
      await expect(s.ensure({ sha256: '../../etc/passwd', bytes: 10 }, source)).rejects.toThrow(/SHA-256/);
      expect(proxy.requests).toHaveLength(0);
    });
  },
);
