import { describe, expect, it } from 'vitest';
import { diagnosisById, diagnoses } from './diagnoses';
import {
  applyTemplate,
  chooseDiagnosis,
  contentToForm,
  emptyDecisionForm,
  formToContent,
  parseDraft,
  type DecisionForm,
} from './decision-form';
import { outcomeKinds } from './outcome-labels';

const form = (patch: Partial<DecisionForm>): DecisionForm => ({ ...emptyDecisionForm(), ...patch });

describe('decision form', () => {
  it('needs an outcome', () => {
    expect(formToContent(emptyDecisionForm())).toEqual({
      ok: false,
      errors: [{ field: 'outcome', message: 'Choose an outcome.' }],
    });
  });

  it('builds content for every outcome when its details are filled in', () => {
    for (const kind of outcomeKinds) {
      const result = formToContent(
        form({ outcomeKind: kind, specialty: 'Rheumatology', requests: ['dermoscopy'], detail: 'Dermoscopy please' }),
      );
      expect(result.ok, kind).toBe(true);
      if (result.ok) expect(result.content.outcome.kind).toBe(kind);
    }
  });

  it('says which detail is missing', () => {
    const missing = (patch: Partial<DecisionForm>): string | undefined => {
      const r = formToContent(form(patch));
      return r.ok ? undefined : r.errors[0]?.field;
    };
    expect(missing({ outcomeKind: 'onward-referral', specialty: '  ' })).toBe('specialty');
    expect(missing({ outcomeKind: 'more-information', requests: [] })).toBe('requests');
    expect(missing({ outcomeKind: 'more-information', requests: ['scale'], detail: '' })).toBe('detail');
    expect(missing({ outcomeKind: 'routine-face-to-face', clinic: 'subspecialty', subspecialty: '' })).toBe(
      'subspecialty',
    );
  });

  it('choosing a diagnosis brings its template and leaflet; its code only when verified', () => {
    const sk = diagnosisById('inflamed-seborrhoeic-keratosis');
    if (!sk) throw new Error('fixture missing');
    const f = chooseDiagnosis(form({ outcomeKind: 'discharge' }), sk);
    expect(f.templateId).toBe('benign-reassure');
    expect(f.plan.safetyNetting).toMatch(/See your GP/);
    expect(f.leaflets[0]?.url).toMatch(/^https:\/\/www\.skinhealthinfo\.org\.uk\//);
    const r = formToContent(f);
    expect(r.ok && r.content.diagnosis).toEqual({ snomedCode: '442348004', label: 'Inflamed seborrhoeic keratosis' });
    // Any entry still without a verified code (seborrhoeic keratosis was one until it was coded).
    const freeOnly = diagnoses.find((d) => d.snomedCode === null);
    if (!freeOnly) throw new Error('fixture missing');
    const r2 = formToContent(chooseDiagnosis(form({ outcomeKind: 'discharge' }), freeOnly));
    expect(r2.ok && r2.content.diagnosis?.snomedCode).toBeNull();
  });

  it('uses free text when nothing fits, and the 7-point answers as a score', () => {
    const r = formToContent(
      form({
        outcomeKind: 'discharge',
        diagnosisFreeText: ' Pseudo-lymphoma ',
        sevenPoint: { irregularColour: true, oozing: true },
      }),
    );
    expect(r.ok && r.content.diagnosis).toEqual({ snomedCode: null, label: 'Pseudo-lymphoma' });
    expect(r.ok && r.content.sevenPointScore).toBe(3);
  });

  it('applies a template and ignores an unknown one', () => {
    expect(applyTemplate(emptyDecisionForm(), 'psoriasis').plan.firstLine).toMatch(/vitamin D/);
    expect(applyTemplate(emptyDecisionForm(), 'nope')).toEqual(emptyDecisionForm());
  });

  it('round-trips signed content back into a form for an amendment', () => {
    const sk = diagnosisById('basal-cell-carcinoma');
    if (!sk) throw new Error('fixture missing');
    const original = chooseDiagnosis(form({ outcomeKind: 'procedure-list', procedure: 'skin-surgery' }), sk);
    const r = formToContent(original);
    if (!r.ok) throw new Error('expected ok');
    const back = contentToForm(r.content);
    expect(back.diagnosisId).toBe('basal-cell-carcinoma');
    expect(formToContent(back)).toEqual(r);
  });

  it('recovers an empty form from a corrupt or hostile draft instead of failing', () => {
    expect(parseDraft('not json object')).toEqual({ form: emptyDecisionForm(), recovered: true });
    expect(parseDraft({ outcomeKind: 'delete-everything' }).recovered).toBe(true);
    expect(parseDraft({ detail: 'x'.repeat(10_000) }).recovered).toBe(true);
    expect(parseDraft({ outcomeKind: 'discharge' })).toEqual({
      form: form({ outcomeKind: 'discharge' }),
      recovered: false,
    });
  });
});
