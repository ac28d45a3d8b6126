import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleCase } from '../../../../tests/support/sample-case';
import { makeTestCore } from '../../../../tests/support/test-core';
import { dispatch } from '../../../shared/contract/dispatch';
import { emptyDecisionForm, type DecisionForm } from '../../../shared/domain/decision-form';
import { outcomeKinds } from '../../../shared/domain/outcome-labels';
import { SyncKv } from '../db/sync-kv';

const now = new Date('2026-11-26T10:00:00.000Z');

describe('decision service through the trust boundary', () => {
  let core: ReturnType<typeof makeTestCore>;
  beforeEach(() => {
    core = makeTestCore({ now: () => now });
    new SyncKv(core.db).setConsultant({ id: 'c-1', displayName: 'Dr Grace Hopper' });
  });
  afterEach(() => core.cleanup());

  const call = (method: string, input: unknown) => dispatch(core.handlers, method, input);
  const form = (patch: Partial<DecisionForm>): DecisionForm => ({ ...emptyDecisionForm(), ...patch });

  it('signs every outcome', async () => {
    for (const kind of outcomeKinds) {
      const record = sampleCase();
      core.cases.upsert(record);
      const result = await call('decision.sign', {
        caseId: record.id,
        form: form({ outcomeKind: kind, specialty: 'Plastic surgery', requests: ['scale'], detail: 'Add a ruler' }),
      });
      expect(result, kind).toMatchObject({ ok: true, value: { outcome: { kind }, signedBy: { id: 'c-1' } } });
    }
  });

  it('locks the decision without consent, with the reason', async () => {
    const record = sampleCase({ referral: { consent: null } });
    core.cases.upsert(record);
    const result = await call('decision.sign', { caseId: record.id, form: form({ outcomeKind: 'discharge' }) });
    expect(result).toMatchObject({ ok: false, error: { code: 'validation', field: 'consent' } });
  });

  it('never downgrades a suspected-cancer referral without advice to the referrer', async () => {
    const record = sampleCase({ referral: { priority: 'suspected-cancer' } });
    core.cases.upsert(record);
    const refused = await call('decision.sign', { caseId: record.id, form: form({ outcomeKind: 'discharge' }) });
    expect(refused).toMatchObject({ ok: false, error: { field: 'downgradeAdvice' } });
    const ok = await call('decision.sign', {
      caseId: record.id,
      form: form({ outcomeKind: 'discharge', downgradeAdvice: 'Benign SK; please consider downgrading.' }),
    });
    expect(ok).toMatchObject({ ok: true, value: { downgradeAdvice: 'Benign SK; please consider downgrading.' } });
  });

  it('needs a signed-in consultant to sign, and amends as a new version', async () => {
    const record = sampleCase();
    core.cases.upsert(record);
    new SyncKv(core.db).setConsultant(null);
    const anonymous = await call('decision.sign', { caseId: record.id, form: form({ outcomeKind: 'discharge' }) });
    expect(anonymous).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    new SyncKv(core.db).setConsultant({ id: 'c-1', displayName: 'Dr Grace Hopper' });
    const first = await call('decision.sign', { caseId: record.id, form: form({ outcomeKind: 'discharge' }) });
    if (!first.ok) throw new Error(first.error.message);
    const id = (first.value as { id: string }).id;
    const amended = await call('decision.sign', {
      caseId: record.id,
      form: form({ outcomeKind: 'urgent-face-to-face', mode: 'video' }),
      supersedes: id,
    });
    expect(amended).toMatchObject({ ok: true, value: { version: 2, supersedes: id } });
  });

  it('rejects a hostile form at the boundary and an incomplete one with the field', async () => {
    const record = sampleCase();
    core.cases.upsert(record);
    expect(await call('decision.sign', { caseId: record.id, form: { outcomeKind: 'drop-table' } })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    expect(
      await call('decision.sign', { caseId: record.id, form: form({ outcomeKind: 'onward-referral' }) }),
    ).toMatchObject({
      ok: false,
      error: { field: 'specialty' },
    });
    expect(await call('decision.saveDraft', { caseId: 'not-a-uuid', form: form({}) })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
  });

  it('autosaves drafts and shows them when the case is opened again', async () => {
    const record = sampleCase();
    core.cases.upsert(record);
    await call('decision.saveDraft', { caseId: record.id, form: form({ outcomeKind: 'discharge', detail: 'kept' }) });
    const detail = await call('case.get', { caseId: record.id });
    expect(detail).toMatchObject({ ok: true, value: { state: 'draft', draft: { form: { detail: 'kept' } } } });
  });
  it("counts this consultant's diagnosis picks from their signed decisions (latest version only)", async () => {
    const signWith = async (label: string, diagnosisId: string | null) => {
      const record = sampleCase();
      core.cases.upsert(record);
      const result = await call('decision.sign', {
        caseId: record.id,
        form: form({ outcomeKind: 'discharge', diagnosisId, diagnosisFreeText: diagnosisId ? '' : label }),
      });
      if (!result.ok) throw new Error(JSON.stringify(result.error));
      return result.value as { id: string };
    };
    expect(await call('decision.diagnosisPicks', {})).toEqual({ ok: true, value: { picks: [] } });
    await signWith('', 'seborrhoeic-keratosis');
    await signWith('', 'seborrhoeic-keratosis');
    await signWith('', 'basal-cell-carcinoma');
    await signWith('Odd free-text rash', null);
    // Another consultant's decision on this workstation is not this consultant's habit.
    new SyncKv(core.db).setConsultant({ id: 'c-2', displayName: 'Dr Other' });
    await signWith('', 'basal-cell-carcinoma');
    await signWith('', 'basal-cell-carcinoma');
    new SyncKv(core.db).setConsultant({ id: 'c-1', displayName: 'Dr Grace Hopper' });
    expect(await call('decision.diagnosisPicks', {})).toEqual({
      ok: true,
      value: {
        picks: [
          { label: 'Seborrhoeic keratosis', count: 2 },
          { label: 'Basal cell carcinoma of skin', count: 1 },
          { label: 'Odd free-text rash', count: 1 },
        ],
      },
    });
    // Nobody signed in: nothing to rank by.
    new SyncKv(core.db).setConsultant(null);
    expect(await call('decision.diagnosisPicks', {})).toEqual({ ok: true, value: { picks: [] } });
  });
});
