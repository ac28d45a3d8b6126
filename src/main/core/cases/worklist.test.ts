import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleCase, sampleDischarge, sampleNhsNumber } from '../../../../tests/support/sample-case';
import { makeTestCore } from '../../../../tests/support/test-core';
import { signDecision } from '../decisions/sign-decision';
import { keyOfDue } from './worklist-key';
import { worklistQuery } from './worklist-query';

const consultant = { id: 'c-1', displayName: 'Dr Grace Hopper' };
const now = new Date('2026-11-26T10:00:00.000Z');

describe('worklist query', () => {
  let core: ReturnType<typeof makeTestCore>;
  beforeEach(() => {
    core = makeTestCore({ now: () => now });
  });
  afterEach(() => core.cleanup());

  const ids = (opts: Parameters<typeof core.cases.list>[0]): string[] => core.cases.list(opts).cases.map((c) => c.id);

  it('orders by priority, then due date, and marks overdue open cases', () => {
    const routineOld = sampleCase({ referral: { receivedAt: '2026-11-16T09:00:00.000Z' } }); // due 19 Nov: overdue
    const routineNew = sampleCase({ referral: { receivedAt: '2026-11-25T09:00:00.000Z' } });
    const urgent = sampleCase({ referral: { priority: 'urgent', receivedAt: '2026-11-25T09:00:00.000Z' } });
    const cancer = sampleCase({ referral: { priority: 'suspected-cancer', receivedAt: '2026-11-26T08:00:00.000Z' } });
    for (const c of [routineNew, routineOld, urgent, cancer]) core.cases.upsert(c);
    const page = core.cases.list({ limit: 10, offset: 0 });
    expect(page.cases.map((c) => c.id)).toEqual([cancer.id, urgent.id, routineOld.id, routineNew.id]);
    expect(page.cases.map((c) => c.overdue)).toEqual([false, false, true, false]);
    expect(ids({ limit: 10, offset: 0, filter: 'overdue' })).toEqual([routineOld.id]);
    expect(ids({ limit: 10, offset: 0, filter: 'suspected-cancer' })).toEqual([cancer.id]);
  });

  it('searches patient name, NHS number (with or without spaces), referral text and practice with FTS5', () => {
    const a = sampleCase({
      patient: { ...sampleCase().patient, familyName: 'Hopper', givenName: 'Grace', nhsNumber: '9434765919' },
      referral: { presentingComplaint: 'Itchy plaques on both elbows', history: 'Father has psoriasis' },
    });
    const b = sampleCase({
      patient: { ...sampleCase().patient, nhsNumber: sampleNhsNumber(777) },
      practice: { odsCode: 'Y01234', name: 'Harbour Lane Surgery', clinician: 'Dr Amal Iqbal' },
    });
    core.cases.upsert(a);
    core.cases.upsert(b);
    expect(ids({ limit: 10, offset: 0, search: 'hopp' })).toEqual([a.id]);
    expect(ids({ limit: 10, offset: 0, search: '943 476 5919' })).toEqual([a.id]);
    expect(ids({ limit: 10, offset: 0, search: '9434765919' })).toEqual([a.id]);
    expect(ids({ limit: 10, offset: 0, search: 'elbows psoriasis' })).toEqual([a.id]);
    expect(ids({ limit: 10, offset: 0, search: 'harbour' })).toEqual([b.id]);
    expect(ids({ limit: 10, offset: 0, search: 'Iqbal' })).toEqual([b.id]);
    expect(ids({ limit: 10, offset: 0, search: 'nothing-like-this' })).toEqual([]);
  });

  it('keeps the index in step when the hub refreshes a case', () => {
    const a = sampleCase();
    core.cases.upsert(a);
    core.cases.upsert({ ...a, version: 2, referral: { ...a.referral, presentingComplaint: 'Nail dystrophy' } });
    expect(ids({ limit: 10, offset: 0, search: 'dystrophy' })).toEqual([a.id]);
    expect(ids({ limit: 10, offset: 0, search: 'pigmented' })).toEqual([]);
  });

  it('treats hostile search text as words, never as FTS5 syntax', () => {
    core.cases.upsert(sampleCase());
    for (const hostile of [
      '"',
      'a" OR "b',
      'NEAR(',
      '*',
      'patient_name:',
      "'; DROP TABLE cases; --",
      '^',
      'x'.repeat(200),
    ])
      expect(() => core.cases.list({ limit: 10, offset: 0, search: hostile }), hostile).not.toThrow();
    expect(core.cases.list({ limit: 10, offset: 0 }).total).toBe(1);
  });

  it('filters drafts, awaiting sync, needs review and more-information cases; passed-on cases leave', () => {
    const [draft, signed, review, moreInfo, passed] = [1, 2, 3, 4, 5].map(() => sampleCase());
    for (const c of [draft, signed, review, moreInfo, passed]) core.cases.upsert(c!);
    core.cases.setState(draft!.id, 'draft');
    core.cases.setState(review!.id, 'needs-review', 'Case updated by the practice');
    core.cases.setState(passed!.id, 'passed-on');
    signDecision(core.db, { caseId: signed!.id, content: sampleDischarge(), consultant }, now);
    signDecision(
      core.db,
      {
        caseId: moreInfo!.id,
        content: sampleDischarge({
          outcome: { kind: 'more-information', requests: ['dermoscopy'], detail: 'Dermoscopy please' },
        }),
        consultant,
      },
      now,
    );
    expect(ids({ limit: 10, offset: 0, filter: 'drafts' })).toEqual([draft!.id]);
    expect(ids({ limit: 10, offset: 0, filter: 'needs-review' })).toEqual([review!.id]);
    expect(ids({ limit: 10, offset: 0, filter: 'more-info' })).toEqual([moreInfo!.id]);
    expect(new Set(ids({ limit: 10, offset: 0, filter: 'awaiting-sync' }))).toEqual(
      new Set([signed!.id, moreInfo!.id]),
    );
    expect(new Set(ids({ limit: 10, offset: 0, filter: 'open' }))).toEqual(new Set([draft!.id, review!.id]));
    expect(ids({ limit: 10, offset: 0 })).not.toContain(passed!.id);
  });

  it('pages with limit and offset and reports the total', () => {
    for (let i = 0; i < 25; i++) core.cases.upsert(sampleCase());
    const first = core.cases.list({ limit: 10, offset: 0 });
    const third = core.cases.list({ limit: 10, offset: 20 });
    expect(first.total).toBe(25);
    expect(third.cases).toHaveLength(5);
    expect(new Set([...first.cases, ...third.cases].map((c) => c.id)).size).toBe(15);
  });

  it('builds no search clause for an empty or punctuation-only query; overdue is "due before today" per priority', () => {
    expect(worklistQuery('all', '  ', '2026-11-26').match).toBe('tags : visible');
    expect(worklistQuery('all', '"*', '2026-11-26').match).toBe('tags : visible');
    expect(worklistQuery('suspected-cancer', 'mole', '2026-11-26').match).toBe(
      '({patient_name nhs_number referral_text practice} : ("mole"*)) AND tags : visible AND tags : suspectedcancer',
    );
    const overdue = worklistQuery('overdue', undefined, '2026-11-26');
    expect(overdue.match).toBe('tags : open');
    expect(overdue.ranges).toHaveLength(4);
    expect(overdue.ranges[2]).toEqual([keyOfDue(2, '2000-01-01'), keyOfDue(2, '2026-11-26') - 1n]);
  });
});
