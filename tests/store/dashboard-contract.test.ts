import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/shared/domain/decision';
import type { HubRepository } from '../../src/hub/store/hub-repository';
import { addConsultant, caseWith, decisionFor, engines, freshStore, type TestStore } from './store-harness';

/**
 * The dashboard's figures come from SQL aggregates, on both engines: counts by status, overdue
 * against the due date, the outcome mix by latest decision, image-quality returns, and
 * turnaround (receipt to first decision) as nearest-rank median and p90 per practice and per
 * consultant, with the share decided by the due date.
 */
describe.each(engines)('dashboard aggregates on %s', (engine) => {
  let store: TestStore;
  let repo: HubRepository;
  beforeEach(async () => {
    store = await freshStore(engine);
    repo = await store.open();
  });
  afterEach(async () => store.close());

  const FAR = '2027-06-01T00:00:00.000Z';
  async function decide(
    me: string,
    caseId: string,
    outcome: Outcome,
    at: string,
    v = 1,
    supersedes: string | null = null,
  ) {
    const d = decisionFor(caseId, me, {
      outcome,
      signedAt: at,
      version: v,
      supersedes,
      caseVersion: v,
    });
    const r = await repo.acceptDecision(me, d, `h-${d.id}`, v, at);
    expect(r).toMatchObject({ ok: true });
    return d.id;
  }

  it('counts, overdue, mix, image returns and turnaround per practice and consultant', async () => {
    const ada = await addConsultant(repo);
    const bob = await addConsultant(repo);
    const mk = async (i: number, receivedAt: string, dueOn: string, ods = 'B82005') => {
      const c = caseWith(i, { referral: { receivedAt }, practice: { odsCode: ods, name: ods, clinician: 'Dr X' } });
      await repo.insertCase(c, dueOn, receivedAt);
      return c;
    };
    const a = await mk(1, '2026-12-18T10:00:00.000Z', '2026-12-23');
    await mk(2, '2026-12-23T10:00:00.000Z', '2026-12-30');
    const c = await mk(3, '2026-12-01T10:00:00.000Z', '2026-12-04');
    const d = await mk(4, '2026-12-02T10:00:00.000Z', '2026-12-07', 'Y01234');
    const e = await mk(5, '2026-12-03T10:00:00.000Z', '2026-12-08', 'Y01234');
    void a;
    await repo.reassignCase(c.id, ada, FAR, '2026-12-01T11:00:00.000Z');
    await repo.reassignCase(d.id, bob, FAR, '2026-12-02T11:00:00.000Z');
    await repo.reassignCase(e.id, ada, FAR, '2026-12-03T11:00:00.000Z');
    // C: returned for dermoscopy after 24 h, answered, then discharged.
    const first = await decide(
      ada,
      c.id,
      { kind: 'more-information', requests: ['dermoscopy'], detail: 'Please send dermoscopy.' },
      '2026-12-02T10:00:00.000Z',
    );
    const { version: _v, ...rest } = c;
    await repo.updateCase(c.id, rest, FAR, '2026-12-03T09:00:00.000Z');
    await decide(ada, c.id, { kind: 'discharge' }, '2026-12-03T10:00:00.000Z', 2, first);
    // D: a history request after 7 days (late); E: suspected cancer after 4 hours.
    await decide(
      bob,
      d.id,
      { kind: 'more-information', requests: ['history'], detail: 'How long?' },
      '2026-12-09T10:00:00.000Z',
    );
    await decide(ada, e.id, { kind: 'suspected-cancer-pathway' }, '2026-12-03T14:00:00.000Z');

    const agg = await repo.dashboardAggregates({ today: '2026-12-24', weekAgo: '2026-12-17T12:00:00.000Z' });
    expect(agg.received).toEqual({ total: 5, last7Days: 2 });
    expect([agg.awaitingTriage, agg.overdue, agg.awaitingInformation, agg.decided]).toEqual([2, 1, 1, 2]);
    expect(agg.outcomeMix.sort((x, y) => x.kind.localeCompare(y.kind))).toEqual([
      { kind: 'discharge', count: 1 },
      { kind: 'more-information', count: 1 },
      { kind: 'suspected-cancer-pathway', count: 1 },
    ]);
    // Only the dermoscopy request is an image-quality return; a history request is not.
    expect([agg.decidedOnce, agg.imageQualityReturns]).toEqual([3, 1]);
    // First decisions after 24 h (C), 168 h (D, late) and 4 h (E): median 24, p90 168, 2 of 3 in time.
    expect(agg.turnaround.overall).toEqual({ key: 'all', decided: 3, medianHours: 24, p90Hours: 168, withinTarget: 2 });
    expect(agg.turnaround.byPractice).toEqual([
      { key: 'B82005', decided: 1, medianHours: 24, p90Hours: 24, withinTarget: 1 },
      { key: 'Y01234', decided: 2, medianHours: 4, p90Hours: 168, withinTarget: 1 },
    ]);
    expect(agg.turnaround.byConsultant.find((r) => r.key === ada)).toEqual({
      key: ada,
      decided: 2,
      medianHours: 4,
      p90Hours: 24,
      withinTarget: 2,
    });
    expect(agg.turnaround.byConsultant.find((r) => r.key === bob)).toMatchObject({ decided: 1, withinTarget: 0 });
  });

  it('an empty service is all zeros and no turnaround', async () => {
    const agg = await repo.dashboardAggregates({ today: '2026-12-24', weekAgo: '2026-12-17T12:00:00.000Z' });
    expect(agg).toMatchObject({ received: { total: 0, last7Days: 0 }, overdue: 0, decidedOnce: 0, outcomeMix: [] });
    expect(agg.turnaround).toEqual({ overall: null, byPractice: [], byConsultant: [] });
  });
});
