/**
 * What an unauthenticated 250 MB upload costs the hub, beside what a signed-in practice's 20 MB
 * upload costs it, measured in the same run against a real hub in its own process:
 * - time from the first byte sent to the hub's answer, for 1 and for 3 uploads at once;
 * - the hub process's peak RSS growth meanwhile (sampled from /proc every 10 ms);
 * - the latency of GET /healthz (liveness) asked every 25 ms meanwhile (median and worst).
 * The unauthenticated body is refused from its headers (route-policies.ts, onRequest); the
 * 20 MB JSON body is refused past the JSON door's 8 MiB limit. Beside them, the streamed
 * photograph door (POST /uploads/photos: intake/receive-photo.ts): a 20 MB body sent chunked
 * (no Content-Length, so only the limit applied while streaming stops it, at 15 MiB), and a real
 * 20-megapixel JPEG just under the limit, stored, decoded from disk and accepted.
 *
 *   npm run bench -- hub-abuse
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeTempDir } from '../tests/support/temp-dir';

const MB = 1024 * 1024;
const CHUNK = Buffer.alloc(MB, 0x61);

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/**
 * POSTs `parts` in order, with backpressure, and resolves with the answer's status and the time to
 * it. The hub answers a refused upload and closes the connection: a client still writing may see
 * the reset before it reads the answer, counted as -1 ("reset"); either way the upload was stopped.
 * `early`: settle on the answer's headers and drop the connection (a refusal need not be read to
 * its end); otherwise settle when the answer has been read.
 */
function timedPost(
  url: string,
  headers: Record<string, string>,
  parts: Buffer[],
  early: boolean,
): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    const start = performance.now();
    let done = false;
    const finish = (status: number) => {
      if (done) return;
      done = true;
      resolve({ status, ms: performance.now() - start });
    };
    const req = request(url, { method: 'POST', headers }, (res) => {
      res.resume();
      if (!early) return void res.on('end', () => finish(res.statusCode ?? 0));
      finish(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', () => finish(-1));
    const pump = () => {
      while (parts.length > 0 && !done) if (!req.write(parts.shift()!)) return void req.once('drain', pump);
      if (!done) req.end();
    };
    pump();
  });
}

/** `size` bytes of filler after `head` (1 MB views of one buffer, so nothing large is allocated). */
function padded(head: Buffer[], size: number, tail: Buffer[] = []): Buffer[] {
  const parts = [...head];
  const fixed = [...head, ...tail].reduce((n, b) => n + b.length, 0);
  for (let sent = fixed; sent < size; sent += MB) parts.push(CHUNK.subarray(0, Math.min(MB, size - sent)));
  return [...parts, ...tail];
}

/** POSTs `size` bytes of JSON ({"pad":"aaaa…"}: valid, so a signed-in body is read and judged in full). */
function upload(url: string, size: number, token: string | null): Promise<{ status: number; ms: number }> {
  const headers = {
    'content-type': 'application/json',
    'content-length': String(size),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
  const body = padded([Buffer.from('{"pad":"')], size, [Buffer.from('"}')]);
  return timedPost(`${url}/api/v1/intake/referrals`, headers, body, true);
}

/**
 * POSTs one photograph to the streamed door: `bytes` as they are, or (`padTo`) the bytes then
 * filler up to that size, chunked (no Content-Length, so the hub can only stop it while reading).
 */
function streamPhoto(url: string, token: string, bytes: Buffer, padTo = 0): Promise<{ status: number; ms: number }> {
  const headers = {
    'content-type': 'image/jpeg',
    authorization: `Bearer ${token}`,
    ...(padTo ? {} : { 'content-length': String(bytes.length) }),
  };
  return timedPost(`${url}/api/v1/uploads/photos`, headers, padded([bytes], padTo), false);
}

/** A real 20-megapixel JPEG of noise (hard to compress: about 12.4 MB at quality 88), made with sharp. */
async function bigPhotograph(): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const width = 5200;
  const height = 3900;
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 88 })
    .toBuffer();
}

async function scenario(
  hubPid: number,
  url: string,
  label: string,
  run: () => Promise<{ status: number; ms: number }[]>,
): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
  const before = rssOf(hubPid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(hubPid))), 10);
  const live: number[] = [];
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const t = performance.now();
      await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
      live.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const results = await run();
  probing = false;
  await probe;
  clearInterval(sampler);
  live.sort((a, b) => a - b);
  const statuses = [...new Set(results.map((r) => (r.status === -1 ? 'reset' : String(r.status))))].join('/');
  const worst = Math.max(...results.map((r) => r.ms));
  console.log(
    `${label.padEnd(44)} answer ${statuses.padEnd(9)} in ${worst.toFixed(0).padStart(6)} ms   hub RSS +${((peak - before) / MB).toFixed(1).padStart(6)} MB   /healthz median ${live[Math.floor(live.length / 2)]!.toFixed(1)} ms, worst ${live[live.length - 1]!.toFixed(1)} ms (${live.length} asked)`,
  );
}

async function main(): Promise<void> {
  const dir = makeTempDir('dermdesk-bench-abuse-');
  const child = spawn(join('node_modules', '.bin', 'tsx'), ['bench/support/abuse-hub.ts', join(dir.path, 'hub')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const info = await new Promise<{ url: string; username: string; password: string; pid: number }>(
      (resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const line = out.split('\n').find((l) => l.startsWith('{'));
          if (line) resolve(JSON.parse(line) as { url: string; username: string; password: string; pid: number });
        });
        child.once('exit', (code) => reject(new Error(`hub exited ${code}`)));
      },
    );
    const login = await fetch(`${info.url}/api/v1/practice/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: info.username, password: info.password }),
    });
    const { token } = (await login.json()) as { token: string };
    const pid = info.pid;
    console.log(
      `hub pid ${pid}, RSS at rest ${(rssOf(pid) / MB).toFixed(1)} MB; loadavg ${(await import('node:os'))
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    await scenario(pid, info.url, 'unauthenticated 250 MB, 1 at once', () =>
      Promise.all([upload(info.url, 250 * MB, null)]),
    );
    await scenario(pid, info.url, 'unauthenticated 250 MB, 3 at once', () =>
      Promise.all([0, 1, 2].map(() => upload(info.url, 250 * MB, null))),
    );
    await scenario(pid, info.url, 'signed-in practice 20 MB (JSON door), 1', () =>
      Promise.all([upload(info.url, 20 * MB, token)]),
    );
    await scenario(pid, info.url, 'signed-in practice 20 MB (JSON door), 3', () =>
      Promise.all([0, 1, 2].map(() => upload(info.url, 20 * MB, token))),
    );
    const photo = await bigPhotograph();
    const head = photo.subarray(0, 64 * 1024);
    await scenario(pid, info.url, 'streamed door, 20 MB chunked, 1', () =>
      Promise.all([streamPhoto(info.url, token, head, 20 * MB)]),
    );
    await scenario(pid, info.url, 'streamed door, 20 MB chunked, 3', () =>
      Promise.all([0, 1, 2].map(() => streamPhoto(info.url, token, head, 20 * MB))),
    );
    const label = `streamed door, ${(photo.length / MB).toFixed(1)} MB 20 MP JPEG`;
    await scenario(pid, info.url, `${label}, 1`, () => Promise.all([streamPhoto(info.url, token, photo)]));
    await scenario(pid, info.url, `${label}, 3`, () =>
      Promise.all([0, 1, 2].map(() => streamPhoto(info.url, token, photo))),
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    dir.remove();
  }
}

void main();
