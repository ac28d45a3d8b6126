import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../src/hub/store/fs-object-store';
import { ObjectTooLargeError, type ObjectStore } from '../../src/hub/store/object-store';
import { S3ObjectStore, s3OptionsFromUrl } from '../../src/hub/store/s3-object-store';
import { dermoscopyFixtures } from '../support/fixtures';
import { startTestS3, type TestS3 } from '../support/s3-server';
import { makeTempDir } from '../support/temp-dir';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A stream that yields `total` bytes in 64 KiB chunks, as a slow upload would. */
function chunked(bytes: Buffer): Readable {
  let at = 0;
  return new Readable({
    read() {
      if (at >= bytes.length) return this.push(null);
      this.push(bytes.subarray(at, at + 65_536));
      at += 65_536;
    },
  });
}

interface Engine {
  name: string;
  open(): Promise<{ store: ObjectStore; leftovers(): Promise<number>; close(): Promise<void> }>;
}

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => s3.close());

const engines: Engine[] = [
  {
    name: 'filesystem',
    async open() {
      const dir = makeTempDir('dermdesk-objects-');
      return {
        store: new FsObjectStore(dir.path),
        // Temp files left behind by a refused or failed write.
        leftovers: async () => readdirSync(join(dir.path, 'tmp')).length,
        close: async () => dir.remove(),
      };
    },
  },
  {
    name: 's3 (s3rver on loopback)',
    async open() {
      const prefix = `t${randomBytes(4).toString('hex')}/`;
      // 5 MiB parts (S3's minimum), so the 12 MiB photograph below goes as a real multipart upload.
      const store = new S3ObjectStore({ bucket: s3.bucket, prefix, client: s3.client, partBytes: 5 * 1024 * 1024 });
      return {
        store,
        leftovers: async () => {
          const { S3Client, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
          const client = new S3Client(s3.client);
          const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}tmp/` }));
          client.destroy();
          return listed.KeyCount ?? 0;
        },
        close: async () => store.close(),
      };
    },
  },
];

describe.each(engines)('object store contract: $name', (engine) => {
  let store: ObjectStore;
  let leftovers: () => Promise<number>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, leftovers, close } = await engine.open());
  });
  afterAll(async () => close());

  const photo = readFileSync(dermoscopyFixtures()[0]!);

  it('stores bytes under their SHA-256, reads them back whole and by range, and knows their size', async () => {
    const put = await store.put(photo);
    expect(put).toEqual({ sha256: sha(photo), bytes: photo.length });
    expect(await store.size(put.sha256)).toBe(photo.length);
    expect((await bytesOf(store.read(put.sha256))).equals(photo)).toBe(true);
    const part = await bytesOf(store.read(put.sha256, { start: 100, end: 4_195 }));
    expect(part.equals(photo.subarray(100, 4_196))).toBe(true);
  });

  it('storing the same bytes twice is a no-op with the same address', async () => {
    const first = await store.put(photo);
    const again = await store.put(photo);
    expect(again).toEqual(first);
  });

  it('an absent object has no size, and reading it fails rather than returning nothing', async () => {
    const absent = 'f'.repeat(64);
    expect(await store.size(absent)).toBeNull();
    await expect(bytesOf(store.read(absent))).rejects.toThrow();
  });

  it('refuses a name that is not a SHA-256 digest (no traversal into other keys)', () => {
    expect(() => store.read('../../etc/passwd')).toThrow(/SHA-256/);
  });

  it('streams a large photograph in (several parts), never needing it whole, and reads it back', async () => {
    const large = randomBytes(12 * 1024 * 1024);
    const put = await store.putStream(chunked(large), 32 * 1024 * 1024);
    expect(put).toEqual({ sha256: sha(large), bytes: large.length });
    expect(await store.size(put.sha256)).toBe(large.length);
    const tail = await bytesOf(store.read(put.sha256, { start: large.length - 1000, end: large.length - 1 }));
    expect(tail.equals(large.subarray(large.length - 1000))).toBe(true);
    expect(await leftovers()).toBe(0);
  });

  it('refuses a stream past its limit with ObjectTooLargeError and keeps nothing of it', async () => {
    const big = randomBytes(3 * 1024 * 1024);
    await expect(store.putStream(chunked(big), 1024 * 1024)).rejects.toBeInstanceOf(ObjectTooLargeError);
    expect(await store.size(sha(big))).toBeNull();
    expect(await leftovers()).toBe(0);
  });

  it('a sender that breaks off mid-stream stores nothing under any address', async () => {
    const bytes = randomBytes(512 * 1024);
    let sent = 0;
    const broken = new Readable({
      read() {
        if (sent >= 256 * 1024) return this.destroy(new Error('connection reset by peer'));
        this.push(bytes.subarray(sent, sent + 65_536));
        sent += 65_536;
      },
    });
    await expect(store.putStream(broken, 32 * 1024 * 1024)).rejects.toThrow(/reset/);
    expect(await store.size(sha(bytes))).toBeNull();
    expect(await store.size(sha(bytes.subarray(0, 256 * 1024)))).toBeNull();
    expect(await leftovers()).toBe(0);
  });

  it('answers ping when it can be written', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

describe('s3 settings from --object-store', () => {
  it('reads the bucket, the prefix and a non-AWS endpoint (path-style) from the URL and environment', () => {
    expect(s3OptionsFromUrl('s3://derm-images/region-a', { DERMDESK_S3_ENDPOINT: 'http://127.0.0.1:9000' })).toEqual({
      bucket: 'derm-images',
      prefix: 'region-a/',
      client: { region: 'eu-west-2', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true },
    });
    expect(s3OptionsFromUrl('s3://derm-images', { AWS_REGION: 'eu-west-1' })).toEqual({
      bucket: 'derm-images',
      client: { region: 'eu-west-1' },
    });
  });

  it('says what it expects when the URL is not s3://bucket', () => {
    expect(() => s3OptionsFromUrl('https://derm-images.s3.amazonaws.com')).toThrow(/s3:\/\/bucket/);
  });
});

it('an unreachable bucket fails ping with the server’s error (readiness goes red)', async () => {
  const store = new S3ObjectStore({ bucket: 'no-such-bucket', client: s3.client });
  await expect(store.ping()).rejects.toThrow();
  store.close();
});
