import { performance } from 'node:perf_hooks';
import type { Core } from '../../src/main/core/create-core';
import type { ImageSource } from '../../src/main/core/images/image-store';

/**
 * Where one `sync.run` spends its wall time, from the core's own `sync.progress` phases (emitted
 * unthrottled on every phase change) and from the image transfers as the image store opens them
 * (its `ensure` and the source it is given are wrapped, adding one listener per body). Times are
 * ms since the run started.
 */
export interface SyncTimeline {
  /** deliverSealed + outbox sendDue: until the 'claiming' phase. */
  send: number;
  /** POST /batches/claim (round 0 only) + GET /assigned: until the 'cases' phase. */
  assigned: number;
  /** From 'cases' to the first image request (the first case JSON fetched and validated). */
  firstImage: number;
  /** First image request to the last image byte received. */
  images: number;
  /** Last byte received to the last image verified, encrypted, fsynced and renamed. */
  lastStore: number;
  /** Last image stored to the 'changes' phase (directory fsync + the last SQLite group). */
  flush: number;
  /** Of which the last directory fsync (the images' renames made durable). */
  dirSync: number;
  /** The changes feed, to the end of the run. */
  changes: number;
  total: number;
  /** Mean transfers in flight during the image phase: sum of (request → last byte) / image phase. */
  lanes: number;
}

export interface SyncWatch {
  start(): void;
  finish(): SyncTimeline;
  stop(): void;
}

export function watchSync(core: Core): SyncWatch {
  let t0 = 0;
  const marks = new Map<string, number>();
  let firstRequest = 0;
  let lastByte = 0;
  let lastStored = 0;
  let busy = 0;
  let dirSync = 0;
  const now = (): number => performance.now() - t0;
  const unsubscribe = core.events.subscribe((name, payload) => {
    if (name !== 'sync.progress' || t0 === 0) return;
    const phase = (payload as { phase: string }).phase;
    if (!marks.has(phase)) marks.set(phase, now());
  });
  const images = core.sync.images;
  const ensure = images.ensure.bind(images);
  const wrap =
    (source: ImageSource): ImageSource =>
    async (sha256, range, signal) => {
      const asked = now();
      if (firstRequest === 0) firstRequest = asked;
      const res = await source(sha256, range, signal);
      res.body.once('end', () => {
        lastByte = Math.max(lastByte, now());
        busy += now() - asked;
      });
      return res;
    };
  images.ensure = (image, source, onBytes, options) =>
    ensure(image, wrap(source), onBytes, options).then((outcome) => {
      lastStored = Math.max(lastStored, now());
      return outcome;
    });
  const syncDirectories = images.syncDirectories.bind(images);
  images.syncDirectories = async () => {
    const began = now();
    await syncDirectories();
    dirSync = now() - began;
  };
  return {
    start() {
      marks.clear();
      firstRequest = lastByte = lastStored = busy = dirSync = 0;
      t0 = performance.now();
    },
    finish() {
      const total = now();
      const at = (phase: string): number => marks.get(phase) ?? total;
      const timeline = {
        send: at('claiming'),
        assigned: at('cases') - at('claiming'),
        firstImage: firstRequest - at('cases'),
        images: lastByte - firstRequest,
        lastStore: lastStored - lastByte,
        flush: at('changes') - lastStored,
        dirSync,
        changes: total - at('changes'),
        total,
        lanes: busy / Math.max(1, lastByte - firstRequest),
      };
      t0 = 0;
      return timeline;
    },
    stop() {
      unsubscribe();
      images.ensure = ensure;
      images.syncDirectories = syncDirectories;
    },
  };
}

/** One line: the median of each part over the runs. */
export function timelineText(runs: SyncTimeline[], median: (xs: number[]) => number): string {
  const m = (f: (t: SyncTimeline) => number): string => median(runs.map(f)).toFixed(0);
  return (
    `send ${m((t) => t.send)} ms, claim+assigned ${m((t) => t.assigned)} ms, to first image request ` +
    `${m((t) => t.firstImage)} ms, images ${m((t) => t.images)} ms (lanes busy ${median(runs.map((t) => t.lanes)).toFixed(1)}), ` +
    `last byte to last image stored ${m((t) => t.lastStore)} ms, final flush ${m((t) => t.flush)} ms (its directory fsync ${m((t) => t.dirSync)} ms), ` +
    `changes feed ${m((t) => t.changes)} ms; total ${m((t) => t.total)} ms`
  );
}
