import { Worker } from 'node:worker_threads';
import { deriveImage, DeriveError, recordDeriveFailure, type DerivedMeta } from './derive-image';
import type { DeriveJob, DeriveReply } from './derive-messages';

/** Builds one image's derivatives; the queue does not care where the work runs. */
export interface Deriver {
  derive(sha256: string, onProgress: (fraction: number) => void): Promise<DerivedMeta>;
  /** Gets ready for the first image ahead of it (resolves once ready; never rejects). */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

/** On the calling thread (libvips still uses its own threads for pixels): for tools and tests of the pipeline itself. */
export function inProcessDeriver(dataDir: string, key: Buffer): Deriver {
  return {
    derive: (sha256, onProgress) => deriveImage(dataDir, key, sha256, onProgress),
    warmUp: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

/**
 * In a worker thread (derive-worker.ts, built as its own entry): what the app uses. The worker is
 * started on first use and kept; if it dies (out of memory on a hostile file, say) the image in
 * hand fails with a clear message and the next image starts a fresh worker.
 */
export class WorkerDeriver implements Deriver {
  private worker: Worker | null = null;
  /** Resolves when the current worker has run its warm-up (derive-worker.ts). */
  private ready: Promise<void> = Promise.resolve();
  private markReady: () => void = () => {};
  private nextId = 1;
  private readonly pending = new Map<
    number,
    {
      sha256: string;
      resolve: (meta: DerivedMeta) => void;
      reject: (error: Error) => void;
      onProgress: (f: number) => void;
    }
  >();
  /** Thread that built the last image (tests check the work really left the calling thread). */
  lastThreadId: number | null = null;

  constructor(
    private readonly script: string,
    private readonly dataDir: string,
    private readonly key: Buffer,
    private readonly execArgv: string[] = [],
  ) {}

  derive(sha256: string, onProgress: (fraction: number) => void): Promise<DerivedMeta> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<DerivedMeta>((resolve, reject) => {
      this.pending.set(id, { sha256, resolve, reject, onProgress });
      const job: DeriveJob = { id, dataDir: this.dataDir, key: new Uint8Array(this.key), sha256 };
      worker.postMessage(job);
    });
  }

  /**
   * Starts the worker now (the core does this when it opens) so that it has warmed up before the
   * first photograph arrives; a worker started by derive() warms up first too.
   */
  warmUp(): Promise<void> {
    this.start();
    return this.ready;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.markReady();
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // Heap bounded: a pathological image costs this worker, never the app's main process.
    const worker = new Worker(this.script, {
      execArgv: this.execArgv,
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
    });
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    worker.on('message', (reply: DeriveReply) => this.receive(reply));
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`derivation worker exited (${code})`)));
    // An idle worker must not keep a tool or test process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private receive(reply: DeriveReply): void {
    if (reply.type === 'ready') return this.markReady();
    const job = this.pending.get(reply.id);
    if (!job) return;
    if (reply.type === 'progress') return job.onProgress(reply.fraction);
    this.pending.delete(reply.id);
    if (reply.type === 'done') {
      this.lastThreadId = reply.threadId;
      job.resolve(reply.meta);
    } else job.reject(new DeriveError(reply.code, reply.message));
  }

  private fail(worker: Worker, error: Error): void {
    if (this.worker === worker) {
      this.worker = null;
      this.markReady();
    }
    for (const [id, job] of this.pending) {
      this.pending.delete(id);
      // The worker could not write error.json itself: record it here, so the image is not retried in a loop.
      const failure = new DeriveError('corrupt', `This image could not be prepared for viewing (${error.message}).`);
      void recordDeriveFailure(this.dataDir, job.sha256, failure).finally(() => job.reject(failure));
    }
  }
}
