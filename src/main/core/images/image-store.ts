import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CHUNK_SIZE, HEADER_SIZE, TAG_SIZE } from '../crypto/file-cipher';
import { HubRequestError, toNetworkError, type ImageResponse } from '../hub-client/hub-client';
import { Slots } from '../hub-client/parallel';
import { DirectorySync } from './dir-sync';
import { originalPath, originalsDir } from './image-paths';
import { COMPLETE, pump } from './image-part-file';
import { inProcessPartWriters, type PartWriters } from './part-writers';

/** What the store needs to know about an image: the hub manifest's promise. */
export interface ExpectedImage {
  sha256: string;
  bytes: number;
}

/**
 * Opens a download of an image. `range` asks for the rest of a partial file; the source must
 * send If-Range with the strong ETag so a changed file comes back whole (200) rather than spliced.
 * Aborting `signal` must end the transfer (the store's idle watchdog).
 */
export type ImageSource = (
  sha256: string,
  range: { start: number; ifRange: string } | null,
  signal: AbortSignal,
) => Promise<ImageResponse>;

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
  /**
   * Where part files are hashed, encrypted and written: the app passes the image write worker's
   * (WorkerPartWriters); by default the calling thread, with blocking file calls (tests, tools).
   */
  writers?: PartWriters;
}

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

export interface EnsureOptions {
  /**
   * Leave the fsync of the directories this image was renamed into to the caller's next
   * `syncDirectories()` (which must come before anything that points at the image is committed).
   * Lets a batch make many renames durable with one fsync per touched directory. By default
   * `ensure` resolves only once the image's directory entries are durable.
   */
  deferDirectorySync?: boolean;
}

/**
 * The content-addressed original store. Bytes are hashed as they stream and written encrypted
 * (AES-256-GCM chunks, crypto/file-cipher.ts) to a temp file in the data directory; only a file
 * whose SHA-256 and length match the manifest is fsynced and renamed to images/originals/<sha>
 * (image-paths.ts says why flat), and that directory is fsynced (once per group, before the
 * cases pointing at the image commit), so the rename itself survives power loss. A wrong or
 * oversize body is deleted and fetched again, a cut one is resumed with Range/If-Range from its
 * last whole chunk; nothing unverified is ever at the final path, and no plaintext photograph is
 * ever on disk. The part files' bytes are hashed, encrypted and written by the part writers
 * (part-writers.ts: the image write worker in the app).
 */
export class ImageStore {
  private readonly inflight = new Map<string, Promise<'stored' | 'cached'>>();
  private readonly maxAttempts: number;
  private readonly idleTimeoutMs: number;
  private readonly slots: Slots;
  private readonly dirs = new DirectorySync();
  private readonly tmpDir: string;
  private readonly originalsDir: string;
  /** Where the part files are hashed, encrypted and written (ImageStoreOptions.writers). */
  readonly writers: PartWriters;
  /** Part files that may exist in tmp/ (listed once, then kept up to date): only these are probed for resuming. */
  private parts: Promise<Set<string>> | null = null;

  constructor(private readonly options: ImageStoreOptions) {
    this.slots = new Slots(options.transferConcurrency ?? 6);
    this.maxAttempts = options.maxAttempts ?? 4;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
    this.tmpDir = join(options.dataDir, 'tmp');
    this.originalsDir = originalsDir(options.dataDir);
    this.writers = options.writers ?? inProcessPartWriters(options.key);
  }

  originalPath(sha256: string): string {
    return originalPath(this.options.dataDir, sha256);
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
    options: EnsureOptions = {},
  ): Promise<'stored' | 'cached'> {
    if (!/^[0-9a-f]{64}$/.test(image.sha256))
      return Promise.reject(new ImageIntegrityError('Image id is not a SHA-256.'));
    let job = this.inflight.get(image.sha256);
    if (!job) {
      job = this.download(image, source, onBytes).finally(() => this.inflight.delete(image.sha256));
      this.inflight.set(image.sha256, job);
    }
    if (options.deferDirectorySync) return job;
    return job.then(async (outcome) => {
      await this.dirs.sync();
      return outcome;
    });
  }

  /**
   * Gets ready for downloads before the first one: the part writers' thread started and tmp/
   * listed, while a sync is still on its first round trips.
   */
  warm(): void {
    this.writers.warm();
    this.knownParts().catch(() => undefined);
  }

  /** Makes every rename done so far durable: one fsync per directory that gained an entry. */
  syncDirectories(): Promise<void> {
    return this.dirs.sync();
  }

  private async download(
    image: ExpectedImage,
    source: ImageSource,
    onBytes: (delta: number) => void,
  ): Promise<'stored' | 'cached'> {
    if (this.has(image)) return 'cached';
    const parts = await this.knownParts();
    const part = join(this.tmpDir, `${image.sha256}.part`);
    let lastError: Error = new Error('not attempted');
    let counted = 0;
    const count = (delta: number): void => {
      counted += delta;
      onBytes(delta);
    };
    const resetTo = (n: number): void => count(n - counted);
    const discard = async (): Promise<void> => {
      await rm(part, { force: true });
      parts.delete(image.sha256);
      count(-counted);
    };
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        const outcome = await this.attempt(image, source, part, parts, resetTo);
        if (outcome === COMPLETE) {
          // Renamed into place by the writer: the originals directory is made durable with the next group.
          this.dirs.add(this.originalsDir);
          parts.delete(image.sha256);
          this.options.onStored?.(image.sha256);
          return 'stored';
        }
        lastError = new ImageIntegrityError(outcome);
        // A wrong body is never resumed: start again from byte 0.
        await discard();
      } catch (error) {
        if (error instanceof HubRequestError && !error.retryable) {
          await discard();
          throw error;
        }
        lastError = error instanceof Error ? error : new Error(String(error));
      }
    }
    await discard();
    throw lastError instanceof HubRequestError
      ? lastError
      : new ImageIntegrityError(
          `Image ${image.sha256.slice(0, 12)}… could not be downloaded intact after ${this.maxAttempts} attempts: ${lastError.message}`,
        );
  }

  /**
   * tmp/ and the originals directory created, and tmp/ listed, once per store; afterwards the set
   * follows what this store writes and removes.
   */
  private knownParts(): Promise<Set<string>> {
    if (!this.parts) {
      this.parts = (async () => {
        await mkdir(this.tmpDir, { recursive: true });
        this.madeDurableWithNextGroup(this.originalsDir, await mkdir(this.originalsDir, { recursive: true }));
        const names = await readdir(this.tmpDir);
        return new Set(names.filter((n) => n.endsWith('.part')).map((n) => n.slice(0, -'.part'.length)));
      })();
      // A failed start (a full disk, permissions) is tried again by the next download.
      this.parts.catch(() => {
        this.parts = null;
      });
    }
    return this.parts;
  }

  /** `created` (mkdir's answer) is the first directory made: it and every one below it gained an entry in its parent. */
  private madeDurableWithNextGroup(dir: string, created: string | undefined): void {
    if (created === undefined) return;
    const top = dirname(created);
    for (let d = dir; d !== top && dirname(d) !== d; d = dirname(d)) this.dirs.add(dirname(d));
  }

  /**
   * One download attempt. Returns COMPLETE (verified, written, fsynced and renamed into place) or
   * why the body was refused; throws on transport failures.
   */
  private async attempt(
    image: ExpectedImage,
    source: ImageSource,
    part: string,
    parts: Set<string>,
    resetTo: (n: number) => void,
  ): Promise<string> {
    const writers = this.writers;
    // Resume only from whole chunks that still decrypt (each one re-hashed); anything else restarts.
    // A part this store never saw (listed at start, or written by an earlier attempt) is not probed.
    let resumed: { id: number; plainBytes: number } | null = null;
    if (parts.has(image.sha256)) {
      resumed = await writers.open(part, image.bytes, true);
      // Unusable: the writer removed it.
      if (!resumed) parts.delete(image.sha256);
    }
    let id = resumed?.id ?? null;
    const have = resumed?.plainBytes ?? 0;
    resetTo(have);

    // Only the transfer holds a slot: hashing a resumed part before it overlaps with other
    // images' transfers. Hashing, encrypting and writing run in the part writers (the image write
    // worker), so this thread only moves bytes.
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
    let res: ImageResponse | null = null;
    try {
      res = await source(
        image.sha256,
        resumed && have > 0 ? { start: have, ifRange: `"${image.sha256}"` } : null,
        controller.signal,
      );
      touch();
      const sink = { count: resetTo, touch, signal: controller.signal, received: release };
      if (res.status === 416) {
        if (id !== null) await writers.close(id);
        await rm(part, { force: true });
        parts.delete(image.sha256);
        return 'the hub refused the resume range';
      }
      if (res.status === 206) {
        const start = /^bytes (\d+)-/.exec(res.contentRange ?? '');
        if (!start || Number(start[1]) !== have) return 'the hub resumed at the wrong offset';
        if (id === null) throw new Error('206 without a resumable part');
        return await pump(res.body, writers, id, image, have, this.originalPath(image.sha256), sink);
      }
      // 200: the whole file (new, the ETag no longer matched, or the source ignores Range).
      resetTo(0);
      if (id !== null) await writers.restart(id);
      else {
        const opened = await writers.open(part, image.bytes, false);
        if (!opened) throw new Error('the part file could not be created');
        id = opened.id;
      }
      parts.add(image.sha256);
      return await pump(res.body, writers, id, image, 0, this.originalPath(image.sha256), sink);
    } catch (error) {
      throw toNetworkError(error, controller.signal);
    } finally {
      clearInterval(watchdog);
      // A body not read to its end (refused, or failed) must not keep its connection busy.
      if (res && !res.body.readableEnded) res.body.destroy();
      // Finished part files are already closed (a no-op then); any other is closed, kept for resuming.
      if (id !== null) await writers.close(id).catch(() => undefined);
      release();
    }
  }
}
