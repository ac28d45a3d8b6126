import { createHash, type Hash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  ChunkEncryptor,
  CHUNK_SIZE,
  HEADER_SIZE,
  newHeader,
  openChunk,
  parseHeader,
  resumeAt,
  TAG_SIZE,
  type ParsedHeader,
} from '../crypto/file-cipher';
import { HubRequestError, toNetworkError } from '../sync/hub-client';
import { imageDir, imageVariants } from './image-paths';

/** What the store needs to know about an image: the hub manifest's promise. */
export interface ExpectedImage {
  sha256: string;
  bytes: number;
}

/**
 * Opens a download of an image. `range` asks for the rest of a partial file; the source must
 * send If-Range with the strong ETag so a changed file comes back whole (200) rather than spliced.
 */
export type ImageSource = (
  sha256: string,
  range: { start: number; ifRange: string } | null,
  signal: AbortSignal,
) => Promise<Response>;

export interface ImageStoreOptions {
  dataDir: string;
  /** The images' AES-256 master key (imageKeyFromCacheKey): originals are stored encrypted. */
  key: Buffer;
  /** Attempts per image before giving up (a mismatch, a cut connection or a 5xx each use one). */
  maxAttempts?: number;
  /** A download with no bytes for this long is abandoned (and resumed on the next attempt). */
  idleTimeoutMs?: number;
  /** Image transfers in flight at once (the network lanes); verification and commit run beside them. */
  transferConcurrency?: number;
  /** Called once per newly stored image (e.g. to queue preview derivation). */
  onStored?: (sha256: string) => void;
}

const WRITE_BATCH_BYTES = 1024 * 1024;
/** attempt() outcome: verified and already fsynced by the writer. */
const COMPLETE_SYNCED = 'complete (synced)';

export class ImageIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageIntegrityError';
  }
}

/** Size on disk of an original of `bytes` plaintext bytes in the encrypted format. */
export function encryptedSize(bytes: number): number {
  return HEADER_SIZE + Math.max(1, Math.ceil(bytes / CHUNK_SIZE)) * TAG_SIZE + bytes;
}

/**
 * The content-addressed original store. Bytes are hashed as they stream and written encrypted
 * (AES-256-GCM chunks, crypto/file-cipher.ts) to a temp file in the data directory; only a file
 * whose SHA-256 and length match the manifest is fsynced and renamed to
 * images/<sha[0:2]>/<sha>/original (then the directory is fsynced, so the rename itself survives
 * power loss). A wrong or oversize body is deleted and fetched again, a cut one is resumed with
 * Range/If-Range from its last whole chunk; nothing unverified is ever at the final path, and no
 * plaintext photograph is ever on disk.
 */
export class ImageStore {
  private readonly inflight = new Map<string, Promise<'stored' | 'cached'>>();
  private readonly maxAttempts: number;
  private readonly idleTimeoutMs: number;
  private readonly slots: Slots;
  private tmpReady: Promise<unknown> | null = null;

  constructor(private readonly options: ImageStoreOptions) {
    this.slots = new Slots(options.transferConcurrency ?? 6);
    this.maxAttempts = options.maxAttempts ?? 4;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  }

  originalPath(sha256: string): string {
    return join(imageDir(this.options.dataDir, sha256), imageVariants.original);
  }

  has(image: ExpectedImage): boolean {
    const path = this.originalPath(image.sha256);
    return existsSync(path) && statSync(path).size === encryptedSize(image.bytes);
  }

  /**
   * Makes sure the image is stored. `onBytes` receives byte deltas as they arrive (negative when
   * a bad download is thrown away), so a progress bar can stay honest across retries.
   * Two cases sharing an image share one download.
   */
  ensure(
    image: ExpectedImage,
    source: ImageSource,
    onBytes: (delta: number) => void = () => {},
  ): Promise<'stored' | 'cached'> {
    if (!/^[0-9a-f]{64}$/.test(image.sha256))
      return Promise.reject(new ImageIntegrityError('Image id is not a SHA-256.'));
    const running = this.inflight.get(image.sha256);
    if (running) return running;
    const job = this.download(image, source, onBytes).finally(() => this.inflight.delete(image.sha256));
    this.inflight.set(image.sha256, job);
    return job;
  }

  private async download(
    image: ExpectedImage,
    source: ImageSource,
    onBytes: (delta: number) => void,
  ): Promise<'stored' | 'cached'> {
    if (this.has(image)) return 'cached';
    const tmpDir = join(this.options.dataDir, 'tmp');
    this.tmpReady ??= mkdir(tmpDir, { recursive: true });
    await this.tmpReady;
    const part = join(tmpDir, `${image.sha256}.part`);
    let lastError: Error = new Error('not attempted');
    let counted = 0;
    const count = (delta: number): void => {
      counted += delta;
      onBytes(delta);
    };
    const resetTo = (n: number): void => count(n - counted);
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        const outcome = await this.attempt(image, source, part, count, resetTo);
        if (outcome === 'complete' || outcome === COMPLETE_SYNCED) {
          await commit(part, this.originalPath(image.sha256), outcome !== COMPLETE_SYNCED);
          this.options.onStored?.(image.sha256);
          return 'stored';
        }
        lastError = new ImageIntegrityError(outcome);
        // A wrong body is never resumed: start again from byte 0.
        await rm(part, { force: true });
        count(-counted);
      } catch (error) {
        if (error instanceof HubRequestError && !error.retryable) {
          await rm(part, { force: true });
          count(-counted);
          throw error;
        }
        lastError = error instanceof Error ? error : new Error(String(error));
      }
    }
    await rm(part, { force: true });
    count(-counted);
    throw lastError instanceof HubRequestError
      ? lastError
      : new ImageIntegrityError(
          `Image ${image.sha256.slice(0, 12)}… could not be downloaded intact after ${this.maxAttempts} attempts: ${lastError.message}`,
        );
  }

  /** One download attempt. Returns 'complete' or why the body was refused; throws on transport failures. */
  private async attempt(
    image: ExpectedImage,
    source: ImageSource,
    part: string,
    count: (delta: number) => void,
    resetTo: (n: number) => void,
  ): Promise<string> {
    // Resume only from whole chunks that still decrypt (each one re-hashed); anything else restarts.
    const hash = createHash('sha256');
    const resumed = await resumePart(this.options.key, part, hash).catch(() => null);
    if (!resumed) await rm(part, { force: true });
    const have = resumed?.plainBytes ?? 0;
    if (have > image.bytes) {
      await rm(part, { force: true });
      return 'the partial download is longer than the manifest';
    }
    resetTo(have);

    // Only the transfer holds a slot: hashing a resumed part before it and the fsync/rename after
    // it overlap with other images' transfers, so the disk never idles the network lanes.
    const release = await this.slots.acquire();
    const controller = new AbortController();
    let lastActivity = Date.now();
    const watchdog = setInterval(
      () => {
        if (Date.now() - lastActivity > this.idleTimeoutMs) controller.abort();
      },
      Math.max(25, Math.floor(this.idleTimeoutMs / 4)),
    );
    const touch = (): void => {
      lastActivity = Date.now();
    };
    let file: FileHandle | null = null;
    try {
      const res = await source(
        image.sha256,
        have > 0 ? { start: have, ifRange: `"${image.sha256}"` } : null,
        controller.signal,
      );
      touch();
      if (res.status === 416) {
        await res.body?.cancel();
        await rm(part, { force: true });
        return 'the hub refused the resume range';
      }
      if (res.status === 206) {
        const start = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '');
        if (!start || Number(start[1]) !== have) {
          await res.body?.cancel();
          return 'the hub resumed at the wrong offset';
        }
        if (!resumed) throw new Error('206 without a resumable part');
        file = await open(part, 'r+');
        await file.truncate(resumed.keepBytes);
        const encryptor = new ChunkEncryptor(resumed.header, resumed.chunks);
        return await pump(res, file, resumed.keepBytes, encryptor, hash, image, have, count, controller.signal, touch);
      } else {
        // 200: the whole file (the ETag no longer matched, or the source ignores Range).
        resetTo(0);
        return await this.writeWhole(image, res, part, count, controller.signal, touch);
      }
    } catch (error) {
      throw toNetworkError(error, controller.signal);
    } finally {
      clearInterval(watchdog);
      await file?.close();
      release();
    }
  }

  private async writeWhole(
    image: ExpectedImage,
    res: Response,
    part: string,
    count: (delta: number) => void,
    signal: AbortSignal,
    touch: () => void,
  ): Promise<string> {
    const file = await open(part, 'w');
    try {
      const header = newHeader();
      await file.write(header, 0, header.length, 0);
      const encryptor = new ChunkEncryptor(parseHeader(this.options.key, header));
      return await pump(res, file, header.length, encryptor, createHash('sha256'), image, 0, count, signal, touch);
    } finally {
      await file.close();
    }
  }
}

async function pump(
  res: Response,
  file: FileHandle,
  fileOffset: number,
  encryptor: ChunkEncryptor,
  hash: Hash,
  image: ExpectedImage,
  start: number,
  count: (delta: number) => void,
  signal: AbortSignal,
  touch: () => void,
): Promise<string> {
  if (!res.body) return 'the hub sent no body';
  let written = start;
  let position = fileOffset;
  // Sealed chunks are gathered into ~1 MiB writes: one thread-pool hop per MiB instead of per 64 KiB.
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) return;
    const batch = pending;
    const at = position;
    position += pendingBytes;
    pending = [];
    pendingBytes = 0;
    // writev: one system call for the batch, no copy into a joined buffer.
    await file.writev(batch, at);
  };
  const queue = (sealed: Buffer[]): void => {
    for (const b of sealed) {
      pending.push(b);
      pendingBytes += b.length;
    }
  };
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      touch();
      if (written + value.byteLength > image.bytes) {
        // Cut off at manifest size + 1: an oversize body is refused without reading the rest.
        await reader.cancel();
        return `the hub sent more than the ${image.bytes} bytes the manifest promised`;
      }
      hash.update(value);
      queue(encryptor.push(value));
      written += value.byteLength;
      count(value.byteLength);
      if (pendingBytes >= WRITE_BATCH_BYTES) await flush();
    }
    await flush();
  } catch (error) {
    // Keep the whole chunks that arrived: the next attempt resumes from them (re-hashing them).
    await flush().catch(() => undefined);
    if (signal.aborted) throw new HubRequestError('timeout', 'The hub stopped sending image bytes.');
    throw error;
  } finally {
    reader.releaseLock();
  }
  if (written < image.bytes) {
    // Truncated: the partial file is kept and resumed (its bytes are re-hashed next attempt).
    throw new HubRequestError('network', `The image download stopped at ${written} of ${image.bytes} bytes.`);
  }
  // A verified body is fsynced through the handle it was written with (no reopen); a refused one never is.
  const verdict = finish(hash, image);
  if (verdict !== 'complete') return verdict;
  queue(encryptor.finish());
  await flush();
  await file.sync();
  return COMPLETE_SYNCED;
}

function finish(hash: Hash, image: ExpectedImage): string {
  const digest = hash.digest('hex');
  return digest === image.sha256
    ? 'complete'
    : `the bytes do not match the manifest's SHA-256 (got ${digest.slice(0, 12)}…)`;
}

async function commit(part: string, finalPath: string, needsSync: boolean): Promise<void> {
  if (needsSync) {
    const fh = await open(part, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
  await mkdir(dirname(finalPath), { recursive: true });
  await rename(part, finalPath);
  await fsyncDir(dirname(finalPath));
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  } finally {
    await fh.close();
  }
}

/**
 * Opens an interrupted encrypted part file for resuming: its whole non-final chunks are decrypted
 * (which authenticates them) and hashed. Null when there is nothing usable to resume.
 */
async function resumePart(
  key: Buffer,
  part: string,
  hash: Hash,
): Promise<{ header: ParsedHeader; plainBytes: number; keepBytes: number; chunks: number } | null> {
  let fh: FileHandle;
  try {
    fh = await open(part, 'r');
  } catch {
    return null;
  }
  try {
    const size = (await fh.stat()).size;
    if (size < HEADER_SIZE) return null;
    const headerBytes = Buffer.alloc(HEADER_SIZE);
    await fh.read(headerBytes, 0, HEADER_SIZE, 0);
    const header = parseHeader(key, headerBytes);
    const at = resumeAt(size, header.chunkSize);
    const stride = header.chunkSize + TAG_SIZE;
    const sealed = Buffer.alloc(stride);
    for (let i = 0; i < at.chunks; i++) {
      await fh.read(sealed, 0, stride, HEADER_SIZE + i * stride);
      hash.update(openChunk(header, i, sealed, false));
    }
    return { header, ...at };
  } finally {
    await fh.close();
  }
}

/** A counting semaphore: at most `size` holders; `acquire` resolves with the release function. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}
