import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubRepository } from '../../src/hub/store/hub-repository';
import type { KyselyHubRepository } from '../../src/hub/store/kysely/kysely-hub-repository';
import { addConsultant, caseWith, decisionFor, engines, freshStore, LATER, NOW, type TestStore } from './store-harness';

/**
 * The storage contract, consultant side: every repository method and its errors, run against
 * both engines (a real SQLite file, a real PostgreSQL database; no mock of either).
 */
describe.each(engines)('hub repository contract on %s', (engine) => {
  let store: TestStore;
  let repo: HubRepository;
  beforeEach(async () => {
    store = await freshStore(engine);
    repo = await store.open();
  });
  afterEach(async () => store.close());

  it('users and tokens: created, found, a duplicate username refused; revoking counts only live tokens', async () => {
    const id = await addConsultant(repo, 'ada');
    expect(await repo.findUserByUsername('ada')).toMatchObject({ id, role: 'consultant', displayName: 'Dr ada' });
    expect(await repo.findUserById(id)).toMatchObject({ username: 'ada' });
    expect(await repo.findUserByUsername('nobody')).toBeNull();
    await expect(addConsultant(repo, 'ada')).rejects.toThrow();
    await repo.insertToken('h1', id, NOW, LATER);
    await repo.insertToken('h2', id, NOW, LATER);
    await repo.insertToken('h3', id, NOW, '2026-11-23T09:00:00.000Z');
    expect(await repo.findToken('h1')).toEqual({ userId: id, expiresAt: LATER, revokedAt: null });
    await repo.revokeToken('h1', NOW);
    expect((await repo.findToken('h1'))?.revokedAt).toBe(NOW);
    expect(await repo.revokeUserTokens(id, NOW)).toBe(1);
    expect(await repo.findToken('missing')).toBeNull();
  });

  it('accounts: listed by role, deactivated (tokens revoked with it) and back, passwords set by the operator or the user', async () => {
    const ada = await addConsultant(repo, 'ada');
    await addConsultant(repo, 'bob');
    expect((await repo.listUsers('consultant')).map((u) => u.username)).toEqual(['ada', 'bob']);
    expect(await repo.listUsers('gp-practice')).toEqual([]);
    expect(await repo.findUserByUsername('ada')).toMatchObject({
      deactivatedAt: null,
      passwordResetAt: null,
      subspecialties: [],
    });
    await repo.insertToken('t-ada', ada, NOW, LATER);
    await repo.setDeactivated(ada, NOW);
    expect((await repo.findUserById(ada))?.deactivatedAt).toBe(NOW);
    expect((await repo.findToken('t-ada'))?.revokedAt).toBe(NOW);
    await repo.setDeactivated(ada, null);
    expect((await repo.findUserById(ada))?.deactivatedAt).toBeNull();
    await repo.insertToken('t-ada-2', ada, NOW, LATER);
    await repo.setPassword(ada, 'operator-set', NOW);
    expect(await repo.findUserById(ada)).toMatchObject({ passwordHash: 'operator-set', passwordResetAt: NOW });
    expect((await repo.findToken('t-ada-2'))?.revokedAt).toBe(NOW);
    await repo.setPassword(ada, 'user-chosen', null);
    expect(await repo.findUserById(ada)).toMatchObject({ passwordHash: 'user-chosen', passwordResetAt: null });
    await repo.setSubspecialties(ada, ['skin cancer', 'paediatric dermatology']);
    expect((await repo.findUserById(ada))?.subspecialties).toEqual(['skin cancer', 'paediatric dermatology']);
  });

  it('cases: insert, read, update (version + 1, holder told), withdraw and reassign feed the holder', async () => {
    const me = await addConsultant(repo);
    const other = await addConsultant(repo);
    const kase = caseWith(1);
    await repo.insertCase(kase, '2026-11-26', NOW);
    expect(await repo.getCase(kase.id)).toMatchObject({
      status: 'open',
      assignedTo: null,
      dueOn: '2026-11-26',
      record: { id: kase.id, version: 1 },
    });
    expect(await repo.getCase(randomUUID())).toBeNull();
    expect(await repo.claim(me, 5, 'b1', LATER, NOW)).toEqual([{ id: kase.id, version: 1 }]);
    const { version: _v, ...rest } = kase;
    const updated = await repo.updateCase(kase.id, { ...rest, images: [] }, LATER, NOW);
    expect(updated.record.version).toBe(2);
    expect(await repo.visibleImage(kase.images[0]!.sha256, me, NOW)).toBeNull();
    await repo.reassignCase(kase.id, other, LATER, NOW);
    expect(await repo.caseAccess(kase.id, me, NOW)).toBe('reassigned');
    expect(await repo.caseAccess(kase.id, other, NOW)).toBe('mine');
    const withdrawn = await repo.withdrawCase(kase.id, NOW);
    expect(withdrawn).toMatchObject({ status: 'withdrawn', record: { version: 3 } });
    expect((await repo.changesFor(me, 0, 10)).map((c) => [c.kind, c.version])).toEqual([
      ['updated', 2],
      ['reassigned', 2],
    ]);
    expect((await repo.changesFor(other, 0, 10)).map((c) => c.kind)).toEqual(['withdrawn']);
    const all = await repo.changesFor(me, 0, 1);
    expect(all).toHaveLength(1);
    expect(await repo.changesFor(me, all[0]!.seq, 10)).toHaveLength(1);
    await expect(repo.withdrawCase(randomUUID(), NOW)).rejects.toThrow(/no case/);
  });

  it('claim: clinical order (priority, due date, receipt), leased once, never a case the claimer passed on', async () => {
    const me = await addConsultant(repo);
    const routine = caseWith(1);
    const cancer = caseWith(2, { referral: { priority: 'suspected-cancer' } });
    const urgentLate = caseWith(3, { referral: { priority: 'urgent' } });
    const urgentEarly = caseWith(4, { referral: { priority: 'urgent' } });
    await repo.insertCase(routine, '2026-11-26', NOW);
    await repo.insertCase(cancer, '2026-11-26', NOW);
    await repo.insertCase(urgentLate, '2026-11-27', NOW);
    await repo.insertCase(urgentEarly, '2026-11-25', NOW);
    const first = await repo.claim(me, 3, 'b1', LATER, NOW);
    expect(first.map((c) => c.id)).toEqual([cancer.id, urgentEarly.id, urgentLate.id]);
    expect(await repo.assignedTo(me, NOW)).toEqual(first);
    const rest = await repo.claim(me, 3, 'b2', LATER, NOW);
    expect(rest.map((c) => c.id)).toEqual([routine.id]);
    expect(await repo.claim(me, 3, 'b3', LATER, NOW)).toEqual([]);
    expect(await repo.visibleImage(routine.images[0]!.sha256, me, NOW)).toEqual({ mediaType: 'image/jpeg' });

    const passed = await repo.passOn({
      caseId: routine.id,
      consultantId: me,
      note: 'Not my area',
      toConsultant: null,
      toSubspecialty: 'paediatric',
      leaseExpiresAt: LATER,
      now: NOW,
    });
    expect(passed).toEqual({ ok: true, passedOnAt: NOW, to: 'pool' });
    expect(await repo.claim(me, 3, 'b4', LATER, NOW)).toEqual([]);
    const colleague = await addConsultant(repo);
    expect((await repo.claim(colleague, 3, 'b5', LATER, NOW)).map((c) => c.id)).toEqual([routine.id]);
  });

  it('leases lapse: released to the pool (holder told), assigned lists only live leases', async () => {
    const me = await addConsultant(repo);
    const other = await addConsultant(repo);
    const kase = caseWith(1);
    await repo.insertCase(kase, '2026-11-26', NOW);
    await repo.claim(me, 1, 'b1', '2026-11-23T11:00:00.000Z', NOW);
    expect(await repo.assignedTo(me, '2026-11-23T12:00:00.000Z')).toEqual([]);
    expect(await repo.releaseExpiredLeases('2026-11-23T12:00:00.000Z')).toBe(1);
    expect((await repo.changesFor(me, 0, 10)).map((c) => c.kind)).toEqual(['reassigned']);
    expect(await repo.claim(other, 1, 'b2', LATER, '2026-11-23T12:00:00.000Z')).toHaveLength(1);
  });

  it('pass-on: to a colleague, resend answered as before, refusals as data', async () => {
    const me = await addConsultant(repo);
    const colleague = await addConsultant(repo);
    const admin = randomUUID();
    await repo.createUser({ id: admin, username: 'op', displayName: 'Op', role: 'admin', passwordHash: 'x' }, NOW);
    const kase = caseWith(1);
    await repo.insertCase(kase, '2026-11-26', NOW);
    await repo.claim(me, 1, 'b1', LATER, NOW);
    const input = {
      caseId: kase.id,
      consultantId: me,
      note: 'Please see',
      toConsultant: admin,
      toSubspecialty: null,
      leaseExpiresAt: LATER,
      now: NOW,
    };
    expect(await repo.passOn(input)).toMatchObject({ ok: false, status: 400, code: 'unknown-consultant' });
    expect(await repo.passOn({ ...input, toConsultant: colleague })).toEqual({
      ok: true,
      passedOnAt: NOW,
      to: 'consultant',
    });
    expect(await repo.passOn({ ...input, toConsultant: colleague, now: LATER })).toEqual({
      ok: true,
      passedOnAt: NOW,
      to: 'consultant',
    });
    expect(await repo.passOn({ ...input, toConsultant: colleague, note: 'other' })).toMatchObject({
      ok: false,
      code: 'case-reassigned',
    });
    expect(await repo.caseAccess(kase.id, colleague, NOW)).toBe('mine');
    expect(await repo.passOn({ ...input, caseId: randomUUID() })).toMatchObject({ status: 404 });
  });

  it('decisions: accepted once, replayed, stale If-Match 412, a second original 409, amendments in order, immutable', async () => {
    const me = await addConsultant(repo);
    const kase = caseWith(1);
    await repo.insertCase(kase, '2026-11-26', NOW);
    const unclaimed = decisionFor(kase.id, me);
    expect(await repo.acceptDecision(me, unclaimed, 'h0', 1, NOW)).toMatchObject({ ok: false, status: 404 });
    await repo.claim(me, 1, 'b1', LATER, NOW);
    expect(await repo.acceptDecision(me, decisionFor(kase.id, me, { caseVersion: 2 }), 'hx', 2, NOW)).toMatchObject({
      ok: false,
      status: 412,
    });
    const first = decisionFor(kase.id, me);
    const accepted = await repo.acceptDecision(me, first, 'h1', 1, NOW);
    expect(accepted).toEqual({
      ok: true,
      replayed: false,
      receipt: { decisionId: first.id, caseId: kase.id, acceptedAt: NOW, caseVersion: 1 },
    });
    expect(await repo.acceptDecision(me, first, 'h1', 1, LATER)).toMatchObject({ ok: true, replayed: true });
    expect(await repo.acceptDecision(me, first, 'other', 1, LATER)).toMatchObject({ code: 'decision-immutable' });
    expect(await repo.acceptDecision(me, decisionFor(kase.id, me), 'h2', 1, NOW)).toMatchObject({ status: 409 });
    const amendment = decisionFor(kase.id, me, { version: 2, supersedes: first.id });
    expect(await repo.acceptDecision(me, amendment, 'h3', 1, NOW)).toMatchObject({ ok: true, replayed: false });
    expect((await repo.decisionsForCase(kase.id)).map((d) => d.decision.version)).toEqual([1, 2]);
    expect((await repo.getCase(kase.id))?.status).toBe('decided');
    const db = (repo as KyselyHubRepository).db;
    await expect(sql`UPDATE decisions SET payload_hash = 'x'`.execute(db)).rejects.toThrow(/immutable/);
    await expect(sql`DELETE FROM decisions`.execute(db)).rejects.toThrow(/immutable/);
  });

  it('idempotency records: new, in flight, replay, mismatch, stale take-over, abandon', async () => {
    const stale = '2026-11-23T09:59:00.000Z';
    expect(await repo.beginIdempotent('u', 'k', 'f1', NOW, stale)).toEqual({ kind: 'new' });
    expect(await repo.beginIdempotent('u', 'k', 'f1', NOW, stale)).toEqual({ kind: 'in-flight' });
    expect(await repo.beginIdempotent('u', 'k', 'f2', NOW, stale)).toEqual({ kind: 'mismatch' });
    expect(await repo.beginIdempotent('u', 'k', 'f1', LATER, '2026-11-24T09:59:00.000Z')).toEqual({ kind: 'new' });
    await repo.completeIdempotent('u', 'k', 201, '{"ok":1}');
    expect(await repo.beginIdempotent('u', 'k', 'f1', LATER, stale)).toEqual({
      kind: 'replay',
      status: 201,
      body: '{"ok":1}',
    });
    expect(await repo.beginIdempotent('u', 'k2', 'f1', NOW, stale)).toEqual({ kind: 'new' });
    await repo.abandonIdempotent('u', 'k2');
    expect(await repo.beginIdempotent('u', 'k2', 'f9', NOW, stale)).toEqual({ kind: 'new' });
  });

  it('audit rows: idempotent by seq, contradictions kept aside, read back per case; append-only', async () => {
    const kaseId = randomUUID();
    const row = (seq: number, hash: string) => ({
      seq,
      at: NOW,
      actor: 'c1',
      caseId: kaseId,
      action: 'case.viewed',
      detail: { n: seq },
      prevHash: 'p',
      hash,
    });
    expect(await repo.ingestAudit('c1', [row(1, 'a'), row(2, 'b')], NOW)).toEqual({
      accepted: 2,
      duplicates: 0,
      conflicts: [],
    });
    expect(await repo.ingestAudit('c1', [row(2, 'b'), row(1, 'evil'), row(3, 'c')], LATER)).toEqual({
      accepted: 1,
      duplicates: 1,
      conflicts: [1],
    });
    expect((await repo.auditForCase(kaseId)).map((e) => [e.seq, e.hash, e.detail])).toEqual([
      [1, 'a', { n: 1 }],
      [2, 'b', { n: 2 }],
      [3, 'c', { n: 3 }],
    ]);
    expect(await repo.auditConflicts()).toEqual([
      { consultantId: 'c1', seq: 1, row: row(1, 'evil'), receivedAt: LATER },
    ]);
    const db = (repo as KyselyHubRepository).db;
    await expect(sql`DELETE FROM audit_events`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('sealed recoveries: recorded once per outcome; applied entries leave the review list', async () => {
    const entry = {
      consultantId: 'c1',
      kind: 'decision',
      refId: 'r1',
      payloadHash: 'h',
      payloadJson: '{}',
      outcome: 'needs-review' as const,
      message: 'case withdrawn',
      receivedAt: NOW,
    };
    const first = await repo.recordSealedRecovery(entry);
    expect(first.inserted).toBe(true);
    const again = await repo.recordSealedRecovery({ ...entry, receivedAt: LATER });
    expect(again).toMatchObject({ id: first.id, inserted: false, receivedAt: NOW });
    await repo.recordSealedRecovery({ ...entry, refId: 'r2', outcome: 'unconfirmed' });
    expect((await repo.sealedRecoveriesToReview(10)).map((r) => r.refId)).toEqual(['r1', 'r2']);
    await repo.recordSealedRecovery({ ...entry, outcome: 'accepted' });
    expect((await repo.sealedRecoveriesToReview(10)).map((r) => r.refId)).toEqual(['r2']);
  });

  it('annotations: saved on the current version only, a resend answered, the latest read back', async () => {
    const me = await addConsultant(repo);
    const kase = caseWith(1);
    await repo.insertCase(kase, '2026-11-26', NOW);
    const sha256 = kase.images[0]!.sha256;
    const doc = { schema: 1, shapes: [] } as never;
    const save = { caseId: kase.id, sha256, consultantId: me, baseVersion: 0, saveId: 's1', doc, now: NOW };
    expect(await repo.saveAnnotations(save)).toEqual({ ok: true, version: 1, savedAt: NOW, replayed: false });
    expect(await repo.saveAnnotations({ ...save, now: LATER })).toEqual({
      ok: true,
      version: 1,
      savedAt: NOW,
      replayed: true,
    });
    expect(await repo.saveAnnotations({ ...save, saveId: 's2' })).toEqual({ ok: false, currentVersion: 1 });
    expect(await repo.saveAnnotations({ ...save, saveId: 's2', baseVersion: 1 })).toMatchObject({ version: 2 });
    expect(await repo.annotationsForCase(kase.id)).toEqual([{ sha256, version: 2, doc, savedAt: NOW, savedBy: me }]);
  });

  it('meta: set, read, and initMeta keeps the first value written', async () => {
    expect(await repo.getMeta('k')).toBeNull();
    await repo.setMeta('k', 'v1');
    await repo.setMeta('k', 'v2');
    expect(await repo.getMeta('k')).toBe('v2');
    expect(await repo.initMeta('once', 'first')).toBe('first');
    expect(await repo.initMeta('once', 'second')).toBe('first');
    await repo.ping();
  });

  it('rate limits: counted per bucket and key, peeked without counting, undone and cleared', async () => {
    expect(await repo.rateLimitHit('b', 'k', 1000, 60_000)).toEqual({ count: 1, resetAtMs: 61_000 });
    expect(await repo.rateLimitHit('b', 'k', 2000, 60_000)).toEqual({ count: 2, resetAtMs: 61_000 });
    expect(await repo.rateLimitPeek('b', 'k', 3000, 60_000)).toEqual({ count: 2, resetAtMs: 61_000 });
    expect(await repo.rateLimitPeek('other', 'k', 3000, 60_000)).toEqual({ count: 0, resetAtMs: 3000 });
    await repo.rateLimitUndo('b', 'k');
    expect((await repo.rateLimitPeek('b', 'k', 3000, 60_000)).count).toBe(1);
    expect(await repo.rateLimitHit('b', 'k', 61_000, 60_000)).toEqual({ count: 1, resetAtMs: 121_000 });
    await repo.rateLimitClear('b', 'k');
    expect((await repo.rateLimitPeek('b', 'k', 61_000, 60_000)).count).toBe(0);
  });
});
