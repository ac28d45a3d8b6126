import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/start-hub';
import type { Core } from '../../src/main/core/create-core';
import { signDecision } from '../../src/main/core/decisions/sign-decision';
import { WorkerPartWriters } from '../../src/main/core/images/part-writers';
import { createCore } from '../../src/main/core/create-core';
import { MemorySecretStore } from '../../src/main/core/secrets/memory-secret-store';
import { ConfSettingsStore } from '../../src/main/core/settings/conf-settings-store';
import { writeWorkerScript } from '../support/bundle-node-script';
import { TEST_CACHE_KEY } from '../support/cache-key';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { sampleDischarge } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';
import { caseStates, openCore, seedCases, seedConsultant, signIn, startTestHub } from './sync-support';

/**
 * A sync sends the outbox while the batch downloads (sync-engine.ts): the hub's writes for
 * waiting decisions and audit rows no longer stand in front of the first image. Real hub behind
 * the fault proxy, real SQLite; the proxy holds every outbox request until the download side has
 * asked for /assigned, so a sync that sends first and downloads after never finishes.
 */
let hub: RunningHub;
let proxy: FaultProxy;
let core: Core;
let consultant: { id: string; displayName: string };
let firstBatch: string[];
const hubDir = makeTempDir('dermdesk-hub-');
const deskDir = makeTempDir('dermdesk-desk-');

beforeAll(async () => {
  hub = await startTestHub(hubDir.path);
  await seedConsultant(hub);
  firstBatch = await seedCases(hub, 2, 1);
  proxy = await startFaultProxy(hub.url);
  core = openCore(deskDir.path);
  consultant = await signIn(core, proxy.url);
  await core.handlers['sync.run']({ claim: 2 });
});
afterAll(async () => {
  core.close();
  await proxy.close();
  await hub.close();
  hubDir.remove();
  deskDir.remove();
});

/** Outbox traffic: every write but the claim (decisions, audit rows, marks). */
const isOutbox = (r: { method: string; path: string }): boolean =>
  r.method !== 'GET' && !r.path.includes('/batches/claim');

describe('sync sends the outbox beside the download', () => {
  it('a decision waiting in the outbox is sent while the new batch downloads, and both complete', async () => {
    const decided = firstBatch[0];
    const decision = signDecision(
      core.db,
      { caseId: decided as string, content: sampleDischarge(), consultant },
      new Date(),
    );
    const fresh = await seedCases(hub, 3, 2);
    let assignedAsked!: () => void;
    const assigned = new Promise<void>((resolve) => (assignedAsked = resolve));
    let held = 0;
    proxy.setRule((req) => {
      if (req.method === 'GET' && req.path.endsWith('/assigned')) assignedAsked();
      if (!isOutbox(req)) return { kind: 'pass' };
      held++;
      return { kind: 'wait', until: assigned };
    });
    const result = await core.handlers['sync.run']({ claim: 3 });
    proxy.setRule(() => ({ kind: 'pass' }));

    expect(held).toBeGreaterThan(0);
    expect(result).toMatchObject({ claimed: 3, casesStored: 3, decisionsSent: 1 });
    const states = caseStates(core);
    for (const id of fresh) expect(states[id]).toBeDefined();
    const onHub = await hub.admin.decisionsForCase(decided as string);
    expect(onHub.map((d) => d.decision.id)).toEqual([decision.id]);
    expect((await core.handlers['sync.status']({})).pendingDecisions).toBe(0);
  });

  it('an ended session answered to the outbox fails the sync as signed out, even when the download went through', async () => {
    const decided = firstBatch[1];
    signDecision(core.db, { caseId: decided as string, content: sampleDischarge(), consultant }, new Date());
    const fresh = await seedCases(hub, 1, 1);
    proxy.setRule((req) =>
      isOutbox(req)
        ? { kind: 'status', status: 401, code: 'unauthorised', message: 'Session ended' }
        : { kind: 'pass' },
    );
    await expect(core.handlers['sync.run']({ claim: 1 })).rejects.toMatchObject({
      code: 'forbidden',
      message: 'Your hub session has ended. Sign in again.',
    });
    proxy.setRule(() => ({ kind: 'pass' }));
    // The batch that arrived meanwhile is cached; the decision waits for the next sign-in.
    expect(caseStates(core)[fresh[0] as string]).toBeDefined();
    const status = await core.handlers['sync.status']({});
    expect(status.state).toBe('sign-in-again');
    expect(status.pendingDecisions).toBe(1);
  });
});

describe('an outbox that fails beside the download', () => {
  it('an unreadable outbox row fails the sync with its reason once the batch is cached; nothing is left unhandled', async () => {
    await signIn(core, proxy.url); // the test above ended the session
    await core.handlers['sync.run']({ claim: 0 }); // sends what is waiting: the outbox is empty now
    const at = '2026-11-30T09:00:00.000Z';
    core.db
      .prepare(
        `INSERT INTO outbox (kind, ref_id, payload_json, created_at, next_attempt_at)
         VALUES ('audit', 'cut-off-row', '{"event": "cut off', @at, @at)`,
      )
      .run({ at });
    const fresh = await seedCases(hub, 1, 1);
    // The download is held at /assigned until the outbox has failed: the failure arrives while
    // the sync is still downloading (before the fix, an unhandled rejection).
    let release!: () => void;
    const later = new Promise<void>((resolve) => (release = resolve));
    const timer = setTimeout(release, 300);
    proxy.setRule((req) => (req.path.endsWith('/assigned') ? { kind: 'wait', until: later } : { kind: 'pass' }));
    try {
      await expect(core.handlers['sync.run']({ claim: 1 })).rejects.toThrow(/JSON/);
      expect(caseStates(core)[fresh[0] as string]).toBeDefined();
    } finally {
      clearTimeout(timer);
      proxy.setRule(() => ({ kind: 'pass' }));
      core.db.prepare(`DELETE FROM outbox WHERE ref_id = 'cut-off-row'`).run();
    }
  });
});

describe('sync warms the image write worker', () => {
  it('has the worker thread running by the time it asks for /assigned, before any image', async () => {
    const dir = makeTempDir('dermdesk-desk-');
    const desk = createCore({
      dataDir: dir.path,
      secrets: new MemorySecretStore(),
      settings: new ConfSettingsStore(dir.path),
      appVersion: '0.0.0-test',
      databaseKey: TEST_CACHE_KEY,
      writeWorker: { script: await writeWorkerScript() },
      sync: { autoStartOutbox: false, onImageStored: () => undefined },
    });
    try {
      await signIn(desk, proxy.url);
      const writers = desk.sync.images.writers;
      if (!(writers instanceof WorkerPartWriters)) throw new Error('the core was built without the write worker');
      const fresh = await seedCases(hub, 1, 1);
      let startedWhenAssignedAsked: boolean | null = null;
      proxy.setRule((req) => {
        if (req.path.endsWith('/assigned')) startedWhenAssignedAsked ??= writers.started;
        return { kind: 'pass' };
      });
      expect(writers.started).toBe(false);
      await desk.handlers['sync.run']({ claim: 1 });
      expect(startedWhenAssignedAsked).toBe(true);
      expect(caseStates(desk)[fresh[0] as string]).toBeDefined();
    } finally {
      proxy.setRule(() => ({ kind: 'pass' }));
      desk.close();
      dir.remove();
    }
  });
});
