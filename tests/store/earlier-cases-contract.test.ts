import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../src/shared/domain/case';
import type { HubRepository } from '../../src/hub/store/hub-repository';
import { EARLIER_CASES_LIMIT } from '../../src/shared/hub-api/earlier-cases-api';
import { sql } from 'kysely';
import { isValidNhsNumber } from '../../src/shared/domain/nhs-number';
import type { KyselyHubRepository } from '../../src/hub/store/kysely/kysely-hub-repository';
import { postgresMigrations } from '../../src/hub/store/migrations/postgres-migrations';
import { sqliteMigrations } from '../../src/hub/store/migrations/sqlite-migrations';
import { sampleNhsNumber } from '../support/sample-case';
import { addConsultant, caseWith, decisionFor, engines, freshStore, LATER, NOW, type TestStore } from './store-harness';

const PATIENT: CaseRecord['patient'] = {
  nhsNumber: sampleNhsNumber(777_001),
  givenName: 'Dorothy',
  familyName: 'Hodgkin',
  dateOfBirth: '1950-05-12',
  sex: 'female',
};
const sha = (n: number): string => n.toString(16).padStart(64, '0');

/** Case `i` of `patient` (received i minutes into the morning), with one image of its own. */
function visit(i: number, patient: CaseRecord['patient'] = PATIENT, referral: Partial<CaseRecord['referral']> = {}) {
  return caseWith(i, { patient, referral });
}

/**
 * The patient's earlier cases (issue 15), on both engines: linked by the verified NHS number and
 * date of birth through the `cases_patient` index, newest first, capped, and the image rule that
 * lets a consultant download exactly those earlier images and no other patient's.
 */
describe.each(engines)('earlier cases of the same patient on %s', (engine) => {
  let store: TestStore;
  let repo: HubRepository;
  beforeEach(async () => {
    store = await freshStore(engine);
    repo = await store.open();
  });
  afterEach(async () => store.close());

  it('lists only earlier, not withdrawn cases of the same verified patient, newest first, with the latest decision', async () => {
    const colleague = await addConsultant(repo);
    const decided = visit(1, PATIENT, { presentingComplaint: 'Scaly patch on the scalp' });
    const photosOnly = visit(2);
    const withdrawn = visit(3);
    const otherPatient = visit(4, { ...PATIENT, nhsNumber: sampleNhsNumber(888_002) });
    const sameNumberOtherBirth = visit(5, { ...PATIENT, dateOfBirth: '1950-05-13' });
    const today = visit(10);
    const later = visit(20);
    for (const c of [decided, photosOnly, withdrawn, otherPatient, sameNumberOtherBirth, today, later])
      await repo.insertCase(c, '2026-11-26', NOW);
    await repo.withdrawCase(withdrawn.id, NOW);
    // A colleague decided the first one, then amended it: the latest decision is what travels.
    await repo.reassignCase(decided.id, colleague, LATER, NOW);
    const first = decisionFor(decided.id, colleague);
    expect(await repo.acceptDecision(colleague, first, 'h1', 1, NOW)).toMatchObject({ ok: true });
    const amended = decisionFor(decided.id, colleague, {
      version: 2,
      supersedes: first.id,
      diagnosis: { snomedCode: null, label: 'Actinic keratosis' },
      plan: {
        ...first.plan,
        firstLine: 'Fluorouracil cream twice daily for 3 weeks.',
        nextSteps: 'Review in 8 weeks.',
      },
    });
    expect(await repo.acceptDecision(colleague, amended, 'h2', 1, NOW)).toMatchObject({ ok: true });

    const earlier = await repo.earlierCases(today.id);
    expect(earlier.map((e) => e.id)).toEqual([photosOnly.id, decided.id]);
    expect(earlier[1]).toEqual({
      id: decided.id,
      receivedAt: decided.referral.receivedAt,
      referral: {
        priority: 'routine',
        presentingComplaint: 'Scaly patch on the scalp',
        duration: decided.referral.duration,
        site: decided.referral.site,
      },
      decision: {
        id: amended.id,
        version: 2,
        outcome: 'discharge',
        diagnosis: { snomedCode: null, label: 'Actinic keratosis' },
        planSummary: 'Fluorouracil cream twice daily for 3 weeks. Review in 8 weeks.',
        signedBy: amended.signedBy,
        signedAt: amended.signedAt,
      },
      images: [{ ...decided.images[0], bodySite: decided.referral.site.region }],
    });
    expect(earlier[0]?.decision).toBeNull();
    // The later case sees today's among its earlier ones; the first case has none before it.
    expect((await repo.earlierCases(later.id)).map((e) => e.id)).toEqual([today.id, photosOnly.id, decided.id]);
    expect(await repo.earlierCases(decided.id)).toEqual([]);
    expect(await repo.earlierCases(otherPatient.id)).toEqual([]);
    expect(await repo.earlierCases(randomUUID())).toEqual([]);
  });

  it(`keeps the ${EARLIER_CASES_LIMIT} most recent; a number failing Modulus 11 links nothing; a case with neither decision nor images is left out`, async () => {
    const visits = Array.from({ length: EARLIER_CASES_LIMIT + 2 }, (_, i) => visit(i + 1));
    const bare = visit(30, PATIENT, {});
    bare.images = [];
    const today = visit(40);
    for (const c of [...visits, bare, today]) await repo.insertCase(c, '2026-11-26', NOW);
    expect((await repo.earlierCases(today.id)).map((e) => e.id)).toEqual(
      visits
        .slice(-EARLIER_CASES_LIMIT)
        .reverse()
        .map((c) => c.id),
    );

    // 9434765918: one digit off a valid number. Two referrals with it are NOT the same patient.
    const unverified = { ...PATIENT, nhsNumber: '9434765918' };
    const a = visit(50, unverified);
    const b = visit(51, unverified);
    await repo.insertCase(a, '2026-11-26', NOW);
    await repo.insertCase(b, '2026-11-26', NOW);
    expect(await repo.earlierCases(b.id)).toEqual([]);

    // A practice correcting the NHS number (updateCase) links the case from then on.
    const { version: _v, ...rest } = b;
    await repo.updateCase(b.id, { ...rest, patient: PATIENT }, LATER, NOW);
    expect((await repo.earlierCases(b.id)).map((e) => e.id)).toContain(today.id);
  });

  it('images: an earlier case of a case I hold is downloadable; another patient’s, one past the cap, or after my lease went are not', async () => {
    const me = await addConsultant(repo);
    const other = await addConsultant(repo);
    const visits = Array.from({ length: EARLIER_CASES_LIMIT + 1 }, (_, i) => visit(i + 1));
    const stranger = visit(20, { ...PATIENT, nhsNumber: sampleNhsNumber(999_003) });
    const strangerToday = visit(21, stranger.patient);
    const today = visit(30);
    for (const c of [...visits, stranger, strangerToday, today]) await repo.insertCase(c, '2026-11-26', NOW);
    const imageOf = (c: CaseRecord): string => c.images[0]!.sha256;
    expect(await repo.visibleImage(imageOf(visits.at(-1)!), me, NOW)).toBeNull();

    await repo.reassignCase(today.id, me, LATER, NOW);
    await repo.reassignCase(strangerToday.id, other, LATER, NOW);
    expect(await repo.visibleImage(imageOf(today), me, NOW)).toEqual({ mediaType: 'image/jpeg' });
    expect(await repo.visibleImage(imageOf(visits.at(-1)!), me, NOW)).toEqual({ mediaType: 'image/jpeg' });
    expect(await repo.visibleImage(imageOf(visits[1]!), me, NOW)).toEqual({ mediaType: 'image/jpeg' });
    // The oldest is beyond the cap: not served with today's case, so not downloadable.
    expect(await repo.visibleImage(imageOf(visits[0]!), me, NOW)).toBeNull();
    // Another patient's earlier case: its consultant may, I may not.
    expect(await repo.visibleImage(imageOf(stranger), me, NOW)).toBeNull();
    expect(await repo.visibleImage(imageOf(stranger), other, NOW)).toEqual({ mediaType: 'image/jpeg' });
    expect(await repo.visibleImage(sha(999), me, NOW)).toBeNull();

    // The lease lapses: the earlier images go with it.
    expect(await repo.visibleImage(imageOf(visits.at(-1)!), me, '2026-11-25T10:00:00.000Z')).toBeNull();
    await repo.reassignCase(today.id, other, LATER, NOW);
    expect(await repo.visibleImage(imageOf(visits.at(-1)!), me, NOW)).toBeNull();
  });

  it('migration 85 backfills cases stored before it by the same rule (Modulus 11 in SQL)', async () => {
    const a = visit(1);
    const b = visit(2);
    const wrongCheckDigit = visit(3, { ...PATIENT, nhsNumber: '9434765918' });
    const checkDigitTen = visit(4, { ...PATIENT, nhsNumber: '1000000010' });
    const zeroCheck = visit(5, { ...PATIENT, nhsNumber: '1000000060' });
    for (const c of [a, b, wrongCheckDigit, checkDigitTen, zeroCheck]) await repo.insertCase(c, '2026-11-26', NOW);
    // Rows as an older hub left them: the columns empty. Then the migration's own UPDATEs.
    const db = (repo as KyselyHubRepository).db;
    await sql`UPDATE cases SET verified_nhs_number = NULL, patient_birth_date = NULL`.execute(db);
    expect(await repo.earlierCases(b.id)).toEqual([]);
    const migration = (engine === 'sqlite' ? sqliteMigrations : postgresMigrations).find((m) => m.id === 85)!;
    for (const statement of migration.sql.split(';').filter((s) => s.trim().startsWith('UPDATE')))
      await sql.raw(statement).execute(db);
    const columns = await db.selectFrom('cases').select(['id', 'verified_nhs_number', 'patient_birth_date']).execute();
    const byId = new Map(columns.map((c) => [c.id, c]));
    for (const c of [a, b, wrongCheckDigit, checkDigitTen, zeroCheck]) {
      expect(byId.get(c.id)).toEqual({
        id: c.id,
        verified_nhs_number: isValidNhsNumber(c.patient.nhsNumber) ? c.patient.nhsNumber : null,
        patient_birth_date: PATIENT.dateOfBirth,
      });
    }
    expect(byId.get(wrongCheckDigit.id)?.verified_nhs_number).toBeNull();
    expect(byId.get(checkDigitTen.id)?.verified_nhs_number).toBeNull();
    expect(byId.get(zeroCheck.id)?.verified_nhs_number).toBe(zeroCheck.patient.nhsNumber);
    expect((await repo.earlierCases(b.id)).map((e) => e.id)).toEqual([a.id]);
  });
});
