import { existsSync, readdirSync } from 'node:fs';
import { originalsDir } from '../../src/main/core/images/image-paths';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/start-hub';
import type { Core } from '../../src/main/core/create-core';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { sampleCase } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';
import { openCore, seedCases, seedConsultant, signIn, startTestHub } from './sync-support';

/**
 * A hub that answers with the wrong thing (a broken deployment, a hostile middlebox): wrong
 * schema, wrong image bytes, oversize bodies. Each is a clear error and nothing from the bad
 * response reaches the cache.
 */
let hub: RunningHub;
let proxy: FaultProxy;
const hubDir = makeTempDir('dermdesk-hub-');
const desks: Array<{ core: Core; remove: () => void }> = [];

beforeAll(async () => {
  hub = await startTestHub(hubDir.path);
  await seedConsultant(hub);
  await seedCases(hub, 12, 1);
  proxy = await startFaultProxy(hub.url);
});
afterEach(() => {
  proxy.setRule(() => ({ kind: 'pass' }));
  for (const d of desks.splice(0)) {
    d.core.close();
    d.remove();
  }
});
afterAll(async () => {
  await proxy.close();
  await hub.close();
  hubDir.remove();
});

async function desk(): Promise<Core> {
  const dir = makeTempDir('dermdesk-desk-');
  const core = openCore(dir.path);
  desks.push({ core, remove: dir.remove });
  await signIn(core, proxy.url);
  return core;
}

async function cachedNothing(core: Core): Promise<void> {
  expect((await core.handlers['worklist.list']({ limit: 50, offset: 0 })).total).toBe(0);
  // No original stored, and nothing else under images/ (the store may have made its empty originals directory).
  const originals = originalsDir(core.dataDir);
  expect(existsSync(originals) ? readdirSync(originals) : []).toEqual([]);
  const images = join(core.dataDir, 'images');
  expect(existsSync(images) ? readdirSync(images).filter((n) => n !== 'originals') : []).toEqual([]);
}

describe('malformed hub responses', () => {
  it('a case record of the wrong schema: clear error naming the field, not cached', async () => {
    const core = await desk();
    const wrong = { ...sampleCase(), patient: { ...sampleCase().patient, nhsNumber: 'not-a-number' } };
    proxy.setRule((r) => (/\/cases\/[^/]+$/.test(r.path) ? { kind: 'json', body: wrong } : { kind: 'pass' }));
    await expect(core.handlers['sync.run']({ claim: 1 })).rejects.toThrow(
      /does not match the API \(patient\.nhsNumber/,
    );
    await cachedNothing(core);
  });

  it('a case record for another case id: refused', async () => {
    const core = await desk();
    proxy.setRule((r) => (/\/cases\/[^/]+$/.test(r.path) ? { kind: 'json', body: sampleCase() } : { kind: 'pass' }));
    await expect(core.handlers['sync.run']({ claim: 1 })).rejects.toThrow(/with another case/);
    await cachedNothing(core);
  });

  it('a claim response of the wrong schema: clear error, nothing claimed locally', async () => {
    const core = await desk();
    proxy.setRule((r) =>
      r.path.includes('/batches/claim')
        ? { kind: 'json', body: { batchId: 'x', cases: 'all of them' } }
        : { kind: 'pass' },
    );
    await expect(core.handlers['sync.run']({ claim: 1 })).rejects.toThrow(/does not match the API/);
    expect(core.sync.status()).toMatchObject({ state: 'error' });
    expect(core.sync.status().lastError).toMatch(/Nothing from it was cached/);
    await cachedNothing(core);
  });

  it('a response that is not JSON: clear error', async () => {
    const core = await desk();
    proxy.setRule((r) => (r.path.includes('/assigned') ? { kind: 'append', bytes: 10 } : { kind: 'pass' }));
    await expect(core.handlers['sync.run']({ claim: 1 })).rejects.toThrow(/not JSON/);
  });

  it('an oversize JSON response (3 MB): refused without being parsed', async () => {
    const core = await desk();
    proxy.setRule((r) =>
      r.path.includes('/changes')
        ? { kind: 'json', body: { cursor: 1, changes: [], pad: 'x'.repeat(3_000_000) } }
        : { kind: 'pass' },
    );
    await expect(core.handlers['sync.run']({ claim: 0 })).rejects.toThrow(/larger than \d+ bytes and was refused/);
  });

  it('image bytes that never match the manifest sha: clear error, no image stored, case not cached', async () => {
    const core = await desk();
    proxy.setRule((r) => (r.path.includes('/images/') ? { kind: 'flip-byte', at: 100 } : { kind: 'pass' }));
    await expect(core.handlers['sync.run']({ claim: 1 })).rejects.toThrow(/do not match the manifest's SHA-256/);
    await cachedNothing(core);
  });

  it('an oversize image body: cut off and refused, nothing stored', async () => {
    const core = await desk();
    proxy.setRule((r) => (r.path.includes('/images/') ? { kind: 'append', bytes: 20_000_000 } : { kind: 'pass' }));
    await expect(core.handlers['sync.run']({ claim: 1 })).rejects.toThrow(
      /more than the \d+ bytes the manifest promised/,
    );
    await cachedNothing(core);
  });
});
