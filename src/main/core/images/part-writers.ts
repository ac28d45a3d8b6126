import { Worker } from 'node:worker_threads';
import { PartWriter } from './part-writer';

/**
 * The image store's part files, behind one asynchronous port, so the store does not care where
 * the hashing, encryption and disk writes run: in the image write worker (what the app uses,
 * `WorkerPartWriters`) or on the calling thread (`inProcessPartWriters`, for tests of the store
 * itself and tools). Both run the same `PartWriterHost` over the same messages.
 */
export interface PartWriters {
  /** A new part file at `path` (replacing any), or, with `resume`, the usable start of an interrupted one (null: none). */
  open(path: string, plainLength: number, resume: boolean): Promise<{ id: number; plainBytes: number } | null>;
  restart(id: number): Promise<void>;
  /**
   * `data` (here and in finish and close) belongs to the writers once handed over: a buffer that
   * owns its whole memory goes to the worker without a copy, and is unusable to the caller after.
   */
  append(id: number, data: Uint8Array): Promise<void>;
  /** COMPLETE (fsynced and renamed to `finalPath`) or why the body was refused. */
  finish(id: number, data: Uint8Array, sha256: string, finalPath: string): Promise<string>;
  /** Writes `data` if given and closes; a no-op for an id already finished or closed. */
  close(id: number, data?: Uint8Array): Promise<void>;
  /**
   * Starts what runs the writes (the worker thread) now, so its start-up overlaps with a sync's
   * first round trips instead of competing with the first images for the CPU.
   */
  warm(): void;
  shutdown(): Promise<void>;
}

export type PartWriteRequest =
  | { op: 'open'; path: string; plainLength: number; resume: boolean }
  | { op: 'restart'; id: number }
  | { op: 'append'; id: number; data: Uint8Array }
  | { op: 'finish'; id: number; data: Uint8Array; sha256: string; finalPath: string }
  | { op: 'close'; id: number; data?: Uint8Array };

type Value = { id: number; plainBytes: number } | null | string | undefined;

/**
 * The open part files of one thread, addressed by number: what both hosts run. Requests for one
 * part file come one at a time (the pump waits for each); requests for different files may
 * overlap, so one image's fsync never holds up another's writes.
 */
export class PartWriterHost {
  private readonly writers = new Map<number, PartWriter>();
  private nextId = 1;

  constructor(private readonly key: Buffer) {}

  async handle(request: PartWriteRequest): Promise<Value> {
    switch (request.op) {
      case 'open': {
        const opened = request.resume
          ? PartWriter.resume(this.key, request.path, request.plainLength)
          : { writer: PartWriter.create(this.key, request.path, request.plainLength), plainBytes: 0 };
        if (!opened) return null;
        const id = this.nextId++;
        this.writers.set(id, opened.writer);
        return { id, plainBytes: opened.plainBytes };
      }
      case 'restart':
        this.writer(request.id).restart();
        return undefined;
      case 'append':
        this.writer(request.id).append(request.data);
        return undefined;
      case 'finish': {
        const writer = this.writer(request.id);
        this.writers.delete(request.id);
        return writer.finish(request.data, request.sha256, request.finalPath);
      }
      case 'close': {
        const writer = this.writers.get(request.id);
        this.writers.delete(request.id);
        writer?.close(request.data);
        return undefined;
      }
    }
  }

  private writer(id: number): PartWriter {
    const writer = this.writers.get(id);
    if (!writer) throw new Error('the part file is no longer open');
    return writer;
  }
}

function port(send: (request: PartWriteRequest) => Promise<Value>): Omit<PartWriters, 'shutdown' | 'warm'> {
  return {
    open: (path, plainLength, resume) =>
      send({ op: 'open', path, plainLength, resume }) as Promise<{ id: number; plainBytes: number } | null>,
    restart: (id) => send({ op: 'restart', id }) as Promise<undefined>,
    append: (id, data) => send({ op: 'append', id, data }) as Promise<undefined>,
    finish: (id, data, sha256, finalPath) => send({ op: 'finish', id, data, sha256, finalPath }) as Promise<string>,
    close: (id, data) => send(data ? { op: 'close', id, data } : { op: 'close', id }) as Promise<undefined>,
  };
}

/** On the calling thread, with blocking file calls: for tests of the store and tools, not the app. */
export function inProcessPartWriters(key: Buffer): PartWriters {
  const host = new PartWriterHost(key);
  return {
    ...port((request) => host.handle(request)),
    warm: () => undefined,
    shutdown: () => Promise.resolve(),
  };
}

interface Reply {
  seq: number;
  value?: Value;
  error?: string;
}

/**
 * In a worker thread (image-write-worker.ts, built as its own entry). Started on first use,
 * referenced only while requests are outstanding (an idle worker keeps no process alive). If it
 * dies, every outstanding request fails (the store counts a failed attempt and tries again) and
 * the next request starts a fresh worker; part files it had open are resumed from disk.
 */
export class WorkerPartWriters implements PartWriters {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (v: Value) => void; reject: (e: Error) => void }>();
  private readonly port = port((request) => this.send(request));
  readonly open = this.port.open;
  readonly restart = this.port.restart;
  readonly append = this.port.append;
  readonly finish = this.port.finish;
  readonly close = this.port.close;

  constructor(
    private readonly script: string,
    private readonly key: Buffer,
    private readonly execArgv: string[] = [],
  ) {}

  warm(): void {
    this.start();
  }

  /** Whether the worker thread is running (started by `warm` or the first request). */
  get started(): boolean {
    return this.worker !== null;
  }

  async shutdown(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private send(request: PartWriteRequest): Promise<Value> {
    const worker = this.start();
    const seq = this.seq++;
    return new Promise<Value>((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      worker.ref();
      // A buffer owning its whole memory moves to the worker (no second copy of the photograph);
      // a view into shared memory (a pooled or sliced buffer) is copied by the message instead.
      const data = 'data' in request ? request.data : undefined;
      const owned = data && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
      worker.postMessage({ seq, request }, owned && data.buffer instanceof ArrayBuffer ? [data.buffer] : []);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, {
      execArgv: this.execArgv,
      workerData: { key: new Uint8Array(this.key) },
      name: 'dermdesk-image-writer',
    });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const entry = this.waiting.get(reply.seq);
      this.waiting.delete(reply.seq);
      if (this.waiting.size === 0) worker.unref();
      if (!entry) return;
      if (reply.error !== undefined) entry.reject(new Error(reply.error));
      else entry.resolve(reply.value);
    });
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = null;
      for (const entry of this.waiting.values()) entry.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the image write worker stopped (${code})`)));
    this.worker = worker;
    return worker;
  }
}
