import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleCase, sampleNhsNumber } from '../../../../tests/support/sample-case';
import { makeTestCore } from '../../../../tests/support/test-core';
import type { WorklistSort } from '../../../shared/contract/worklist-methods';
import type { CaseRecord, ReferralPriority } from '../../../shared/domain/case';
import { dueDate } from '../../../shared/domain/working-days';
import { imageDir } from '../images/image-paths';
import { SPARSE_MATCHES } from './worklist-page-sql';

const now = new Date('2026-11-26T10:00:00.000Z');
const priorities: ReferralPriority[] = ['routine', 'urgent', 'suspected-cancer'];
const families = ['Zeller', 'adams', 'Okafor', 'Brown', 'mcIntyre', 'Ng', 'Brown'];

/** Cases with ties in every order: repeated names, repeated arrival seconds, mixed priorities. */
function mixedCases(n: number, offset = 0): CaseRecord[] {
  return Array.from({ length: n }, (_, j) => {
    const i = j + offset;
    return sampleCase({
      patient: {
        ...sampleCase().patient,
        familyName: `${families[i % families.length]}${i % 11 === 0 ? '' : String.fromCharCode(97 + (i % 5))}`,
        givenName: ['Ada', 'bea', 'Cy'][i % 3] ?? 'Ada',
        nhsNumber: sampleNhsNumber(1000 + i),
      },
      referral: {
        priority: priorities[i % 3] ?? 'routine',
        receivedAt: `2026-11-${String(18 + (i % 6)).padStart(2, '0')}T${String(8 + (i % 4)).padStart(2, '0')}:00:00.000Z`,
      },
    });
  });
}

/** The expected order, computed independently of SQL: by the sort's value, then the clinical order. */
function expectedOrder(cases: CaseRecord[], sort: Exclude<WorklistSort, 'priority'>, clinical: string[]): string[] {
  const name = (c: CaseRecord) => `${c.patient.familyName.toUpperCase()}, ${c.patient.givenName}`.toLowerCase();
  const value = (c: CaseRecord) => (sort === 'received' ? c.referral.receivedAt : name(c));
  const rank = new Map(clinical.map((id, i) => [id, i]));
  return [...cases]
    .sort((a, b) => (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : rank.get(a.id)! - rank.get(b.id)!))
    .map((c) => c.id);
}

describe('worklist sorted by arrival or patient name', () => {
  let core: ReturnType<typeof makeTestCore>;
  beforeEach(() => {
    core = makeTestCore({ now: () => now });
  });
  afterEach(() => core.cleanup());

  function walk(options: Parameters<typeof core.cases.list>[0]): string[] {
    const seen: string[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 10_000; guard++) {
      const page = core.cases.list({ ...options, after });
      seen.push(...page.cases.map((c) => c.id));
      if (page.next === null) return seen;
      after = page.next;
    }
    throw new Error('paging never ended');
  }
  const clinicalOrder = (): string[] => walk({ limit: 500, offset: 0 });

  it('pages every case once in each order, ties broken by the clinical order, offsets agreeing', () => {
    const cases = mixedCases(70);
    for (const c of cases) core.cases.upsert(c);
    const clinical = clinicalOrder();
    for (const sort of ['received', 'patient'] as const) {
      const expected = expectedOrder(cases, sort, clinical);
      const walked = walk({ limit: 6, offset: 0, sort });
      expect(walked, sort).toEqual(expected);
      expect(core.cases.list({ limit: 6, offset: 18, sort }).cases.map((c) => c.id)).toEqual(expected.slice(18, 24));
      expect(core.cases.list({ limit: 6, offset: 0, sort }).total).toBe(70);
    }
    // By name, case is folded: "adams…" sorts with the A's, not after the upper-case Z's.
    const names = core.cases.list({ limit: 100, offset: 0, sort: 'patient' }).cases.map((c) => c.patientName);
    expect(names[0]).toMatch(/^ADAMS/);
    expect(names.at(-1)).toMatch(/^ZELLER/);
    // By arrival, oldest first.
    const received = core.cases.list({ limit: 100, offset: 0, sort: 'received' }).cases.map((c) => c.receivedAt);
    expect(received).toEqual([...received].sort());
  });

  it('sorts a search and the overdue filter (four key ranges) the same way', () => {
    const cases = mixedCases(48);
    for (const c of cases) core.cases.upsert(c);
    const clinical = clinicalOrder();
    const brown = cases.filter((c) => c.patient.familyName.startsWith('Brown'));
    expect(walk({ limit: 4, offset: 0, sort: 'received', search: 'brown' })).toEqual(
      expectedOrder(brown, 'received', clinical),
    );
    // On the 26th, cases received on the 18th-20th (due by the 25th) are overdue.
    const overdue = cases.filter((c) => dueDate(c.referral.receivedAt) < '2026-11-26');
    expect(overdue.length).toBeGreaterThan(8);
    expect(walk({ limit: 4, offset: 0, sort: 'patient', filter: 'overdue' })).toEqual(
      expectedOrder(overdue, 'patient', clinical),
    );
  });

  it(`walks the order's index when most cases match (over ${SPARSE_MATCHES}), with the same answer`, () => {
    const cases = mixedCases(SPARSE_MATCHES + 60);
    core.db.transaction(() => {
      for (const c of cases) core.cases.upsert(c);
    })();
    const clinical = clinicalOrder();
    const expected = expectedOrder(cases, 'patient', clinical);
    const first = core.cases.list({ limit: 100, offset: 0, sort: 'patient' });
    expect(first.total).toBe(cases.length);
    expect(first.cases.map((c) => c.id)).toEqual(expected.slice(0, 100));
    const second = core.cases.list({ limit: 100, offset: 0, sort: 'patient', after: first.next ?? undefined });
    expect(second.cases.map((c) => c.id)).toEqual(expected.slice(100, 200));
    expect(core.cases.list({ limit: 100, offset: 1500, sort: 'patient' }).cases.map((c) => c.id)).toEqual(
      expected.slice(1500, 1600),
    );
    const byArrival = expectedOrder(cases, 'received', clinical);
    expect(walk({ limit: 500, offset: 0, sort: 'received' })).toEqual(byArrival);
    // A search matching them all takes the same walk with its matches gathered once per page.
    expect(walk({ limit: 500, offset: 0, sort: 'received', search: 'pigmented' })).toEqual(byArrival);
  });

  it('says so when the case at the cursor has left the cache', () => {
    const cases = mixedCases(10);
    for (const c of cases) core.cases.upsert(c);
    const first = core.cases.list({ limit: 3, offset: 0, sort: 'patient' });
    core.db.prepare('DELETE FROM cases WHERE id = ?').run(first.cases[2]?.id);
    expect(() => core.cases.list({ limit: 3, offset: 0, sort: 'patient', after: first.next ?? undefined })).toThrow(
      /worklist changed/,
    );
  });
});

describe('worklist rows', () => {
  let core: ReturnType<typeof makeTestCore>;
  beforeEach(() => {
    core = makeTestCore({ now: () => now });
  });
  afterEach(() => core.cleanup());

  it("carry the patient's age and sex, consent, and the first image's thumbnail only once it is cached", () => {
    const image = (n: number) => ({
      id: `img-${n}`,
      sha256: String(n).repeat(64).slice(0, 64),
      kind: 'dermoscopy' as const,
      mediaType: 'image/jpeg' as const,
      bytes: 1000,
      width: 100,
      height: 100,
    });
    const withConsent = sampleCase({
      patient: { ...sampleCase().patient, dateOfBirth: '1961-11-27', sex: 'male' }, // 65 tomorrow
      images: [image(1), image(2)],
    });
    const refused = sampleCase({
      referral: { consent: { given: false, recordedAt: '2026-11-20T09:00:00.000Z', recordedBy: 'Dr Shah' } },
      images: [image(3)],
    });
    const none = sampleCase({ referral: { consent: null } });
    for (const c of [withConsent, refused, none]) core.cases.upsert(c);
    // A thumbnail on disk for the first case's first image only (where the deriver writes it).
    const thumbDir = imageDir(core.dataDir, image(1).sha256);
    mkdirSync(thumbDir, { recursive: true });
    writeFileSync(join(thumbDir, 'thumb.jpg'), 'ciphertext');
    const rows = new Map(core.cases.list({ limit: 10, offset: 0 }).cases.map((c) => [c.id, c]));
    expect(rows.get(withConsent.id)).toMatchObject({
      ageYears: 64,
      sex: 'male',
      consentRecorded: true,
      thumbSha256: image(1).sha256,
      thumbReady: true,
    });
    expect(rows.get(refused.id)).toMatchObject({
      ageYears: 65,
      sex: 'female',
      consentRecorded: false,
      thumbSha256: image(3).sha256,
      thumbReady: false,
    });
    expect(rows.get(none.id)).toMatchObject({ consentRecorded: false, thumbSha256: null, thumbReady: false });
  });
});
