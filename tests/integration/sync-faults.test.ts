import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/create-core';
import { MemorySecretStore } from '../../src/main/core/secrets/memory-secret-store';
import { startFaultProxy, type Fault, type FaultProxy } from '../support/fault-proxy';
import { repoRoot } from '../support/fixtures';
import { makeTempDir } from '../support/temp-dir';
import { openCore, seedCases, seedConsultant, signIn, startTestHub } from './sync-support';

/**
 * Transport faults between the workstation and the real hub, injected by a loopback proxy.
 * Each ends either with a correct cache (every stored image hashes to its name, every cached
 * case has all its images) or a clear error with nothing half-stored.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(cases: number, imagesPerCase = 2, timeoutMs?: number): Promise<{ core: Core; proxy: FaultProxy }> {
  const hubDir = makeTempDir('dermdesk-hub-');
  const deskDir = makeTempDir('dermdesk-desk-');
  const hub = await startTestHub(hubDir.path);
  await seedConsultant(hub);
  await seedCases(hub, cases, imagesPerCase);
  const proxy = await startFaultProxy(hub.url);
  const secrets = new MemorySecretStore();
  if (timeoutMs) {
    // The short timeout is for the fault under test. Signing in (a password hash on the hub) may
    // outlast it on a loaded machine, so the desk signs in first with the default timeout.
    const signingIn = openCore(deskDir.path, secrets);
    await signIn(signingIn, proxy.url);
    signingIn.close();
  }
  const core = openCore(deskDir.path, secrets, timeoutMs ? { timeoutMs } : {});
  cleanups.push(
    hubDir.remove,
    deskDir.remove,
    () => hub.close(),
    () => proxy.close(),
    () => core.close(),
  );
  if (!timeoutMs) await signIn(core, proxy.url);
  return { core, proxy };
}

/** The invariant after any fault: no wrong bytes at a final path, no cached case missing an image. */
async function assertCacheSound(core: Core): Promise<{ cases: number; images: number }> {
  const root = join(core.dataDir, 'images');
  let images = 0;
  if (existsSync(root)) {
    for (const prefix of readdirSync(root)) {
      for (const sha of readdirSync(join(root, prefix))) {
        // Stored encrypted: what the viewer would be served must hash to the name it is stored under.
        const stored = await core.readImage(sha, 'original');
        expect(stored.ok && createHash('sha256').update(stored.bytes).digest('hex')).toBe(sha);
        images++;
      }
    }
  }
  const rows = core.db.prepare('SELECT sha256, bytes FROM images').all() as Array<{ sha256: string; bytes: number }>;
  for (const r of rows) expect(core.sync.images.has(r)).toBe(true);
  const cases = (core.db.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n;
  return { cases, images };
}

const onImages =
  (fault: (n: number) => Fault) =>
  (r: { path: string }, _i: number): Fault => {
    if (!r.path.includes('/images/')) return { kind: 'pass' };
    imageRequests++;
    return fault(imageRequests);
  };
let imageRequests = 0;

describe('sync under transport faults', () => {
  it('connection reset mid-image: resumed, every image correct', async () => {
    const { core, proxy } = await setup(3);
    imageRequests = 0;
    proxy.setRule(onImages((n) => (n <= 2 ? { kind: 'reset-after', bytes: 150_000 } : { kind: 'pass' })));
    const result = await core.handlers['sync.run']({ claim: 3 });
    expect(result.casesStored).toBe(3);
    expect(proxy.requests.some((r) => r.headers.range !== undefined)).toBe(true);
    expect((await assertCacheSound(core)).cases).toBe(3);
  });

  it('truncated bodies: resumed, every image correct', async () => {
    const { core, proxy } = await setup(2);
    imageRequests = 0;
    proxy.setRule(
      onImages((n) => (n % 2 === 1 && n < 6 ? { kind: 'truncate-after', bytes: 33_333 } : { kind: 'pass' })),
    );
    expect((await core.handlers['sync.run']({ claim: 2 })).casesStored).toBe(2);
    expect((await assertCacheSound(core)).cases).toBe(2);
  });

  it('persistent 5xx on images: clear error, those cases not cached, nothing half-stored', async () => {
    const { core, proxy } = await setup(2);
    proxy.setRule(onImages(() => ({ kind: 'status', status: 503, message: 'Object store unavailable' })));
    await expect(core.handlers['sync.run']({ claim: 2 })).rejects.toThrow(
      /could not be downloaded and were not cached/,
    );
    expect(core.sync.status().state).toBe('error');
    expect(await assertCacheSound(core)).toEqual({ cases: 0, images: 0 });
  });

  it('a hub that hangs: timeout, clear error, state offline, the cache still usable', async () => {
    const { core, proxy } = await setup(2, 1, 400);
    expect((await core.handlers['sync.run']({ claim: 1 })).casesStored).toBe(1);
    proxy.setRule((r) => (r.path.includes('/batches/claim') ? { kind: 'hang' } : { kind: 'pass' }));
    await expect(core.handlers['sync.run']({ claim: 1 })).rejects.toThrow(/did not answer in time/);
    expect(core.sync.status().state).toBe('offline');
    expect((await core.handlers['worklist.list']({ limit: 10, offset: 0 })).total).toBe(1);
    expect((await assertCacheSound(core)).cases).toBe(1);
  });

  it('an image download that stalls mid-body is abandoned and resumed', async () => {
    const { core, proxy } = await setup(1, 1, 400);
    imageRequests = 0;
    proxy.setRule(onImages((n) => (n === 1 ? { kind: 'hang-after', bytes: 40_000 } : { kind: 'pass' })));
    expect((await core.handlers['sync.run']({ claim: 1 })).casesStored).toBe(1);
    expect((await assertCacheSound(core)).images).toBe(1);
  });

  it('the hub process killed mid-batch: clear error, sound cache; the next sync completes it', async () => {
    const hubDir = makeTempDir('dermdesk-hub-');
    const deskDir = makeTempDir('dermdesk-desk-');
    cleanups.push(hubDir.remove, deskDir.remove);
    const seeding = await startTestHub(hubDir.path);
    await seedConsultant(seeding);
    await seedCases(seeding, 8, 3);
    const port = Number(new URL(seeding.url).port);
    await seeding.close();
    let hubProc = await spawnHub(hubDir.path, port);
    cleanups.push(() => void hubProc.kill('SIGKILL'));
    const proxy = await startFaultProxy(`http://127.0.0.1:${port}`);
    cleanups.push(() => proxy.close());
    const core = openCore(deskDir.path, undefined, { timeoutMs: 2000 });
    cleanups.push(() => core.close());
    await signIn(core, proxy.url);
    imageRequests = 0;
    proxy.setRule(
      onImages((n) => {
        if (n === 5) hubProc.kill('SIGKILL');
        return { kind: 'pass' };
      }),
    );
    await expect(core.handlers['sync.run']({ claim: 8 })).rejects.toThrow(/hub|cache/i);
    const partial = await assertCacheSound(core);
    expect(partial.cases).toBeLessThan(8);

    proxy.setRule(() => ({ kind: 'pass' }));
    hubProc = await spawnHub(hubDir.path, port);
    await core.handlers['sync.run']({ claim: 0 });
    expect((await assertCacheSound(core)).cases).toBe(8);
  });
});

/** The hub as its own process (`npm run hub`), so it can be SIGKILLed like a crashed server. */
function spawnHub(dataDir: string, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'src/hub/cli.ts'), '--port', String(port), '--data-dir', dataDir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    proc.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening on')) resolve(proc);
    });
    proc.on('error', reject);
    proc.on('exit', (code) => reject(new Error(`hub exited early (${code})`)));
  });
}
