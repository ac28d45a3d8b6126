import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ObjectTooLargeError, type ObjectStore } from './object-store';

const SHA256 = /^[0-9a-f]{64}$/;

export interface S3ObjectStoreOptions {
  bucket: string;
  /** Key prefix inside the bucket (default "images/"). */
  prefix?: string;
  /** The S3 client's settings: endpoint, region, credentials, path-style addressing. */
  client: S3ClientConfig;
  /** Parts of a multipart upload (default 8 MiB; S3's minimum is 5 MiB). */
  partBytes?: number;
}

/**
 * Photographs in an S3-compatible bucket (AWS S3, MinIO, Ceph…), so several hub processes on
 * several machines share one copy. Keys are content addresses (<prefix><aa>/<sha256>): no patient
 * data in names, and storing the same bytes twice is a no-op. Every write asks for server-side
 * encryption; uploads over one part go as multipart uploads, so a large photograph is never sent
 * in one request; reads are ranged, so the workstation's resumable download works unchanged.
 */
export class S3ObjectStore implements ObjectStore {
  private readonly s3: S3Client;
  private readonly prefix: string;
  private readonly partBytes: number;

  constructor(private readonly o: S3ObjectStoreOptions) {
    this.s3 = new S3Client(o.client);
    this.prefix = o.prefix ?? 'images/';
    this.partBytes = o.partBytes ?? 8 * 1024 * 1024;
  }

  async put(bytes: Buffer): Promise<{ sha256: string; bytes: number }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if ((await this.size(sha256)) !== bytes.length) await this.upload(this.keyOf(sha256), bytes);
    return { sha256, bytes: bytes.length };
  }

  async putStream(source: Readable, maxBytes: number): Promise<{ sha256: string; bytes: number }> {
    // The address is known only once the last byte has arrived: upload under a temporary key while
    // hashing and counting, then copy to the content address (server-side, no second upload).
    const hash = createHash('sha256');
    let count = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        count += chunk.length;
        if (count > maxBytes) return done(new ObjectTooLargeError(maxBytes));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const tmpKey = `${this.prefix}tmp/${randomUUID()}`;
    source.on('error', (error) => counter.destroy(error));
    try {
      await this.upload(tmpKey, source.pipe(counter));
    } catch (error) {
      await this.removeKey(tmpKey);
      throw counter.errored instanceof ObjectTooLargeError ? counter.errored : error;
    }
    const sha256 = hash.digest('hex');
    try {
      if ((await this.size(sha256)) !== count) {
        await this.s3.send(
          new CopyObjectCommand({
            Bucket: this.o.bucket,
            CopySource: `${this.o.bucket}/${tmpKey}`,
            Key: this.keyOf(sha256),
            ServerSideEncryption: 'AES256',
          }),
        );
      }
    } finally {
      await this.removeKey(tmpKey);
    }
    return { sha256, bytes: count };
  }

  async size(sha256: string): Promise<number | null> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.o.bucket, Key: this.keyOf(sha256) }));
      return head.ContentLength ?? null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  read(sha256: string, range?: { start: number; end: number }): Readable {
    // The port's read is synchronous (callers pipe it straight into a reply); the request to the
    // bucket starts now and feeds the stream when it answers.
    const out = new PassThrough();
    const key = this.keyOf(sha256);
    this.s3
      .send(
        new GetObjectCommand({
          Bucket: this.o.bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      )
      .then(
        (object) => {
          const body = object.Body as Readable | undefined;
          if (!body) return out.destroy(new Error(`object store: no body for ${sha256}`));
          body.on('error', (error) => out.destroy(error));
          body.pipe(out);
        },
        (error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))),
      );
    return out;
  }

  async remove(sha256: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.o.bucket, Key: this.keyOf(sha256) }));
  }

  async withLocalFile<T>(sha256: string, use: (path: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), 'dermdesk-s3-'));
    try {
      const path = join(dir, 'object');
      await pipeline(this.read(sha256), createWriteStream(path, { mode: 0o600 }));
      return await use(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async ping(): Promise<void> {
    await this.s3.send(new HeadBucketCommand({ Bucket: this.o.bucket }));
  }

  close(): void {
    this.s3.destroy();
  }

  private async upload(key: string, body: Buffer | Readable): Promise<void> {
    await new Upload({
      client: this.s3,
      partSize: this.partBytes,
      queueSize: 2,
      leavePartsOnError: false,
      params: { Bucket: this.o.bucket, Key: key, Body: body, ServerSideEncryption: 'AES256' },
    }).done();
  }

  private async removeKey(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.o.bucket, Key: key })).catch(() => undefined);
  }

  private keyOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error('object names are lowercase hex SHA-256 digests');
    return `${this.prefix}${sha256.slice(0, 2)}/${sha256}`;
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

/**
 * `s3://bucket[/prefix]` plus the environment (the AWS SDK's own variables: AWS_REGION,
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY; and DERMDESK_S3_ENDPOINT for a non-AWS server, which
 * also switches to path-style addressing as MinIO and Ceph expect).
 */
export function s3OptionsFromUrl(url: string, env: NodeJS.ProcessEnv = process.env): S3ObjectStoreOptions {
  const parsed = new URL(url);
  if (parsed.protocol !== 's3:' || !parsed.hostname)
    throw new Error(`--object-store must look like s3://bucket or s3://bucket/prefix (got "${url}")`);
  const prefix = parsed.pathname.replace(/^\/+/, '');
  const endpoint = env.DERMDESK_S3_ENDPOINT;
  return {
    bucket: parsed.hostname,
    ...(prefix ? { prefix: prefix.endsWith('/') ? prefix : `${prefix}/` } : {}),
    client: {
      region: env.AWS_REGION ?? 'eu-west-2',
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    },
  };
}
