import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleCase, sampleDischarge } from '../../../../tests/support/sample-case';
import { makeTestCore } from '../../../../tests/support/test-core';
import { emptyDecisionForm } from '../../../shared/domain/decision-form';
import { verifyAuditChain } from '../audit/audit-log';
import { saveDraft } from '../decisions/drafts';
import { signDecision } from '../decisions/sign-decision';
import { ageInYears, readCaseDetail } from './case-detail';
import { passOnCase } from './pass-on';

const now = new Date('2026-11-26T10:00:00.000Z');
const consultant = { id: 'c-1', displayName: 'Dr Grace Hopper' };

describe('case detail, drafts and pass-on', () => {
  let core: ReturnType<typeof makeTestCore>;
  beforeEach(() => {
    core = makeTestCore({ now: () => now });
  });
  afterEach(() => core.cleanup());
  const count = (sql: string): number => (core.db.prepare(sql).get() as { n: number }).n;

  it('reads the referral, validates the NHS number, computes age and audits the view', () => {
    const record = sampleCase({
      patient: { ...sampleCase().patient, nhsNumber: '9434765919', dateOfBirth: '1961-11-27' },
    });
    core.cases.upsert(record);
    const detail = readCaseDetail(core.db, record.id, 'c-1', now);
    expect(detail.record.id).toBe(record.id);
    expect(detail.nhsNumberValid).toBe(true);
    expect(detail.ageYears).toBe(64); // birthday is tomorrow
    expect(count(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.viewed' AND actor = 'c-1'`)).toBe(1);
    expect(verifyAuditChain(core.db).ok).toBe(true);
  });

  it('flags an NHS number whose check digit is wrong', () => {
    const record = sampleCase({ patient: { ...sampleCase().patient, nhsNumber: '9434765918' } });
    core.cases.upsert(record);
    expect(readCaseDetail(core.db, record.id, 'c-1', now).nhsNumberValid).toBe(false);
  });

  it('lists earlier cases of the same patient with their images', () => {
    const first = sampleCase({ referral: { receivedAt: '2026-01-10T09:00:00.000Z' } });
    const second = sampleCase({ patient: first.patient });
    const stranger = sampleCase({ patient: { ...first.patient, nhsNumber: '9434765919' } });
    for (const c of [first, second, stranger]) core.cases.upsert(c);
    const detail = readCaseDetail(core.db, second.id, 'c-1', now);
    expect(detail.priorCases.map((p) => p.id)).toEqual([first.id]);
    expect(detail.priorCases[0]?.outcome).toBeNull();
  });

  it('gives each earlier case its latest decision: the outcome, the diagnosis and when it was signed', () => {
    const first = sampleCase({ referral: { receivedAt: '2026-01-10T09:00:00.000Z' } });
    const second = sampleCase({ patient: first.patient });
    for (const c of [first, second]) core.cases.upsert(c);
    const signedAt = new Date('2026-01-12T14:30:00.000Z');
    signDecision(core.db, { caseId: first.id, content: sampleDischarge(), consultant }, signedAt);
    const [prior] = readCaseDetail(core.db, second.id, 'c-1', now).priorCases;
    expect(prior?.outcome).toEqual({
      kind: 'discharge',
      diagnosis: 'Seborrhoeic keratosis',
      signedAt: signedAt.toISOString(),
    });
  });

  it('refuses an unknown case with not-found', () => {
    expect(() => readCaseDetail(core.db, '00000000-0000-4000-8000-000000000000', 'c-1', now)).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    );
  });

  it('saves a draft, marks the case draft, and recovers from a corrupt draft row', () => {
    const record = sampleCase();
    core.cases.upsert(record);
    saveDraft(core.db, record.id, { ...emptyDecisionForm(), outcomeKind: 'discharge', detail: 'x' }, now);
    expect(core.cases.list({ limit: 5, offset: 0 }).cases[0]?.state).toBe('draft');
    expect(readCaseDetail(core.db, record.id, 'c-1', now).draft?.form.outcomeKind).toBe('discharge');
    core.db.prepare(`UPDATE decision_drafts SET draft_json = '{"outcomeKind": 42' WHERE case_id = ?`).run(record.id);
    const recovered = readCaseDetail(core.db, record.id, 'c-1', now).draft;
    expect(recovered).toMatchObject({ recovered: true, form: emptyDecisionForm() });
  });

  it('passes a case on in one transaction: outbox, audit, state; and refuses once decided', () => {
    const record = sampleCase();
    core.cases.upsert(record);
    saveDraft(core.db, record.id, emptyDecisionForm(), now);
    passOnCase(
      core.db,
      {
        caseId: record.id,
        to: { kind: 'subspecialty', subspecialty: 'Paediatric dermatology' },
        note: 'Child, 4y',
        actor: 'c-1',
      },
      now,
    );
    const outbox = core.db.prepare(`SELECT payload_json FROM outbox WHERE kind = 'pass-on'`).get() as {
      payload_json: string;
    };
    expect(JSON.parse(outbox.payload_json)).toEqual({
      caseId: record.id,
      note: 'Child, 4y',
      toSubspecialty: 'Paediatric dermatology',
    });
    expect(count(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.passed-on'`)).toBe(1);
    expect(count(`SELECT COUNT(*) AS n FROM decision_drafts`)).toBe(0);
    expect(core.cases.list({ limit: 5, offset: 0 }).total).toBe(0);
    expect(() =>
      passOnCase(core.db, { caseId: record.id, to: { kind: 'pool' }, note: 'again', actor: 'c-1' }, now),
    ).toThrow(/already been passed on/);

    const decided = sampleCase();
    core.cases.upsert(decided);
    signDecision(core.db, { caseId: decided.id, content: sampleDischarge(), consultant }, now);
    expect(() =>
      passOnCase(core.db, { caseId: decided.id, to: { kind: 'pool' }, note: 'n', actor: 'c-1' }, now),
    ).toThrow(/amend the decision/);
    expect(() =>
      passOnCase(core.db, { caseId: sampleCase().id, to: { kind: 'pool' }, note: 'n', actor: 'c-1' }, now),
    ).toThrow(/not in the local cache/);
  });

  it('requires a note to pass on and leaves nothing behind without one', () => {
    const record = sampleCase();
    core.cases.upsert(record);
    expect(() =>
      passOnCase(core.db, { caseId: record.id, to: { kind: 'pool' }, note: '  ', actor: 'c-1' }, now),
    ).toThrow(expect.objectContaining({ field: 'note' }));
    expect(count(`SELECT COUNT(*) AS n FROM outbox`)).toBe(0);
  });
});

describe('ageInYears', () => {
  it('counts whole years and rejects nonsense', () => {
    expect(ageInYears('2000-02-29', '2026-02-28')).toBe(25);
    expect(ageInYears('2000-02-29', '2026-03-01')).toBe(26);
    expect(ageInYears('2030-01-01', '2026-01-01')).toBeNull();
    expect(ageInYears('not-a-date', '2026-01-01')).toBeNull();
  });
});
