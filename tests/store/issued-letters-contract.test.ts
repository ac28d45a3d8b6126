import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubRepository } from '../../src/hub/store/hub-repository';
import { DEMO_LETTERHEAD } from '../../src/shared/domain/letterhead';
import { emptyDoc, type AnnotationDoc } from '../../src/shared/domain/viewer/annotations';
import { addConsultant, caseWith, decisionFor, engines, freshStore, LATER, NOW, type TestStore } from './store-harness';

/**
 * Issued letters (migration 90), on both engines: what a decision's letter depends on is fixed in
 * the transaction that accepts it and never changes after; the rendered copies' addresses are
 * recorded once (the first writer wins) and never moved.
 */
const ring = (x: number): AnnotationDoc => ({
  ...emptyDoc(),
  shapes: [{ id: `r${x}`, kind: 'ellipse', color: '#ff0000', center: { x, y: 100 }, rx: 40, ry: 30 }],
});
const OTHER_LETTERHEAD = { ...DEMO_LETTERHEAD, serviceName: 'Another Service' };
const attestation = { registeredName: 'Dr A', gmcNumber: '7654321', receivedByHubAt: NOW };

describe.each(engines)('issued letters on %s', (engine) => {
  let store: TestStore;
  let repo: HubRepository;
  let me: string;
  beforeEach(async () => {
    store = await freshStore(engine);
    repo = await store.open();
    me = await addConsultant(repo);
  });
  afterEach(async () => store.close());

  async function claimedCase(i: number) {
    const kase = caseWith(i);
    await repo.insertCase(kase, '2026-11-26', NOW);
    await repo.claim(me, 1, `b${i}`, LATER, NOW);
    return kase;
  }
  const save = (caseId: string, sha256: string, baseVersion: number, doc: AnnotationDoc) =>
    repo.saveAnnotations({ caseId, sha256, consultantId: me, baseVersion, saveId: randomUUID(), doc, now: NOW });

  it('fixes the signed marks (the case’s own images only), record and letterhead at acceptance; later marks and replays change nothing', async () => {
    const kase = await claimedCase(1);
    const sha = kase.images[0]!.sha256;
    await save(kase.id, sha, 0, ring(10));
    const decision = decisionFor(kase.id, me, {
      marks: [
        { sha256: sha, doc: ring(50) },
        // Not one of this case's images: never reaches the letter.
        { sha256: 'f'.repeat(64), doc: ring(60) },
      ],
    });
    expect(await repo.acceptDecision(me, decision, 'h1', 1, NOW, DEMO_LETTERHEAD)).toMatchObject({ ok: true });
    await save(kase.id, sha, 1, ring(90));
    expect(await repo.acceptDecision(me, decision, 'h1', 1, LATER, OTHER_LETTERHEAD)).toMatchObject({ replayed: true });
    expect(await repo.issuedLetter(decision.id)).toEqual({
      decisionId: decision.id,
      caseId: kase.id,
      issuedAt: NOW,
      record: { ...kase, version: 1 },
      marks: [{ sha256: sha, doc: ring(50) }],
      letterhead: DEMO_LETTERHEAD,
      // The hub's attestation as at acceptance: the account's registered name, its receipt time.
      attestation: {
        registeredName: (await repo.findUserById(me))!.displayName,
        gmcNumber: null,
        receivedByHubAt: NOW,
      },
      letterSha256: null,
      patientCopySha256: null,
    });
  });

  it('a decision without marks gets the marks the hub holds when it accepts it; one accepted without a letterhead is fixed later, once, from the decision’s own marks and signer', async () => {
    const kase = await claimedCase(2);
    const sha = kase.images[0]!.sha256;
    await save(kase.id, sha, 0, ring(20));
    const { marks: _none, ...older } = decisionFor(kase.id, me);
    await repo.acceptDecision(me, older, 'h1', 1, NOW, DEMO_LETTERHEAD);
    await save(kase.id, sha, 1, ring(30));
    expect((await repo.issuedLetter(older.id))?.marks).toEqual([{ sha256: sha, doc: ring(20) }]);

    // Fixed late, the letter still uses the marks and signer the decision carries, not the held
    // marks (ring 30), attested as received when the hub accepted the decision.
    const amendment = decisionFor(kase.id, me, {
      version: 2,
      supersedes: older.id,
      marks: [{ sha256: sha, doc: ring(70) }],
    });
    await repo.acceptDecision(me, amendment, 'h2', 1, NOW);
    expect(await repo.issuedLetter(amendment.id)).toBeNull();
    const late = await repo.issueLetterLate(amendment, OTHER_LETTERHEAD, LATER, NOW);
    expect(late).toMatchObject({
      issuedAt: LATER,
      letterhead: OTHER_LETTERHEAD,
      marks: [{ sha256: sha, doc: ring(70) }],
      attestation: {
        registeredName: (await repo.findUserById(me))!.displayName,
        gmcNumber: null,
        receivedByHubAt: NOW,
      },
    });
    expect(await repo.issueLetterLate(amendment, DEMO_LETTERHEAD, '2026-12-01T00:00:00.000Z')).toEqual(late);
  });

  it('records each copy once (the first writer wins)', async () => {
    const kase = await claimedCase(3);
    // Accepted without fixing (as before migration 90), fixed late with the signer's attestation;
    // the first render's attestation never replaces it.
    const decision = decisionFor(kase.id, me, { marks: [] });
    await repo.acceptDecision(me, decision, 'h1', 1, NOW);
    const attested = (await repo.issueLetterLate(decision, DEMO_LETTERHEAD, NOW))!.attestation;
    expect(attested).toMatchObject({ gmcNumber: null, receivedByHubAt: NOW });
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    expect(await repo.recordLetterBytes(decision.id, 'letter', a, attestation)).toMatchObject({
      letterSha256: a,
      patientCopySha256: null,
      attestation: attested,
    });
    const other = { ...attestation, registeredName: 'Dr Renamed' };
    expect(await repo.recordLetterBytes(decision.id, 'letter', b, other)).toMatchObject({
      letterSha256: a,
      attestation: attested,
    });
    expect(await repo.recordLetterBytes(decision.id, 'patient-copy', b, other)).toMatchObject({
      letterSha256: a,
      patientCopySha256: b,
      attestation: attested,
    });
    // The stored copy is cited: a refused upload of the same bytes cannot remove it.
    expect(await repo.photoObjectCited(b)).toBe(true);
    expect(await repo.photoObjectCited('d'.repeat(64))).toBe(false);
  });
});
