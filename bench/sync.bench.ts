/**
 * Sync throughput: a batch of 50 cases x 3 images (about 60 MB of distinct JPEGs, generated
 * with sharp from the shared dermoscopy fixtures at bench time) from a real hub on loopback.
 * Prints our sync (claim/assigned, case JSON, images streamed to disk with SHA-256 checks and
 * AES-256-GCM encryption in the image write worker, fsync, rename, directory fsync, SQLite)
 * beside two plain parallel HTTP downloads of the same image bytes from the same hub with the
 * same concurrency, measured in the same run, rotating the order so none gets a warmer cache:
 *   - plain download to files: fetch, each body streamed to its own file (what `curl -O` does:
 *     no check, no encryption, no fsync);
 *   - plain receive: fetch, each body read and dropped chunk by chunk (no disk at all).
 * Also prints this process's CPU per run and the load average. The hub runs as its own process
 * (as it does in production), so its file reads do not share this process's thread pool or event loop.
 *
 *   npm run bench -- sync
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import sharp from 'sharp';
import { startHub } from '../src/hub/start-hub';
import { TEST_CACHE_KEY } from '../tests/support/cache-key';
import { createCore, type Core } from '../src/main/core/create-core';
import { MemorySecretStore } from '../src/main/core/secrets/memory-secret-store';
import { ConfSettingsStore } from '../src/main/core/settings/conf-settings-store';
import { HUB_API_PREFIX } from '../src/shared/hub-api/consultant-api';
import type { ImageKind } from '../src/shared/domain/case';
import { dermoscopyFixtures, repoRoot } from '../tests/support/fixtures';
import { sampleCase, sampleNhsNumber } from '../tests/support/sample-case';
import { makeTempDir } from '../tests/support/temp-dir';
import { writeWorkerScript } from '../tests/support/bundle-node-script';
import { timelineText, watchSync, type SyncTimeline } from './support/sync-timeline';

const CASES = 50;
const IMAGES_PER_CASE = 3;
const CONCURRENCY = 6;
// Five rounds of each side (alternating which goes first); the figures on a shared machine move a lot.
const ROUNDS = Number(process.env['BENCH_SYNC_ROUNDS'] ?? 5);
// BENCH_SYNC_SEEDED=<dir>: for working on the sync, a hub data dir seeded once (the first run
// seeds it) and kept, so a run skips the ~1 min of seeding. The figures to record come without it.
const SEEDED_DIR = process.env['BENCH_SYNC_SEEDED'] ?? '';
const KINDS: ImageKind[] = ['overview', 'close-up', 'dermoscopy'];
// BENCH_SYNC_PROFILE=<dir>: CPU profiles of our sync's rounds (this thread, over `sync.run` only)
// and of the image write worker (its whole life) are written there.
const PROFILE_DIR = process.env['BENCH_SYNC_PROFILE'] ?? '';
const user = { username: 'bench.consultant', password: 'bench-password-long-enough', displayName: 'Dr Bench' };

async function generateImages(count: number): Promise<Buffer[]> {
  const sources = dermoscopyFixtures().map((f) => readFileSync(f));
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    // Upscaled, tinted and rotated per index: every image distinct, about 400 KB each.
    out.push(
      await sharp(sources[i % sources.length])
        .resize(2048, 1536)
        .rotate((i * 7) % 360, { background: '#000' })
        .modulate({ hue: (i * 13) % 360, brightness: 0.9 + (i % 10) / 50 })
        .jpeg({ quality: 92 })
        .toBuffer(),
    );
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/**
 * Run as `--seed <dir>` in a child process: generates the photographs and seeds the hub there, so
 * the measuring process starts clean (no seeding hub, libvips or 57 MB of buffers in its heap:
 * the workstation and the hub are different processes in production too). Prints the byte total.
 */
async function seedChild(dataDir: string): Promise<void> {
  const hub = await startHub({ dataDir });
  try {
    await hub.admin.createUser(user);
    const images = await generateImages(CASES * IMAGES_PER_CASE);
    for (let i = 0; i < CASES; i++) {
      const c = sampleCase({ patient: { ...sampleCase().patient, nhsNumber: sampleNhsNumber(500 + i * 3) } });
      await hub.admin.addCase({
        id: randomUUID(),
        patient: c.patient,
        practice: c.practice,
        referral: c.referral,
        images: Array.from({ length: IMAGES_PER_CASE }, (_, k) => ({
          bytes: images[i * IMAGES_PER_CASE + k] as Buffer,
          kind: KINDS[k] as ImageKind,
        })),
      });
    }
    console.log(`seeded-bytes ${images.reduce((n, b) => n + b.length, 0)}`);
  } finally {
    await hub.close();
  }
}

function seedHub(dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--seed', dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const bytes = /seeded-bytes (\d+)/.exec(out)?.[1];
      if (code === 0 && bytes) resolve(Number(bytes));
      else reject(new Error(`seeding the hub failed (${code})`));
    });
  });
}

async function main(): Promise<void> {
  const hubDir = SEEDED_DIR ? { path: SEEDED_DIR, remove: () => undefined } : makeTempDir('dermdesk-bench-hub-');
  const desks: Array<{ core: Core; remove: () => void }> = [];
  let hubProc: ChildProcess | null = null;
  try {
    const t0 = performance.now();
    const seededFile = join(hubDir.path, 'seeded-bytes');
    const totalBytes =
      SEEDED_DIR && existsSync(seededFile) ? Number(readFileSync(seededFile, 'utf8')) : await seedHub(hubDir.path);
    if (SEEDED_DIR) writeFileSync(seededFile, String(totalBytes));
    console.log(
      `seeded ${CASES} cases x ${IMAGES_PER_CASE} images, ${(totalBytes / 1e6).toFixed(1)} MB, in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const served = await spawnHub(hubDir.path);
    const writeScript = await writeWorkerScript();
    hubProc = served.proc;
    const hubUrl = served.url;

    // A first workstation claims the batch; later rounds re-download it (GET /assigned) into fresh data dirs.
    // Each round measures both sides once, alternating which goes first, so neither gets a warmer cache.
    const ours: number[] = [];
    const plain: number[] = [];
    const toFiles: number[] = [];
    const timelines: SyncTimeline[] = [];
    const peerLanes: number[] = [];
    const profiler = PROFILE_DIR ? new Session() : null;
    profiler?.connect();
    await profiler?.post('Profiler.enable');
    const ourCpu: Cpu[] = [];
    const plainCpu: Cpu[] = [];
    const toFilesCpu: Cpu[] = [];
    let shas: string[] = [];
    let token = '';
    const loadBefore = loadAverage();
    // Round 0 is the warm-up (the first workstation claims the batch; every side runs once with
    // cold code): reported on its own, not in the medians.
    let firstSync = 0;
    for (let round = 0; round <= ROUNDS; round++) {
      const dir = makeTempDir('dermdesk-bench-desk-');
      const secrets = new MemorySecretStore();
      const core = createCore({
        dataDir: dir.path,
        secrets,
        settings: new ConfSettingsStore(dir.path),
        appVersion: 'bench',
        databaseKey: TEST_CACHE_KEY,
        // As the app runs it: photographs hashed, encrypted and written in the image write worker.
        writeWorker: {
          script: writeScript,
          ...(PROFILE_DIR ? { execArgv: ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] } : {}),
        },
        // Preview derivation (the viewer's queue) is switched off: this measures the transfer path.
        sync: { autoStartOutbox: false, onImageStored: () => undefined },
      });
      desks.push({ core, remove: dir.remove });
      await core.handlers['sync.signIn']({ hubUrl, username: user.username, password: user.password });
      token = (await secrets.get('hub-token')) ?? '';

      const watch = watchSync(core);
      const ourSync = async (): Promise<void> => {
        if (profiler && round > 0) await profiler.post('Profiler.start');
        watch.start();
        const start = performance.now();
        const cpu0 = process.cpuUsage();
        const result = await core.handlers['sync.run']({ claim: round === 0 ? CASES : 0 });
        const seconds = (performance.now() - start) / 1000;
        const cpu = process.cpuUsage(cpu0);
        const timeline = watch.finish();
        if (profiler && round > 0) {
          const { profile } = await profiler.post('Profiler.stop');
          writeFileSync(join(PROFILE_DIR, `ours-round-${round}.cpuprofile`), JSON.stringify(profile));
        }
        if (round > 0) timelines.push(timeline);
        if (result.casesStored !== CASES) throw new Error(`synced ${result.casesStored} of ${CASES} cases`);
        if (round === 0) firstSync = totalBytes / 1e6 / seconds;
        else {
          ourCpu.push(cpu);
          ours.push(totalBytes / 1e6 / seconds);
        }
        if (round === 0) {
          shas = (core.db.prepare('SELECT DISTINCT sha256 FROM images').all() as Array<{ sha256: string }>).map(
            (r) => r.sha256,
          );
        }
      };
      const receive = async (): Promise<void> => {
        const { mbs } = await measured(round > 0 ? plainCpu : [], () => plainDownload(hubUrl, token, shas, null));
        if (round > 0) plain.push(mbs);
      };
      const download = async (): Promise<void> => {
        const files = makeTempDir('dermdesk-bench-plain-');
        try {
          const { mbs, lanes } = await measured(round > 0 ? toFilesCpu : [], () =>
            plainDownload(hubUrl, token, shas, files.path),
          );
          if (round > 0) {
            toFiles.push(mbs);
            peerLanes.push(lanes);
          }
        } finally {
          files.remove();
        }
      };
      // The first round claims the batch (the peers need its image list); later rounds rotate the order.
      const order = [ourSync, download, receive];
      for (let k = 0; k < order.length; k++) await (order[(k + round) % order.length] as () => Promise<void>)();
      watch.stop();
      // Closed before the next round: an idle core (timers, its worker) must not share the next round's CPU.
      desks.pop();
      core.close();
      dir.remove();
    }
    const o = median(ours);
    const f = median(toFiles);
    const p = median(plain);
    const runs = (xs: number[]): string => xs.map((x) => x.toFixed(1)).join(', ');
    console.log(
      `our sync (${CONCURRENCY} parallel, verified, encrypted, fsynced, cached): ${o.toFixed(1)} MB/s  (runs: ${runs(ours)})`,
    );
    console.log(
      `plain parallel download to files (${CONCURRENCY} parallel):      ${f.toFixed(1)} MB/s  (runs: ${runs(toFiles)})`,
    );
    console.log(
      `plain parallel receive (${CONCURRENCY} parallel, bytes dropped):  ${p.toFixed(1)} MB/s  (runs: ${runs(plain)})`,
    );
    console.log(`first sync (warm-up: claims the batch, cold code, not in the medians): ${firstSync.toFixed(1)} MB/s`);
    // The goal is per round: ours against the peers measured in the same round.
    const perRound = (peer: number[]): number[] => ours.map((x, i) => x / (peer[i] ?? NaN));
    const spread = (xs: number[]): string =>
      `min ${Math.min(...xs).toFixed(2)}, median ${median(xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)}`;
    const toFilesRatios = perRound(toFiles);
    const receiveRatios = perRound(plain);
    const short = toFilesRatios.filter((r) => r < 0.85);
    console.log(
      `ratio ours/plain download to files, per round: ${toFilesRatios.map((r) => r.toFixed(2)).join(', ')}  (${spread(toFilesRatios)}; target >= 0.85 in every round: ${
        short.length === 0
          ? 'met'
          : `not met in ${short.length} of ${toFilesRatios.length}, lowest ${(0.85 - Math.min(...short)).toFixed(2)} short`
      })`,
    );
    console.log(
      `ratio ours/plain receive, bytes dropped, per round: ${receiveRatios.map((r) => r.toFixed(2)).join(', ')}  (${spread(receiveRatios)})`,
    );
    console.log(`our sync's wall time, median per part: ${timelineText(timelines, median)}`);
    console.log(`plain download to files: lanes busy ${median(peerLanes).toFixed(1)} of ${CONCURRENCY}`);
    // This process's CPU per run (user + system, all its threads; the hub is another process):
    // on a machine whose cores are all busy, throughput follows it.
    console.log(
      `CPU of this process per run, median: ours ${cpuText(ourCpu)}, download to files ${cpuText(toFilesCpu)}, receive ${cpuText(plainCpu)}`,
    );
    console.log(`load average before: ${loadBefore}, after: ${loadAverage()}`);
  } finally {
    for (const d of desks) {
      d.core.close();
      d.remove();
    }
    hubProc?.kill('SIGTERM');
    hubDir.remove();
  }
}

type Cpu = NodeJS.CpuUsage;

async function measured<T>(into: Cpu[], run: () => Promise<T>): Promise<T> {
  const cpu0 = process.cpuUsage();
  const result = await run();
  into.push(process.cpuUsage(cpu0));
  return result;
}

function cpuText(runs: Cpu[]): string {
  const ms = (f: (c: Cpu) => number): string => (median(runs.map(f)) / 1000).toFixed(0);
  return `${ms((c) => c.user + c.system)} ms (user ${ms((c) => c.user)}, system ${ms((c) => c.system)})`;
}

function loadAverage(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

/** `npm run hub` on the seeded data dir, on a free port; resolves with its URL. */
function spawnHub(dataDir: string): Promise<{ proc: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', `${repoRoot}/src/hub/cli.ts`, '--port', '0', '--data-dir', dataDir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    proc.stdout?.on('data', (chunk: Buffer) => {
      const url = /listening on (http:\/\/\S+)/.exec(chunk.toString())?.[1];
      if (url) resolve({ proc, url });
    });
    proc.on('error', reject);
    proc.on('exit', (code) => reject(new Error(`hub exited (${code})`)));
  });
}

/**
 * The peers: the same image bytes from the same hub, `CONCURRENCY` fetches at a time; each body
 * streamed to its own file in `dir` (a plain downloader), or, with no dir, read and dropped.
 */
async function plainDownload(
  hubUrl: string,
  token: string,
  shas: string[],
  dir: string | null,
): Promise<{ mbs: number; lanes: number }> {
  let next = 0;
  let bytes = 0;
  let busy = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < shas.length) {
        const sha = shas[next++] as string;
        const asked = performance.now();
        const res = await fetch(`${hubUrl}${HUB_API_PREFIX}/images/${sha}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (!res.ok || !res.body) throw new Error(`plain download: ${res.status}`);
        const file = dir ? await open(join(dir, sha), 'w') : null;
        try {
          // Nothing checked; written as it arrives (or dropped: the cheapest possible receive).
          for await (const chunk of res.body) {
            bytes += chunk.byteLength;
            if (file) await file.write(chunk);
          }
        } finally {
          await file?.close();
        }
        busy += performance.now() - asked;
      }
    }),
  );
  const ms = performance.now() - start;
  return { mbs: bytes / 1e6 / (ms / 1000), lanes: busy / ms };
}

if (process.argv[2] === '--seed') await seedChild(process.argv[3] ?? '');
else await main();
