import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeriveError, type DerivedMeta } from './derive-image';
import type { Deriver } from './derivers';
import { imageDir, originalPath } from './image-paths';

export type DerivativeState = 'missing' | 'queued' | 'working' | 'ready' | 'failed';

export interface DerivativeStatus {
  sha256: string;
  state: DerivativeState;
  /** 0..1 while queued/working, 1 when ready. */
  progress: number;
  /** Set when failed: a message a consultant can act on. */
  message?: string;
  meta?: DerivedMeta;
}

/**
 * The one interface the sync engine needs: hand over the SHA-256 of a newly stored original.
 * Progress is reported through `onProgress` (create-core forwards it as an event).
 */
export interface DerivativesQueue {
  enqueue(sha256: string): void;
  status(sha256: string): DerivativeStatus;
  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void>;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Builds derivatives one image at a time (sharp's own thread pool already uses every core for
 * one image; running several would only add memory). Each image is derived once: a ready or
 * failed image is not redone unless `retry` is asked for.
 */
export class DerivativeQueue implements DerivativesQueue {
  private readonly pending: string[] = [];
  private readonly live = new Map<string, DerivativeStatus>();
  private running: Promise<void> | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly deriver: Deriver,
    private readonly onProgress: (status: DerivativeStatus) => void = () => {},
  ) {}

  enqueue(sha256: string, options: { retry?: boolean } = {}): void {
    if (!SHA256.test(sha256)) return;
    if (this.live.has(sha256)) return;
    const current = this.fromDisk(sha256);
    if (current.state === 'ready') return;
    if (current.state === 'failed' && !options.retry) return;
    this.set({ sha256, state: 'queued', progress: 0 });
    this.pending.push(sha256);
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  status(sha256: string): DerivativeStatus {
    return this.live.get(sha256) ?? this.fromDisk(sha256);
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Waits for the work in hand, then stops the deriver (its worker thread). */
  async close(): Promise<void> {
    this.pending.length = 0;
    await this.idle();
    await this.deriver.close();
  }

  private async drain(): Promise<void> {
    for (let sha = this.pending.shift(); sha !== undefined; sha = this.pending.shift()) {
      const sha256 = sha;
      this.set({ sha256, state: 'working', progress: 0 });
      try {
        const meta = await this.deriver.derive(sha256, (progress) => this.set({ sha256, state: 'working', progress }));
        this.live.delete(sha256);
        this.onProgress({ sha256, state: 'ready', progress: 1, meta });
      } catch (error) {
        this.live.delete(sha256);
        const message = error instanceof DeriveError ? error.message : 'This image could not be prepared for viewing.';
        this.onProgress({ sha256, state: 'failed', progress: 1, message });
      }
    }
  }

  private set(status: DerivativeStatus): void {
    this.live.set(status.sha256, status);
    this.onProgress(status);
  }

  private fromDisk(sha256: string): DerivativeStatus {
    if (!SHA256.test(sha256)) return { sha256, state: 'missing', progress: 0 };
    const dir = imageDir(this.dataDir, sha256);
    const meta = readJson(join(dir, 'meta.json')) as DerivedMeta | null;
    if (meta) return { sha256, state: 'ready', progress: 1, meta };
    const error = readJson(join(dir, 'error.json')) as { message?: string } | null;
    if (error) return { sha256, state: 'failed', progress: 1, message: String(error.message ?? 'Unreadable image.') };
    if (!existsSync(originalPath(this.dataDir, sha256))) return { sha256, state: 'missing', progress: 0 };
    return { sha256, state: 'queued', progress: 0 };
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return null;
  }
}
