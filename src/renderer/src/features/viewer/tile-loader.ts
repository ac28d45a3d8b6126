/**
 * Fetches and decodes image tiles off the main thread: a small Web Worker (created from a blob,
 * which the CSP allows as worker-src) fetches each URL and turns it into an ImageBitmap with
 * createImageBitmap, then transfers the bitmap back. The main thread only draws bitmaps.
 *
 * One shared, bounded LRU cache serves every viewer (main panel, compare, pop-out), so memory is
 * bounded by what the viewports need, not by how many or how large the images are.
 */
const WORKER_SOURCE = `
self.onmessage = async (event) => {
  const { id, url } = event.data;
  try {
    const t0 = performance.timeOrigin + performance.now();
    const res = await fetch(url, { credentials: 'same-origin' });
    if (!res.ok) throw new Error('HTTP ' + res.status);
    const blob = await res.blob();
    const t1 = performance.timeOrigin + performance.now();
    const bitmap = await createImageBitmap(blob);
    const t2 = performance.timeOrigin + performance.now();
    self.postMessage({ id, bitmap, timing: [t0, t1, t2] }, [bitmap]);
  } catch (error) {
    self.postMessage({ id, error: String(error && error.message || error) });
  }
};
`;

/** timing: when the worker started the fetch, had the bytes, had the bitmap (epoch ms). */
type Reply = { id: number; bitmap?: ImageBitmap; error?: string; timing?: [number, number, number] };
type Outcome = ImageBitmap | null | 'dropped';

const MAX_IN_FLIGHT = 6;
/** ~300 tiles of 256² RGBA ≈ 80 MB: several full screens of tiles at two levels. */
const MAX_TILES = 300;
/** Previews are up to 2048² (16 MB each); keep the few last opened. */
const MAX_PREVIEWS = 6;
/** How long a failed preview (or thumbnail) is left alone before it is asked for again; doubles per failure. */
const PREVIEW_RETRY_MS = 2_000;
const PREVIEW_RETRY_MAX_MS = 30_000;

class BitmapCache {
  private readonly map = new Map<string, ImageBitmap>();
  constructor(private readonly limit: number) {}
  get(key: string): ImageBitmap | undefined {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }
  set(key: string, bitmap: ImageBitmap): void {
    this.map.set(key, bitmap);
    while (this.map.size > this.limit) {
      const oldest = this.map.keys().next().value as string;
      this.map.get(oldest)?.close();
      this.map.delete(oldest);
    }
  }
  delete(key: string): void {
    this.map.get(key)?.close();
    this.map.delete(key);
  }
  get size(): number {
    return this.map.size;
  }
}

export class TileLoader {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { key: string; resolve: (b: Outcome) => void }>();
  private readonly queue: { key: string; url: string; resolve: (b: Outcome) => void }[] = [];
  private readonly pending = new Map<string, Promise<ImageBitmap | null>>();
  private readonly tiles = new BitmapCache(MAX_TILES);
  private readonly previews = new BitmapCache(MAX_PREVIEWS);
  private readonly failed = new Set<string>();
  /** Failed previews: when they may be asked for again, and how many times they failed. */
  private readonly previewRetry = new Map<string, { at: number; failures: number }>();
  /** Keys the viewers currently want; queued requests for anything else are dropped. */
  private readonly wanted = new Map<string, Set<string>>();
  private listeners = new Set<() => void>();

  cached(key: string): ImageBitmap | undefined {
    return this.tiles.get(key) ?? this.previews.get(key);
  }

  /** Replaces what one viewer wants (called on each of its redraws with its visible tiles). */
  want(viewer: string, keys: Iterable<string>): void {
    this.wanted.set(viewer, new Set(keys));
  }

  release(viewer: string): void {
    this.wanted.delete(viewer);
  }

  private isWanted(key: string): boolean {
    for (const set of this.wanted.values()) if (set.has(key)) return true;
    return false;
  }

  /** Starts loading if not cached or loading; resolves to null on failure. */
  load(key: string, url: string, kind: 'tile' | 'preview' = 'tile'): Promise<ImageBitmap | null> {
    const hit = this.cached(key);
    if (hit) return Promise.resolve(hit);
    if (this.failed.has(key)) return Promise.resolve(null);
    // A preview that just failed is not asked for again on every frame (each failure redraws).
    if (Date.now() < (this.previewRetry.get(key)?.at ?? 0)) return Promise.resolve(null);
    const running = this.pending.get(key);
    if (running) return running;
    const job = new Promise<Outcome>((resolve) => {
      const entry = { key, url: new URL(url, window.location.href).href, resolve };
      if (kind === 'preview') this.queue.unshift(entry);
      else this.queue.push(entry);
    }).then((bitmap) => {
      this.pending.delete(key);
      if (bitmap === 'dropped') return null;
      // Marks for the benchmark's trace (previews only: a handful per case, never per tile).
      if (kind === 'preview')
        performance.mark(key.startsWith('preview:thumb:') ? 'dd:thumb-decoded' : 'dd:preview-decoded');
      if (bitmap) {
        (kind === 'preview' ? this.previews : this.tiles).set(key, bitmap);
        this.previewRetry.delete(key);
      }
      // Only tiles stay failed. A preview may be asked for before it is derived (the prefetch when
      // a case opens): it is tried again after a pause that doubles, and when the pause ends the
      // viewers are told to redraw, so one that is ready by then is drawn without another event.
      else if (kind === 'tile') this.failed.add(key);
      else this.schedulePreviewRetry(key);
      for (const l of this.listeners) l();
      return bitmap;
    });
    this.pending.set(key, job);
    this.pump();
    return job;
  }

  private schedulePreviewRetry(key: string): void {
    const failures = (this.previewRetry.get(key)?.failures ?? 0) + 1;
    const wait = Math.min(PREVIEW_RETRY_MAX_MS, PREVIEW_RETRY_MS * 2 ** (failures - 1));
    this.previewRetry.set(key, { at: Date.now() + wait, failures });
    setTimeout(() => {
      for (const l of this.listeners) l();
    }, wait);
  }

  /** Called whenever a bitmap arrives (viewers redraw). */
  onLoaded(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): { tiles: number; previews: number; inFlight: number; queued: number } {
    return {
      tiles: this.tiles.size,
      previews: this.previews.size,
      inFlight: this.waiting.size,
      queued: this.queue.length,
    };
  }

  private pump(): void {
    while (this.waiting.size < MAX_IN_FLIGHT && this.queue.length > 0) {
      const next = this.queue.shift();
      if (!next) break;
      if (!next.key.startsWith('preview:') && !this.isWanted(next.key)) {
        // Scrolled past before it was fetched: forget it (a later draw asks again if needed).
        next.resolve('dropped');
        continue;
      }
      const id = this.nextId++;
      this.waiting.set(id, { key: next.key, resolve: next.resolve });
      this.ensureWorker().postMessage({ id, url: next.url });
    }
  }

  /**
   * Fetches and decodes one preview in the page itself, not in the worker (the cold start's first
   * thumbnail: a worker that has just been created cannot start while the page evaluates the
   * viewer's code, the page's fetch can; Chromium decodes a blob's createImageBitmap off the main
   * thread). Shares `pending` with load(), so a viewer asking meanwhile waits for this one. On
   * failure nothing is remembered: the viewer's own load() asks the worker as usual.
   */
  loadOnPage(key: string, url: string): Promise<ImageBitmap | null> {
    const hit = this.cached(key);
    if (hit) return Promise.resolve(hit);
    const running = this.pending.get(key);
    if (running) return running;
    const job = fetch(new URL(url, window.location.href).href, { credentials: 'same-origin' })
      .then((res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return res.blob();
      })
      .then((blob) => createImageBitmap(blob))
      .then(
        (bitmap) => {
          performance.mark(key.startsWith('preview:thumb:') ? 'dd:thumb-decoded' : 'dd:preview-decoded');
          this.previews.set(key, bitmap);
          return bitmap;
        },
        () => null,
      )
      .then((bitmap) => {
        this.pending.delete(key);
        for (const l of this.listeners) l();
        return bitmap;
      });
    this.pending.set(key, job);
    return job;
  }

  /** Puts a bitmap made in the page under a preview key (the viewer's warm-up image); no fetch. */
  seedPreview(key: string, bitmap: ImageBitmap): void {
    this.previews.set(key, bitmap);
  }

  /** Drops one preview (and closes its bitmap), e.g. the warm-up image once it was drawn. */
  forgetPreview(key: string): void {
    this.previews.delete(key);
  }

  /** Starts the worker ahead of the first image (its start-up is otherwise on the first paint's path). */
  warm(): void {
    this.ensureWorker();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    const worker = new Worker(url);
    worker.onmessage = (event: MessageEvent<Reply>) => {
      const job = this.waiting.get(event.data.id);
      this.waiting.delete(event.data.id);
      const timing = event.data.timing;
      // For the benchmark's trace: where a preview's time went (a handful per case, never tiles).
      if (timing && job?.key.startsWith('preview:')) {
        const kind = job.key.startsWith('preview:thumb:') ? 'thumb' : 'preview';
        const at = (t: number): number => Math.max(0, t - performance.timeOrigin);
        performance.mark(`dd:${kind}-fetch-start`, { startTime: at(timing[0]) });
        performance.mark(`dd:${kind}-fetched`, { startTime: at(timing[1]) });
        performance.mark(`dd:${kind}-bitmap`, { startTime: at(timing[2]) });
      }
      job?.resolve(event.data.bitmap ?? null);
      this.pump();
    };
    this.worker = worker;
    return worker;
  }
}

export const tileLoader = new TileLoader();
