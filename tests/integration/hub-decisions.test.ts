import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignedDecision } from '../../src/shared/domain/decision';
import { claimResponseSchema, decisionReceiptSchema, hubErrorSchema } from '../../src/shared/hub-api/consultant-api';
import { hubFetch, manualClock, startTestHub, type TestConsultant, type TestHub } from '../support/hub-fixture';
import { sampleDischarge } from '../support/sample-case';

let hub: TestHub | null = null;
afterEach(async () => {
  await hub?.close();
  hub = null;
});

function decisionFor(caseId: string, who: TestConsultant, over: Partial<SignedDecision> = {}): SignedDecision {
  return {
    ...sampleDischarge(),
    id: randomUUID(),
    caseId,
    caseVersion: 1,
    version: 1,
    supersedes: null,
    signedBy: { id: who.id, displayName: who.displayName },
    signedAt: new Date().toISOString(),
    ...over,
  };
}

function put(h: TestHub, token: string, d: SignedDecision, headers: Record<string, string | null> = {}) {
  const base: Record<string, string> = { 'idempotency-key': d.id, 'if-match': `"${d.caseVersion}"` };
  for (const [k, v] of Object.entries(headers)) {
    if (v === null) delete base[k];
    else base[k] = v;
  }
  return hubFetch(h.url, token, `/cases/${d.caseId}/decisions/${d.id}`, { method: 'PUT', body: d, headers: base });
}

async function errorCode(res: Response): Promise<string> {
  return hubErrorSchema.parse(await res.json()).error.code;
}

async function setup(cases = 2) {
  hub = await startTestHub({ cases });
  const token = await hub.login();
  const claimed = claimResponseSchema.parse(
    await (await hubFetch(hub.url, token, '/batches/claim', { body: { count: cases } })).json(),
  );
  return { h: hub, token, ids: claimed.cases.map((c) => c.id) };
}

describe('decision upload: Idempotency-Key', () => {
  it('same key and payload replays the original receipt; the decision is stored once', async () => {
    const { h, token, ids } = await setup(1);
    const d = decisionFor(ids[0]!, h.consultant);
    const first = await put(h, token, d);
    expect(first.status).toBe(201);
    const receipt = decisionReceiptSchema.parse(await first.json());
    expect(receipt).toMatchObject({ decisionId: d.id, caseId: d.caseId, caseVersion: 1 });
    const again = await put(h, token, d);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(decisionReceiptSchema.parse(await again.json())).toEqual(receipt);
    // Key order in the JSON does not matter: same payload.
    const reordered = Object.fromEntries(Object.entries(d).reverse()) as SignedDecision;
    expect((await put(h, token, reordered)).status).toBe(201);
    expect(await h.hub.admin.decisionsForCase(d.caseId)).toHaveLength(1);
    expect((await h.hub.admin.caseState(d.caseId))?.status).toBe('decided');
  });

  it('same key with another payload is 422; a missing key is 400', async () => {
    const { h, token, ids } = await setup(1);
    const d = decisionFor(ids[0]!, h.consultant);
    expect((await put(h, token, d)).status).toBe(201);
    const changed = { ...d, plan: { ...d.plan, adviceToGp: 'Something else' } };
    const reused = await put(h, token, changed);
    expect(reused.status).toBe(422);
    expect(await errorCode(reused)).toBe('idempotency-key-reused');
    const missing = await put(h, token, decisionFor(ids[0]!, h.consultant), { 'idempotency-key': null });
    expect(missing.status).toBe(400);
    expect(await errorCode(missing)).toBe('idempotency-key-required');
    // The stored decision is the original.
    expect((await h.hub.admin.decisionsForCase(d.caseId))[0]!.decision.plan.adviceToGp).toBe(d.plan.adviceToGp);
  });

  it('a concurrent request with the same key while the first is in flight is 409; afterwards it replays', async () => {
    let release: () => void = () => undefined;
    let entered: () => void = () => undefined;
    const inside = new Promise<void>((r) => (entered = r));
    const gate = new Promise<void>((r) => (release = r));
    hub = await startTestHub({ cases: 1, hooks: { beforeDecisionCommit: async () => (entered(), gate) } });
    const token = await hub.login();
    const [c] = claimResponseSchema.parse(
      await (await hubFetch(hub.url, token, '/batches/claim', { body: { count: 1 } })).json(),
    ).cases;
    const d = decisionFor(c!.id, hub.consultant);
    const first = put(hub, token, d);
    await inside;
    const concurrent = await put(hub, token, d);
    expect(concurrent.status).toBe(409);
    expect(await errorCode(concurrent)).toBe('request-in-flight');
    expect(concurrent.headers.get('retry-after')).toBe('1');
    release();
    expect((await first).status).toBe(201);
    expect((await put(hub, token, d)).status).toBe(201);
    expect(await hub.hub.admin.decisionsForCase(c!.id)).toHaveLength(1);
  });
});

describe('decision upload: If-Match and case state', () => {
  it('missing If-Match is 428, a stale version 412, and the same key works once the consultant re-decides', async () => {
    const { h, token, ids } = await setup(1);
    const d = decisionFor(ids[0]!, h.consultant);
    const missing = await put(h, token, d, { 'if-match': null });
    expect(missing.status).toBe(428);
    expect(await errorCode(missing)).toBe('if-match-required');
    await h.update(ids[0]!);
    const stale = await put(h, token, d);
    expect(stale.status).toBe(412);
    expect(await errorCode(stale)).toBe('case-version-stale');
    // Failures are not stored under the key: the reviewed decision (on version 2) goes through.
    const redecided = { ...d, caseVersion: 2 };
    expect((await put(h, token, redecided)).status).toBe(201);
    const mismatch = await put(h, token, decisionFor(ids[0]!, h.consultant, { caseVersion: 2 }), { 'if-match': '"1"' });
    expect(mismatch.status).toBe(400);
    for (const bad of ['1', 'W/"1"', '"x"', '*']) {
      expect((await put(h, token, decisionFor(ids[0]!, h.consultant), { 'if-match': bad })).status).toBe(400);
    }
  });

  it('a withdrawn case is 409 case-withdrawn; a reassigned or lapsed one 409 case-reassigned; nothing stored', async () => {
    const clock = manualClock();
    hub = await startTestHub({ cases: 3, now: clock.now, leaseMinutes: 60 });
    const token = await hub.login();
    const [a, b, c] = claimResponseSchema.parse(
      await (await hubFetch(hub.url, token, '/batches/claim', { body: { count: 3 } })).json(),
    ).cases;
    await hub.withdraw(a!.id);
    const w = await put(hub, token, decisionFor(a!.id, hub.consultant, { caseVersion: 2 }));
    expect(w.status).toBe(409);
    expect(await errorCode(w)).toBe('case-withdrawn');
    const other = await hub.addConsultant();
    await hub.reassign(b!.id, other.id);
    const r = await put(hub, token, decisionFor(b!.id, hub.consultant));
    expect(r.status).toBe(409);
    expect(await errorCode(r)).toBe('case-reassigned');
    clock.advanceMinutes(61);
    const lapsed = await put(hub, token, decisionFor(c!.id, hub.consultant));
    expect(lapsed.status).toBe(409);
    expect(await errorCode(lapsed)).toBe('case-reassigned');
    for (const id of [a!.id, b!.id, c!.id]) expect(await hub.hub.admin.decisionsForCase(id)).toEqual([]);
  });

  it('refuses a decision signed by someone else, or with ids that do not match the path', async () => {
    const { h, token, ids } = await setup(1);
    const other = await h.addConsultant();
    const forged = await put(h, token, decisionFor(ids[0]!, other));
    expect(forged.status).toBe(403);
    expect(await errorCode(forged)).toBe('signed-by-mismatch');
    const d = decisionFor(ids[0]!, h.consultant);
    const wrongPath = await hubFetch(h.url, token, `/cases/${ids[0]}/decisions/${randomUUID()}`, {
      method: 'PUT',
      body: d,
      headers: { 'idempotency-key': d.id, 'if-match': '"1"' },
    });
    expect(wrongPath.status).toBe(400);
  });
});

describe('signed decisions are immutable', () => {
  it('an amendment is the next version superseding the last; anything else is refused', async () => {
    const { h, token, ids } = await setup(1);
    const v1 = decisionFor(ids[0]!, h.consultant);
    expect((await put(h, token, v1)).status).toBe(201);
    // The same decision id with other content, under another key: still refused.
    const sameUnderNewKey = await put(h, token, v1, { 'idempotency-key': randomUUID() });
    expect(sameUnderNewKey.status).toBe(201);
    expect(sameUnderNewKey.headers.get('idempotent-replayed')).toBe('true');
    const rewrite = await put(h, token, { ...v1, downgradeAdvice: 'rewritten' }, { 'idempotency-key': randomUUID() });
    expect(rewrite.status).toBe(409);
    expect(await errorCode(rewrite)).toBe('decision-immutable');
    const second = await put(h, token, decisionFor(ids[0]!, h.consultant));
    expect(second.status).toBe(409);
    expect(await errorCode(second)).toBe('case-already-decided');
    const skip = await put(h, token, decisionFor(ids[0]!, h.consultant, { version: 3, supersedes: v1.id }));
    expect(await errorCode(skip)).toBe('amendment-out-of-order');
    const v2 = decisionFor(ids[0]!, h.consultant, {
      version: 2,
      supersedes: v1.id,
      outcome: { kind: 'suspected-cancer-pathway' },
    });
    expect((await put(h, token, v2)).status).toBe(201);
    const stored = await h.hub.admin.decisionsForCase(ids[0]!);
    expect(stored.map((s) => [s.decision.version, s.decision.supersedes])).toEqual([
      [1, null],
      [2, v1.id],
    ]);
    expect(stored[0]!.decision).toEqual(v1);
  });

  it('an amendment of a case that was never decided is refused', async () => {
    const { h, token, ids } = await setup(1);
    const res = await put(h, token, decisionFor(ids[0]!, h.consultant, { version: 2, supersedes: randomUUID() }));
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe('amendment-without-original');
  });
});

describe('more information, and a hub restart', () => {
  it('a more-information answer parks the case; the referrer update reopens it for the same consultant at version 2', async () => {
    const { h, token, ids } = await setup(1);
    const ask = decisionFor(ids[0]!, h.consultant, {
      outcome: { kind: 'more-information', requests: ['dermoscopy'], detail: 'Please send a dermoscopy image.' },
    });
    expect((await put(h, token, ask)).status).toBe(201);
    expect((await h.hub.admin.caseState(ids[0]!))?.status).toBe('awaiting-information');
    // Parked: not in /assigned (nothing to do yet) and not in the pool.
    expect(((await (await hubFetch(h.url, token, '/assigned')).json()) as { cases: unknown[] }).cases).toEqual([]);
    const other = await h.addConsultant();
    const otherClaim = claimResponseSchema.parse(
      await (await hubFetch(h.url, await h.login(other), '/batches/claim', { body: { count: 5 } })).json(),
    );
    expect(otherClaim.cases).toEqual([]);

    await h.update(ids[0]!, 'Dermoscopy image attached.');
    const assigned = (await (await hubFetch(h.url, token, '/assigned')).json()) as {
      cases: { id: string; version: number }[];
    };
    expect(assigned.cases).toEqual([{ id: ids[0], version: 2 }]);
    const final = decisionFor(ids[0]!, h.consultant, { version: 2, supersedes: ask.id, caseVersion: 2 });
    expect((await put(h, token, final)).status).toBe(201);
    expect((await h.hub.admin.caseState(ids[0]!))?.status).toBe('decided');
  });

  it('tokens, leases, decisions and idempotency records survive a hub restart', async () => {
    const { h, token, ids } = await setup(2);
    const d = decisionFor(ids[0]!, h.consultant);
    const first = decisionReceiptSchema.parse(await (await put(h, token, d)).json());
    await h.restart();
    const assigned = (await (await hubFetch(h.url, token, '/assigned')).json()) as { cases: { id: string }[] };
    expect(assigned.cases.map((c) => c.id)).toEqual([ids[1]]);
    const replay = await put(h, token, d);
    expect(replay.status).toBe(201);
    expect(decisionReceiptSchema.parse(await replay.json())).toEqual(first);
  });
});
