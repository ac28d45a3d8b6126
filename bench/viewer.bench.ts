/// <reference lib="dom" />
/**
 * The image viewer beside OpenSeadragon 6 (canvas drawer) on the same generated 48 MP images and
 * the same 256 px tiles, in Debian Chromium through Playwright, in one run:
 *   1. time from opening a cached case to the first image drawn, and to the visible region sharp
 *      (at fit, then after going to 1:1);
 *   2. frames drawn (counted in the page, with the gaps between them) while zooming and panning
 *      two locked 48 MP images for 5 s, the input sent at 60 Hz as a mouse sends it;
 *   3. memory after opening 8 such images in turn (each fitted, then 1:1): each viewer's renderer
 *      processes, and our host (core, image server, workers) as its own process.
 *
 *   npm run bench -- viewer            (BENCH_VIEWER_RUNS=5 by default for part 1)
 *   BENCH_VIEWER_PARTS=open,frames,memory picks parts; BENCH_VIEWER_TRACE=1 prints where the time
 *   went (part 1: the page's marks and requests; part 2: a Chromium trace's main-thread summary).
 *
 * Needs the built renderer (npm run build). Images are generated here with sharp and derived with
 * the app's own derivation; nothing large is committed.
 */
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createReadStream, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import sharp from 'sharp';
import { createCore, type Core } from '../src/main/core/create-core';
import { TEST_CACHE_KEY, testImageKey } from '../tests/support/cache-key';
import type { DerivedMeta } from '../src/main/core/images/derive-image';
import { inProcessDeriver, WorkerDeriver } from '../src/main/core/images/derivers';
import { deriveWorkerScript } from '../tests/support/bundle-node-script';
import { placeOriginal } from '../src/main/core/images/place-original';
import { MemorySecretStore } from '../src/main/core/secrets/memory-secret-store';
import { ConfSettingsStore } from '../src/main/core/settings/conf-settings-store';
import type { ImageManifestEntry } from '../src/shared/domain/case';
import { startHostServer } from '../tests/host/host-server';
import { sampleCase } from '../tests/support/sample-case';
import { makeTempDir } from '../tests/support/temp-dir';

const root = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env['BENCH_VIEWER_RUNS'] ?? 5);
/** BENCH_VIEWER_TRACE=1: print where the time went in each "open a case" run (marks + requests). */
const TRACE = process.env['BENCH_VIEWER_TRACE'] === '1';
/**
 * BENCH_VIEWER_PARTS=open,frames,memory (the default: all three) picks the parts to run;
 * BENCH_VIEWER_QUICK=1 is `open` only, for iterating on first paint.
 */
const PARTS = new Set(
  (process.env['BENCH_VIEWER_QUICK'] === '1'
    ? 'open'
    : (process.env['BENCH_VIEWER_PARTS'] ?? 'open,frames,memory')
  ).split(','),
);
const WIDTH = 8000;
const HEIGHT = 6000;
const VIEWPORT = { width: 1440, height: 900 };
const chromiumArgs = [
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
const ms = (v: number): string => `${v.toFixed(1)} ms`;

/** A photo-like 48 MP JPEG: a real dermoscopy image enlarged, with fine grain so tiles are not flat. */
async function makeImage(index: number): Promise<Buffer> {
  const fixtures = readdirSync(join(root, '../shared/fixtures/dermoscopy')).filter((f) => f.endsWith('.jpg'));
  const base = join(root, '../shared/fixtures/dermoscopy', fixtures[index % fixtures.length] ?? '');
  const grain = Buffer.alloc(512 * 512 * 3);
  let seed = 99 + index;
  for (let i = 0; i < grain.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    grain[i] = 118 + (seed % 20);
  }
  const grainPng = await sharp(grain, { raw: { width: 512, height: 512, channels: 3 } })
    .png()
    .toBuffer();
  return sharp(base)
    .resize(WIDTH, HEIGHT, { fit: 'fill', kernel: 'cubic' })
    .modulate({ hue: index * 25 })
    .composite([{ input: grainPng, tile: true, blend: 'overlay' }])
    .jpeg({ quality: 88 })
    .toBuffer();
}

/** OpenSeadragon page and the same /img files (decrypted by the same core), from a second loopback server. */
async function startOsdServer(core: Core): Promise<{ url: string; close: () => Promise<void> }> {
  const osdJs = join(root, 'node_modules/openseadragon/build/openseadragon/openseadragon.min.js');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/osd.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><html><head><style>html,body{margin:0;height:100%;background:#1a1a1a}
#row{display:flex;height:100%}#row>div{flex:1;height:100%}</style></head><body><div id="row"></div>
<script src="/openseadragon.min.js"></script></body></html>`);
      return;
    }
    if (url.pathname === '/openseadragon.min.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      createReadStream(osdJs).pipe(res);
      return;
    }
    const img = /^\/img\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!img) {
      res.writeHead(404).end();
      return;
    }
    void core.readImage(img[1] ?? '', img[2] ?? '').then((file) => {
      if (!file.ok) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': file.mediaType, 'cache-control': 'private, max-age=31536000, immutable' });
      res.end(file.bytes);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** In-page: opens OpenSeadragon viewers (canvas drawer) on the given images, optionally locked. */
async function openOsd(page: Page, images: { sha: string; meta: DerivedMeta }[]): Promise<void> {
  await page.evaluate((imgs) => {
    const OSD = (window as unknown as { OpenSeadragon: (o: unknown) => unknown }).OpenSeadragon;
    const row = document.getElementById('row');
    if (!row) throw new Error('no row');
    row.innerHTML = '';
    const w = window as unknown as Record<string, unknown>;
    w['osdViewers'] = imgs.map((im, i) => {
      const el = document.createElement('div');
      el.id = `osd${i}`;
      row.append(el);
      const viewer = OSD({
        element: el,
        drawer: 'canvas',
        showNavigationControl: false,
        showNavigator: true,
        animationTime: 0.15,
        imageLoaderLimit: 6,
        tileSources: {
          width: im.meta.width,
          height: im.meta.height,
          tileSize: im.meta.tileSize,
          tileOverlap: im.meta.overlap,
          minLevel: 0,
          maxLevel: im.meta.maxLevel,
          getTileUrl: (level: number, x: number, y: number) => `/img/${im.sha}/tile-${level}-${x}-${y}`,
        },
      }) as {
        addHandler(n: string, f: (e: unknown) => void): void;
        addOnceHandler(n: string, f: (e: unknown) => void): void;
        world: { getItemAt(i: number): { getFullyLoaded(): boolean; addHandler(n: string, f: () => void): void } };
      };
      const state = { firstDrawn: 0, sharp: 0 };
      (viewer as unknown as { benchState: typeof state }).benchState = state;
      viewer.addHandler('tile-drawn', () => {
        if (!state.firstDrawn) state.firstDrawn = performance.now();
      });
      viewer.addOnceHandler('open', () => {
        const item = viewer.world.getItemAt(0);
        item.addHandler('fully-loaded-change', () => {
          if (item.getFullyLoaded() && !state.sharp) state.sharp = performance.now();
        });
      });
      return viewer;
    });
    // Locked: whichever viewer the user moves, the other follows (the usual OSD recipe).
    const viewers = w['osdViewers'] as {
      viewport: {
        getCenter(): unknown;
        getZoom(): number;
        panTo(c: unknown, immediately: boolean): void;
        zoomTo(z: number, p: unknown, immediately: boolean): void;
      };
      addHandler(n: string, f: () => void): void;
    }[];
    let syncing = false;
    viewers.forEach((v, i) => {
      const sync = (): void => {
        if (syncing) return;
        syncing = true;
        viewers.forEach((o, j) => {
          if (j === i) return;
          o.viewport.zoomTo(v.viewport.getZoom(), null, true);
          o.viewport.panTo(v.viewport.getCenter(), true);
        });
        syncing = false;
      };
      v.addHandler('zoom', sync);
      v.addHandler('pan', sync);
    });
  }, images);
}

/** Waits in-page (per animation frame) for a condition; returns performance.now() when it held. */
function whenTrue(page: Page, condition: string, timeoutMs = 60_000): Promise<number> {
  return page.evaluate(
    ({ condition, timeoutMs }) =>
      new Promise<number>((resolve, reject) => {
        const test = new Function(`return (${condition});`) as () => unknown;
        const start = performance.now();
        const tick = (): void => {
          let value: unknown;
          try {
            value = test();
          } catch {
            value = false;
          }
          if (typeof value === 'number' && value > 0) resolve(value);
          else if (value === true) resolve(performance.now());
          else if (performance.now() - start > timeoutMs) reject(new Error(`timed out: ${condition}`));
          else requestAnimationFrame(tick);
        };
        tick();
      }),
    { condition, timeoutMs },
  );
}

const OURS_STAGE = `document.querySelector('[data-testid="viewer-stage"]')`;
/**
 * When our first image pixels were drawn: the viewer stamps performance.now() at that draw, as
 * the OpenSeadragon page stamps its first `tile-drawn` (same definition for both; polling a flag
 * instead would add up to one animation frame to ours only).
 */
const OURS_FIRST_DRAWN_AT = `Number(${OURS_STAGE}?.dataset.firstDrawnAt ?? 0)`;

/**
 * Frames actually drawn while `drive` runs, counted in the page, the same way for both viewers:
 * every 2D `drawImage`/`putImageData` onto a canvas that is in the document marks the current
 * animation frame as drawn (Konva's and OpenSeadragon's off-screen buffers are not in the
 * document, so their work counts only when it reaches a visible canvas); a requestAnimationFrame
 * loop counts the frames so marked and the gaps between them. Input events reaching the page are
 * counted too (wheel, pointer moves), since a viewer that draws only on input cannot draw more
 * often than input arrives.
 */
interface FrameCount {
  drawn: number;
  seconds: number;
  gaps: number[];
  inputs: number;
}
async function countFrames(page: Page, drive: () => Promise<void>): Promise<FrameCount> {
  await page.evaluate(() => {
    const w = window as unknown as { bench: { drew: boolean; run: boolean; drawn: number[]; inputs: number } };
    w.bench = { drew: false, run: true, drawn: [], inputs: 0 };
    const proto = CanvasRenderingContext2D.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const name of ['drawImage', 'putImageData']) {
      const original = proto[name] as (this: CanvasRenderingContext2D, ...a: unknown[]) => unknown;
      proto[name] = function (this: CanvasRenderingContext2D, ...args: unknown[]) {
        if (this.canvas.isConnected) w.bench.drew = true;
        return original.apply(this, args);
      };
    }
    for (const type of ['wheel', 'pointermove']) addEventListener(type, () => w.bench.inputs++, { capture: true });
    const tick = (now: number): void => {
      if (w.bench.drew) w.bench.drawn.push(now);
      w.bench.drew = false;
      if (w.bench.run) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const t0 = performance.now();
  await drive();
  const seconds = (performance.now() - t0) / 1000;
  const { drawn, inputs } = await page.evaluate(() => {
    const w = window as unknown as { bench: { run: boolean; drawn: number[]; inputs: number } };
    w.bench.run = false;
    return w.bench;
  });
  return { drawn: drawn.length, seconds, gaps: drawn.slice(1).map((t, i) => t - (drawn[i] ?? t)), inputs };
}

/**
 * 5 s of input over the first viewer, the same stream for both viewers, delivered as a mouse
 * delivers it: one event per display frame (60 Hz), sent through the browser's input pipeline
 * (CDP Input.dispatchMouseEvent, trusted events) on a timer without waiting for each to be
 * handled, so a viewer that is slow to handle input sees its events queue (and coalesce) as it
 * would with a real mouse, instead of the driver slowing down to match it. Repeating quarter
 * seconds: wheel towards the user (zoom in), drag right, wheel away (zoom out), drag left.
 */
async function zoomAndPan(page: Page, box: { x: number; y: number; width: number; height: number }): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const TICK_MS = 1000 / 60;
  const PER_PHASE = 15; // 250 ms at 60 Hz
  type MouseEvent = {
    type: 'mouseMoved' | 'mousePressed' | 'mouseReleased' | 'mouseWheel';
    x: number;
    y: number;
    button?: 'left' | 'none';
    buttons?: number;
    clickCount?: number;
    deltaX?: number;
    deltaY?: number;
  };
  const ticks: MouseEvent[][] = [];
  let x = cx;
  for (let k = 0; k < 5000 / TICK_MS; k++) {
    const phase = Math.floor(k / PER_PHASE) % 4;
    const first = k % PER_PHASE === 0;
    const last = k % PER_PHASE === PER_PHASE - 1;
    const events: MouseEvent[] = [];
    if (phase === 0 || phase === 2) {
      events.push({ type: 'mouseWheel', x, y: cy, deltaX: 0, deltaY: phase === 0 ? -60 : 60 });
    } else {
      if (first) events.push({ type: 'mousePressed', x, y: cy, button: 'left', buttons: 1, clickCount: 1 });
      x += phase === 1 ? 8 : -8;
      events.push({ type: 'mouseMoved', x, y: cy, button: 'left', buttons: 1 });
      if (last) events.push({ type: 'mouseReleased', x, y: cy, button: 'left', buttons: 0, clickCount: 1 });
    }
    ticks.push(events);
  }
  await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: cx, y: cy });
  const sent: Promise<unknown>[] = [];
  const start = performance.now();
  await new Promise<void>((resolve) => {
    let next = 0;
    const timer = setInterval(() => {
      // Every tick whose time has come (a late timer sends the ones it missed, in order).
      const due = Math.min(ticks.length, Math.floor((performance.now() - start) / TICK_MS) + 1);
      for (; next < due; next++) for (const e of ticks[next] ?? []) sent.push(cdp.send('Input.dispatchMouseEvent', e));
      if (next >= ticks.length) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS / 2);
  });
  await Promise.all(sent);
  await cdp.detach();
}

/**
 * With BENCH_VIEWER_TRACE=1: a Chromium trace of `work`, summarised as where the page's main
 * thread spent its time (self time per trace event name, top 12) and the busiest other threads.
 */
async function traced<T>(browser: Browser, page: Page, label: string, work: () => Promise<T>): Promise<T> {
  if (!TRACE) return work();
  await browser.startTracing(page, {
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'v8.execute',
      'blink',
      'cc',
      'gpu',
      'skia',
    ],
  });
  const result = await work();
  const raw = await browser.stopTracing();
  const file = join(tmpdir(), `dermdesk-viewer-frames-${label}.json`);
  writeFileSync(file, raw);
  const trace = JSON.parse(raw.toString()) as {
    traceEvents: {
      name: string;
      ph: string;
      ts: number;
      dur?: number;
      pid: number;
      tid: number;
      args?: { name?: string };
    }[];
  };
  console.log(
    `main-thread time while zooming and panning, ${label} (trace: ${file}):\n${summariseTrace(trace.traceEvents)}`,
  );
  return result;
}

/** Self time per event name on the renderer's main thread, and total busy time per thread. */
function summariseTrace(
  events: { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { name?: string } }[],
): string {
  const threadName = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const byThread = new Map<string, typeof events>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const key = `${e.pid}:${e.tid}`;
    byThread.set(key, [...(byThread.get(key) ?? []), e]);
  }
  const lines: string[] = [];
  const busy: [string, number][] = [];
  for (const [key, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    const self = new Map<string, number>();
    const stack: { end: number; name: string }[] = [];
    let top = 0;
    for (const e of list) {
      const end = e.ts + (e.dur ?? 0);
      while (stack.length && (stack.at(-1)?.end ?? 0) <= e.ts) stack.pop();
      const parent = stack.at(-1);
      if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - (e.dur ?? 0));
      else top += e.dur ?? 0;
      self.set(e.name, (self.get(e.name) ?? 0) + (e.dur ?? 0));
      stack.push({ end, name: e.name });
    }
    const name = threadName.get(key) ?? key;
    busy.push([name, top / 1000]);
    if (name === 'CrRendererMain')
      lines.push(
        ...[...self.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 12)
          .map(([n, us]) => `  ${n}: ${(us / 1000).toFixed(0)} ms`),
      );
  }
  busy.sort((a, b) => b[1] - a[1]);
  lines.push(
    `  busiest threads: ${busy
      .slice(0, 6)
      .map(([n, t]) => `${n} ${t.toFixed(0)} ms`)
      .join(', ')}`,
  );
  return lines.join('\n');
}

/** Resident memory of the renderer processes of one browser (found by a unique flag). */
function rendererRssMb(tag: string): number {
  const pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  const cmd = (pid: string): string => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  };
  const parent = (pid: string): string => {
    try {
      return /PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';
    } catch {
      return '';
    }
  };
  const browserPid = pids.find((p) => cmd(p).includes(tag) && !cmd(p).includes('--type='));
  if (!browserPid) return NaN;
  const descends = (pid: string): boolean => {
    for (let p = pid, i = 0; p && p !== '1' && i < 10; p = parent(p), i++) if (p === browserPid) return true;
    return false;
  };
  let kb = 0;
  for (const pid of pids) {
    if (!cmd(pid).includes('--type=renderer') || !descends(pid)) continue;
    kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  }
  return kb / 1024;
}

/** A process's resident memory (VmRSS), MB. */
function processRssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
}

/** `npm run host` (tests/host/cli.ts) on the bench's cache, as its own Node process; no hub. */
async function spawnHost(dataDir: string): Promise<{ pid: number; url: string; token: string; stop(): Promise<void> }> {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'tests/host/cli.ts'),
      '--data-dir',
      dataDir,
      '--renderer-dir',
      join(root, 'out/renderer'),
      // A hub URL in settings: the host starts no embedded demo hub (this part never syncs).
      '--hub-url',
      'http://127.0.0.1:9',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const banner = await new Promise<RegExpExecArray>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /DermDesk test host: (http:\/\/\S+)\/#token=(\S+)/.exec(out);
      if (m) resolve(m);
    });
    proc.once('exit', (code) => reject(new Error(`the host exited (${code}) before it listened`)));
  });
  return {
    pid: proc.pid ?? NaN,
    url: banner[1] ?? '',
    token: banner[2] ?? '',
    stop: async () => {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** The renderer's performance marks (`dd:*`) and its requests, in ms after `t0`, in time order. */
function traceSince(page: Page, t0: number): Promise<string> {
  return page.evaluate((t0) => {
    const rows: [number, string][] = [];
    for (const m of performance.getEntriesByType('mark')) if (m.startTime >= t0) rows.push([m.startTime, m.name]);
    for (const r of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
      if (r.startTime < t0) continue;
      const name = new URL(r.name).pathname.replace(/[0-9a-f]{64}/, 'sha');
      rows.push([r.startTime, `${name}→`], [r.responseEnd, `←${name}`]);
    }
    return rows
      .sort((a, b) => a[0] - b[0])
      .map(([t, n]) => `${(t - t0).toFixed(1)} ${n}`)
      .join(' | ');
  }, t0);
}

async function launch(tag: string): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...chromiumArgs, `--dermdesk-bench=${tag}`] });
}

/** tsx (esbuild keepNames) wraps named inner functions in __name(); give the page a no-op one. */
async function benchPage(b: Browser | BrowserContext): Promise<Page> {
  // bypassCSP: the in-page timers below build their conditions with new Function (eval), which
  // the app's production CSP rightly forbids; it changes nothing the viewers do.
  const page = await b.newPage({ viewport: VIEWPORT, bypassCSP: true });
  await page.addInitScript('globalThis.__name = (f) => f;');
  return page;
}

async function main(): Promise<void> {
  const dir = makeTempDir('dermdesk-viewer-bench-');
  // <dir>/data as `npm run host` lays it out, so the memory part can run the host as its own
  // process on the same cache (its key file sits beside the data directory).
  const dataDir = join(dir.path, 'data');
  mkdirSync(dataDir);
  writeFileSync(join(dir.path, 'test-host-cache.key'), TEST_CACHE_KEY, { mode: 0o600 });
  const core = createCore({
    dataDir,
    secrets: new MemorySecretStore(),
    settings: new ConfSettingsStore(dataDir),
    appVersion: '0.0.0-bench',
    databaseKey: TEST_CACHE_KEY,
  });
  const host = await startHostServer({ core, rendererDir: join(root, 'out/renderer') });
  const osd = await startOsdServer(core);
  let closed = false;
  try {
    // Eight for the memory part; the other parts use the first two.
    const count = PARTS.has('memory') ? 8 : 2;
    console.log(`Generating and deriving ${count} images of ${WIDTH} × ${HEIGHT} (${(WIDTH * HEIGHT) / 1e6} MP)…`);
    const images: { sha: string; meta: DerivedMeta; bytes: number }[] = [];
    const deriveTimes: number[] = [];
    // How long the Node event loop (the core's, i.e. Electron's main process) is blocked while a
    // 48 MP image is derived: as the app does it (a worker thread: decrypting, unzipping and
    // encrypting the pyramid off the loop) beside the same derivation on the calling thread.
    const worker = new WorkerDeriver(await deriveWorkerScript(), dataDir, testImageKey);
    const inline = makeTempDir('dermdesk-viewer-bench-inline-');
    const delays: { p99: number; max: number }[] = [];
    const inlineDelays: { p99: number; max: number }[] = [];
    const watchLoop = async <T>(into: { p99: number; max: number }[], work: () => Promise<T>): Promise<T> => {
      // A fresh histogram per image: re-enabling one would count the pause between images.
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      const result = await work();
      loopDelay.disable();
      into.push({ p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 });
      return result;
    };
    for (let i = 0; i < count; i++) {
      const bytes = await makeImage(i);
      const sha = placeOriginal(dataDir, testImageKey, bytes);
      const t = performance.now();
      const meta = await watchLoop(delays, () => worker.derive(sha, () => undefined));
      deriveTimes.push(performance.now() - t);
      images.push({ sha, meta, bytes: bytes.length });
      if (i < 2) {
        const again = placeOriginal(inline.path, testImageKey, bytes);
        await watchLoop(inlineDelays, () => inProcessDeriver(inline.path, testImageKey).derive(again, () => undefined));
      }
    }
    await worker.close();
    inline.remove();
    const median = (xs: { p99: number; max: number }[], k: 'p99' | 'max'): string =>
      ms(
        pct(
          xs.map((d) => d[k]),
          50,
        ),
      );
    console.log(`derivation (preview + thumbnail + pyramid) per 48 MP JPEG: median ${ms(pct(deriveTimes, 50))}`);
    console.log(
      `event-loop delay while deriving (median over images): in the worker thread p99 ${median(delays, 'p99')}, max ${median(delays, 'max')}; on the calling thread p99 ${median(inlineDelays, 'p99')}, max ${median(inlineDelays, 'max')}`,
    );
    const manifest = (list: typeof images): ImageManifestEntry[] =>
      list.map((im) => ({
        id: randomUUID(),
        sha256: im.sha,
        bytes: im.bytes,
        mediaType: 'image/jpeg',
        width: im.meta.width,
        height: im.meta.height,
        kind: 'close-up',
      }));
    const single = sampleCase({ images: manifest(images.slice(0, 1)) });
    const pair = sampleCase({ images: manifest(images.slice(0, 2)) });
    const eight = sampleCase({ images: manifest(images) });
    for (const r of [single, pair, eight]) core.cases.upsert(r);
    const oursUrl = (caseId: string): string => `${host.url}/#view=viewer&case=${caseId}&token=${host.token}`;

    // 1. First image and sharp, fresh page (empty memory cache) each run.
    const first = { ours: [] as number[], oursSharp: [] as number[], osd: [] as number[], osdSharp: [] as number[] };
    const opened = { ours: [] as number[], oursSharp: [] as number[], osd: [] as number[], osdSharp: [] as number[] };
    const oneToOne = { ours: [] as number[], osd: [] as number[] };
    const browser = await launch('t1');
    for (let run = 0; run < (PARTS.has('open') ? RUNS : 0); run++) {
      const ctx = await browser.newContext({ viewport: VIEWPORT, bypassCSP: true });
      const page = await benchPage(ctx);
      await page.goto(oursUrl(single.id));
      first.ours.push(await whenTrue(page, OURS_FIRST_DRAWN_AT));
      first.oursSharp.push(await whenTrue(page, `${OURS_STAGE}?.dataset.sharp === 'true'`));
      if (TRACE) console.log(`run ${run + 1} (ours, cold): ${await traceSince(page, 0)}`);
      await page.getByTestId('viewer-workspace').focus();
      const t0 = await page.evaluate(() => performance.now());
      await page.keyboard.press('1');
      await whenTrue(page, `${OURS_STAGE}?.dataset.scale === '1.0000'`);
      oneToOne.ours.push((await whenTrue(page, `${OURS_STAGE}?.dataset.sharp === 'true'`)) - t0);
      await ctx.close();

      // Opening a case in an already running viewer (the consultant's actual step): the pop-out
      // page is up with no case; the main window announces the case (viewer.follow-case).
      const ctx3 = await browser.newContext({ viewport: VIEWPORT, bypassCSP: true });
      const p3 = await benchPage(ctx3);
      await p3.goto(`${host.url}/#view=viewer&token=${host.token}`);
      await p3.getByTestId('viewer-window').waitFor();
      await p3.waitForTimeout(300);
      const tOpen = await p3.evaluate(
        async ({ caseId, token }) => {
          const t = performance.now();
          await fetch('/rpc/viewer.follow-case', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ caseId, open: false }),
          });
          return t;
        },
        { caseId: single.id, token: host.token },
      );
      opened.ours.push((await whenTrue(p3, OURS_FIRST_DRAWN_AT)) - tOpen);
      opened.oursSharp.push((await whenTrue(p3, `${OURS_STAGE}?.dataset.sharp === 'true'`)) - tOpen);
      if (TRACE) console.log(`run ${run + 1} (ours): ${await traceSince(p3, tOpen)}`);
      await ctx3.close();

      const ctx2 = await browser.newContext({ viewport: VIEWPORT, bypassCSP: true });
      const p2 = await benchPage(ctx2);
      await p2.goto(`${osd.url}/osd.html`);
      await openOsd(p2, images.slice(0, 1));
      first.osd.push(await whenTrue(p2, `window.osdViewers[0].benchState.firstDrawn`));
      first.osdSharp.push(await whenTrue(p2, `window.osdViewers[0].benchState.sharp`));
      {
        // Same step for OpenSeadragon: its page is loaded; open the image in a new viewer.
        const ctx4 = await browser.newContext({ viewport: VIEWPORT, bypassCSP: true });
        const p4 = await benchPage(ctx4);
        await p4.goto(`${osd.url}/osd.html`);
        await p4.waitForFunction('typeof window.OpenSeadragon === "function"');
        await p4.waitForTimeout(300);
        const tOpen = await p4.evaluate(() => performance.now());
        await openOsd(p4, images.slice(0, 1));
        opened.osd.push((await whenTrue(p4, `window.osdViewers[0].benchState.firstDrawn`)) - tOpen);
        opened.osdSharp.push((await whenTrue(p4, `window.osdViewers[0].benchState.sharp`)) - tOpen);
        await ctx4.close();
      }
      const t1 = await p2.evaluate(() => performance.now());
      await p2.evaluate(() => {
        const v = (
          window as unknown as {
            osdViewers: {
              benchState: { sharp: number };
              viewport: { imageToViewportZoom(z: number): number; zoomTo(z: number, p: null, i: boolean): void };
              world: { getItemAt(i: number): { getFullyLoaded(): boolean } };
            }[];
          }
        ).osdViewers[0];
        if (!v) return;
        v.benchState.sharp = 0;
        v.viewport.zoomTo(v.viewport.imageToViewportZoom(1), null, true);
      });
      oneToOne.osd.push(
        (await whenTrue(
          p2,
          `window.osdViewers[0].benchState.sharp || (window.osdViewers[0].world.getItemAt(0).getFullyLoaded() && performance.now() - ${t1} > 50 ? performance.now() : 0)`,
        )) - t1,
      );
      await ctx2.close();
    }
    await browser.close();

    // 2. Frame times while zooming/panning two locked 48 MP images for 5 s.
    const none: FrameCount = { drawn: 0, seconds: NaN, gaps: [], inputs: 0 };
    const frames: Record<'ours' | 'osd', FrameCount> = { ours: none, osd: none };
    if (PARTS.has('frames')) {
      const b = await launch('t2');
      const page = await benchPage(b);
      await page.goto(oursUrl(pair.id));
      await whenTrue(page, `${OURS_STAGE}?.dataset.sharp === 'true'`);
      await page.getByLabel('Compare').check();
      await whenTrue(page, `document.querySelectorAll('[data-testid="viewer-stage"]')[1]?.dataset.sharp === 'true'`);
      const box = await page.getByTestId('viewer-stage').first().boundingBox();
      if (!box) throw new Error('no stage');
      frames.ours = await traced(b, page, 'ours', () => countFrames(page, () => zoomAndPan(page, box)));
      await page.close();
      const p2 = await benchPage(b);
      await p2.goto(`${osd.url}/osd.html`);
      await openOsd(p2, images.slice(0, 2));
      await whenTrue(p2, `window.osdViewers[1].benchState.sharp`);
      const box2 = await p2.locator('#osd0').boundingBox();
      if (!box2) throw new Error('no osd');
      frames.osd = await traced(b, p2, 'OpenSeadragon', () => countFrames(p2, () => zoomAndPan(p2, box2)));
      await b.close();
    }

    // 3. Memory after 8 images opened in turn (fit, then 1:1, sharp each time): each viewer's
    // renderer processes, and for ours the host process that served (decrypted) every image.
    const memory = { ours: NaN, osd: NaN, oursBase: NaN, osdBase: NaN, host: NaN, hostBase: NaN };
    if (PARTS.has('memory')) {
      const b = await launch('m-osd');
      const page = await benchPage(b);
      await page.goto(`${osd.url}/osd.html`);
      await openOsd(page, images.slice(0, 1));
      await whenTrue(page, `window.osdViewers[0].benchState.sharp`);
      memory.osdBase = rendererRssMb('m-osd');
      for (let i = 0; i < 8; i++) {
        await openOsd(page, images.slice(i, i + 1));
        await whenTrue(page, `window.osdViewers[0].benchState.sharp`);
        await page.evaluate(() => {
          const v = (
            window as unknown as {
              osdViewers: {
                benchState: { sharp: number };
                viewport: { imageToViewportZoom(z: number): number; zoomTo(z: number, p: null, i: boolean): void };
              }[];
            }
          ).osdViewers[0];
          if (!v) return;
          v.benchState.sharp = 0;
          v.viewport.zoomTo(v.viewport.imageToViewportZoom(1), null, true);
        });
        await whenTrue(page, `window.osdViewers[0].benchState.sharp`);
      }
      await page.waitForTimeout(1000);
      memory.osd = rendererRssMb('m-osd');
      await b.close();
    }

    if (PARTS.has('memory')) {
      // The host as the app runs it: its own process (core, image server, derivation and write
      // workers) on the same cache, so its RSS is the host's alone, not this bench's (Playwright,
      // the generated originals, the OpenSeadragon server).
      await osd.close();
      await host.close();
      core.close();
      closed = true;
      const child = await spawnHost(dataDir);
      try {
        const b = await launch('m-ours');
        const page = await benchPage(b);
        await page.goto(`${child.url}/#view=viewer&case=${eight.id}&token=${child.token}`);
        await whenTrue(page, `${OURS_STAGE}?.dataset.sharp === 'true'`);
        memory.oursBase = rendererRssMb('m-ours');
        memory.hostBase = processRssMb(child.pid);
        for (let i = 0; i < 8; i++) {
          await page.getByRole('button', { name: `Show: close-up ${i + 1}`, exact: true }).click();
          await whenTrue(page, `${OURS_STAGE}?.dataset.sharp === 'true'`);
          await page.getByTestId('viewer-workspace').focus();
          await page.keyboard.press('1');
          await whenTrue(page, `${OURS_STAGE}?.dataset.scale === '1.0000' && ${OURS_STAGE}?.dataset.sharp === 'true'`);
        }
        await page.waitForTimeout(1000);
        memory.ours = rendererRssMb('m-ours');
        memory.host = processRssMb(child.pid);
        await b.close();
      } finally {
        await child.stop();
      }
    }
    const counted = (f: FrameCount): string =>
      `${(f.drawn / f.seconds).toFixed(1)} fps counted (${f.drawn} frames drawn in ${f.seconds.toFixed(1)} s), gap p50 / p95 ${ms(pct(f.gaps, 50))} / ${ms(pct(f.gaps, 95))}, ${(f.inputs / f.seconds).toFixed(0)} input events/s`;
    console.log(
      `\nViewer vs OpenSeadragon ${readOsdVersion()} (canvas drawer), ${WIDTH}×${HEIGHT} images, viewport ${VIEWPORT.width}×${VIEWPORT.height}, ${RUNS} runs, medians:`,
    );
    console.log(`| measure | DermDesk viewer | OpenSeadragon |`);
    console.log(`| --- | --- | --- |`);
    console.log(
      `| open a case in the running viewer → first image drawn | ${ms(pct(opened.ours, 50))} | ${ms(pct(opened.osd, 50))} |`,
    );
    console.log(
      `| open a case in the running viewer → visible region sharp (fit) | ${ms(pct(opened.oursSharp, 50))} | ${ms(pct(opened.osdSharp, 50))} |`,
    );
    console.log(`| cold page load → first image drawn | ${ms(pct(first.ours, 50))} | ${ms(pct(first.osd, 50))} |`);
    console.log(
      `| cold page load → visible region sharp (fit) | ${ms(pct(first.oursSharp, 50))} | ${ms(pct(first.osdSharp, 50))} |`,
    );
    console.log(`| fit → 1:1, visible region sharp | ${ms(pct(oneToOne.ours, 50))} | ${ms(pct(oneToOne.osd, 50))} |`);
    console.log(
      `| time to sharp, ours / OpenSeadragon (cold load; open in running viewer) | ${(pct(first.oursSharp, 50) / pct(first.osdSharp, 50)).toFixed(2)}; ${(pct(opened.oursSharp, 50) / pct(opened.osdSharp, 50)).toFixed(2)} | 1 |`,
    );
    console.log(
      `| frames drawn, two locked images, 5 s zoom + pan (goal ≥ 58 fps, gap p95 < 20 ms) | ${counted(frames.ours)} | ${counted(frames.osd)} |`,
    );
    console.log(
      `| renderer RSS after one image / after 8 in turn | ${memory.oursBase.toFixed(0)} MB / ${memory.ours.toFixed(0)} MB | ${memory.osdBase.toFixed(0)} MB / ${memory.osd.toFixed(0)} MB |`,
    );
    console.log(
      `| host process RSS (core, image server, workers; its own process) after one image / after 8 | ${memory.hostBase.toFixed(0)} MB / ${memory.host.toFixed(0)} MB | — (a static file server) |`,
    );
  } finally {
    if (!closed) {
      await osd.close();
      await host.close();
      core.close();
    }
    dir.remove();
  }
}

function readOsdVersion(): string {
  try {
    return (
      JSON.parse(readFileSync(join(root, 'node_modules/openseadragon/package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    return '6';
  }
}

await main();
