import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/start-hub';
import type { Core } from '../../src/main/core/create-core';
import { passOnCase } from '../../src/main/core/cases/pass-on';
import { signDecision } from '../../src/main/core/decisions/sign-decision';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { sampleDischarge } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';
import { caseStates, openCore, seedCases, seedConsultant, signIn, startTestHub } from './sync-support';

/**
 * How the outbox treats each hub answer, through the contract the renderer uses: 409/412 →
 * needs review (visible, not retried), other 4xx → rejected (visible, not retried), 5xx →
 * retried later with backoff. Real hub behind the fault proxy, real SQLite.
 */
let hub: RunningHub;
let proxy: FaultProxy;
let core: Core;
let consultant: { id: string; displayName: string };
let ids: string[];
const hubDir = makeTempDir('dermdesk-hub-');
const deskDir = makeTempDir('dermdesk-desk-');

beforeAll(async () => {
  hub = await startTestHub(hubDir.path);
  await seedConsultant(hub);
  await seedCases(hub, 7, 1);
  proxy = await startFaultProxy(hub.url);
  core = openCore(deskDir.path);
  consultant = await signIn(core, proxy.url);
  await core.handlers['sync.run']({ claim: 7 });
  ids = Object.keys(caseStates(core));
});
afterAll(async () => {
  core.close();
  await proxy.close();
  await hub.close();
  hubDir.remove();
  deskDir.remove();
});

function decide(caseId: string): string {
  return signDecision(core.db, { caseId, content: sampleDischarge(), consultant }, new Date()).id;
}
const decisionPuts = (): number => proxy.requests.filter((r) => r.method === 'PUT').length;
const outboxRow = (decisionId: string): { held: number; attempts: number; next_attempt_at: string } | undefined =>
  core.db
    .prepare(`SELECT held, attempts, next_attempt_at FROM outbox WHERE kind = 'decision' AND ref_id = ?`)
    .get(decisionId) as { held: number; attempts: number; next_attempt_at: string } | undefined;

describe('outbox verdicts', () => {
  it('412 (the referrer updated the case) → needs review, visible through sync.status, never resent', async () => {
    const caseId = ids[0] as string;
    const id = decide(caseId);
    await hub.admin.updateCase(caseId, { referral: { history: 'New: lesion bled last week' } });
    await core.sync.outbox.sendDue({ ignoreBackoff: true });
    const status = await core.handlers['sync.status']({});
    const issue = status.issues.find((i) => i.decisionId === id);
    expect(issue?.state).toBe('needs-review');
    expect(issue?.note).toMatch(/case changed/);
    expect(caseStates(core)[caseId]).toBe('needs-review');
    expect(outboxRow(id)?.held).toBe(1);
    const puts = decisionPuts();
    await core.sync.outbox.sendDue({ ignoreBackoff: true });
    expect(decisionPuts()).toBe(puts);
    expect(await hub.admin.decisionsForCase(caseId)).toEqual([]);
  });

  it('409 (the referrer withdrew the case) → needs review with the hub message', async () => {
    const caseId = ids[1] as string;
    const id = decide(caseId);
    await hub.admin.withdrawCase(caseId);
    await core.sync.outbox.sendDue({ ignoreBackoff: true });
    const issue = (await core.handlers['sync.status']({})).issues.find((i) => i.decisionId === id);
    expect(issue).toMatchObject({ state: 'needs-review' });
    expect(issue?.note).toMatch(/withdr/i);
  });

  it('another 4xx → rejected with the message, visible, not retried', async () => {
    const caseId = ids[2] as string;
    const id = decide(caseId);
    proxy.setRule((r) =>
      r.method === 'PUT'
        ? { kind: 'status', status: 400, code: 'validation', message: 'Diagnosis code unknown' }
        : { kind: 'pass' },
    );
    await core.sync.outbox.sendDue({ ignoreBackoff: true });
    proxy.setRule(() => ({ kind: 'pass' }));
    const issue = (await core.handlers['sync.status']({})).issues.find((i) => i.decisionId === id);
    expect(issue).toMatchObject({ state: 'rejected' });
    expect(issue?.note).toContain('Diagnosis code unknown');
    expect(caseStates(core)[caseId]).toBe('rejected');
    const puts = decisionPuts();
    await core.sync.outbox.sendDue({ ignoreBackoff: true });
    expect(decisionPuts()).toBe(puts);
  });

  it('5xx → kept, retried later with growing backoff, then delivered once', async () => {
    const caseId = ids[3] as string;
    const id = decide(caseId);
    proxy.setRule((r) => (r.method === 'PUT' ? { kind: 'status', status: 503 } : { kind: 'pass' }));
    const before = Date.now();
    await core.sync.outbox.sendDue();
    const first = outboxRow(id);
    expect(first).toMatchObject({ held: 0, attempts: 1 });
    const wait1 = Date.parse(first?.next_attempt_at ?? '') - before;
    expect(wait1).toBeGreaterThanOrEqual(1000 - 50);
    // Not due yet: a normal pass leaves it alone.
    const puts = decisionPuts();
    await core.sync.outbox.sendDue();
    expect(decisionPuts()).toBe(puts);
    await core.sync.outbox.sendDue({ ignoreBackoff: true });
    const second = outboxRow(id);
    expect(second?.attempts).toBe(2);
    expect(Date.parse(second?.next_attempt_at ?? '')).toBeGreaterThan(Date.parse(first?.next_attempt_at ?? ''));
    expect((await core.handlers['sync.status']({})).pendingDecisions).toBe(1);

    proxy.setRule(() => ({ kind: 'pass' }));
    await core.sync.outbox.sendDue({ ignoreBackoff: true });
    expect(outboxRow(id)).toBeUndefined();
    expect((await hub.admin.decisionsForCase(caseId)).map((d) => d.decision.id)).toEqual([id]);
    expect(caseStates(core)[caseId]).toBe('synced');
  });

  it('a lost 2xx (connection reset after the hub stored it) is resent and answered from the idempotency record', async () => {
    const caseId = ids[4] as string;
    const id = decide(caseId);
    proxy.setRule((r) => (r.method === 'PUT' ? { kind: 'reset-after', bytes: 0 } : { kind: 'pass' }));
    await core.sync.outbox.sendDue({ ignoreBackoff: true });
    expect(outboxRow(id)?.attempts).toBe(1);
    proxy.setRule(() => ({ kind: 'pass' }));
    await core.sync.outbox.sendDue({ ignoreBackoff: true });
    expect(outboxRow(id)).toBeUndefined();
    expect(await hub.admin.decisionsForCase(caseId)).toHaveLength(1);
  });

  it('a pass-on row reaches the hub: the case leaves this consultant', async () => {
    const caseId = ids[5] as string;
    passOnCase(
      core.db,
      { caseId, to: { kind: 'pool' }, note: 'Better seen by paediatric dermatology', actor: consultant.id },
      new Date(),
    );
    await core.sync.outbox.sendDue({ ignoreBackoff: true });
    expect(core.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE kind = 'pass-on'`).get()).toEqual({ n: 0 });
    expect((await hub.admin.caseState(caseId))?.assignedTo).not.toBe(consultant.id);
  });

  it('drain() on quit sends what is waiting even inside its backoff window', async () => {
    const caseId = ids[6] as string;
    const id = decide(caseId);
    proxy.setRule((r) => (r.method === 'PUT' ? { kind: 'status', status: 502 } : { kind: 'pass' }));
    await core.sync.outbox.sendDue();
    expect(Date.parse(outboxRow(id)?.next_attempt_at ?? '')).toBeGreaterThan(Date.now());
    proxy.setRule(() => ({ kind: 'pass' }));
    const report = await core.sync.outbox.drain(10_000);
    expect(report?.decisionsSent).toBe(1);
    expect(outboxRow(id)).toBeUndefined();
    expect(await hub.admin.decisionsForCase(caseId)).toHaveLength(1);
  });
});
