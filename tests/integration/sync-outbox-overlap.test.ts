import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/start-hub';
import type { Core } from '../../src/main/core/create-core';
import { signDecision } from '../../src/main/core/decisions/sign-decision';
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
