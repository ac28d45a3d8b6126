import { Worker } from 'node:worker_threads';
import { FSYNC_DIR_UNSUPPORTED, fsyncDir } from '../../../common/fs/fsync-dir';

/**
 * Directory fsyncs, gathered and coalesced. A rename (or a new subdirectory) is durable only once
 * the directory holding the new entry is fsynced; the image store records each such directory
 * here and `sync()` fsyncs every recorded one once, however many images landed in it. Callers
 * sync before committing anything that points at the new files.
 *
 * The fsyncs of one round run in a small worker thread, one after another with plain system
 * calls: one message per round instead of three thread-pool operations (open, fsync, close) per
 * directory on the main thread, and the thread pool stays free for the image writes. After the
 * first fsync of a round has committed the file system's journal the others are usually
 * immediate, so doing them in sequence costs little.
 */
export class DirectorySync {
  private dirty = new Set<string>();
  private running: Promise<void> | null = null;

  add(dir: string): void {
    this.dirty.add(dir);
  }

  async sync(): Promise<void> {
    // A sync already running may have started before our renames: wait for it, then sync what is
    // dirty now (callers waiting together share that next round).
    while (this.running) await this.running;
    if (this.dirty.size === 0) return;
    const dirs = [...this.dirty];
    this.dirty.clear();
    const run = syncDirs(dirs);
    // Waiters only need to know it ended; its failure is reported to its own caller below.
    this.running = run.then(
      () => {
        this.running = null;
      },
      () => {
        this.running = null;
      },
    );
    try {
      await run;
    } catch (error) {
      // Not durable: the next sync tries these again, and the caller must not commit.
      for (const d of dirs) this.dirty.add(d);
      throw error;
    }
  }
}

// Plain CommonJS run with `eval`, so it needs no separate bundled file in Electron, tsx or vitest.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const unsupported = new Set(${JSON.stringify(FSYNC_DIR_UNSUPPORTED)});
parentPort.on('message', ({ id, dirs }) => {
  let error = null;
  for (const dir of dirs) {
    try {
      const fd = fs.openSync(dir, 'r');
      try {
        fs.fsyncSync(fd);
      } catch (e) {
        if (!unsupported.has(e.code)) throw e;
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      error = { code: e.code ?? null, message: String(e.message ?? e) };
      break;
    }
  }
  parentPort.postMessage({ id, error });
});
`;

interface Reply {
  id: number;
  error: { code: string | null; message: string } | null;
}

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();

function syncer(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_SOURCE, { eval: true, name: 'dermdesk-dir-sync' });
  // Idle between syncs it must not keep the process alive; referenced only while a round runs.
  w.unref();
  w.on('message', (reply: Reply) => {
    const entry = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (waiting.size === 0) w.unref();
    if (!entry) return;
    if (reply.error) entry.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    else entry.resolve();
  });
  const fail = (error: Error): void => {
    worker = null;
    for (const entry of waiting.values()) entry.reject(error);
    waiting.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`the directory sync thread stopped (${code})`)));
  worker = w;
  return w;
}

async function syncDirs(dirs: string[]): Promise<void> {
  // Windows cannot open a directory as a file; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  let w: Worker;
  try {
    w = syncer();
  } catch {
    // No worker threads here: the same fsyncs through the thread pool.
    for (const dir of dirs) await fsyncDir(dir);
    return;
  }
  const id = nextId++;
  await new Promise<void>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, dirs });
  });
}
