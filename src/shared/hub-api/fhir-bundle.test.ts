import { describe, expect, it } from 'vitest';
import { bundleToSubmission, toOperationOutcome } from './fhir-bundle';
import { sampleBundle, sampleSubmission } from '../../../tests/support/doors-fixture';

describe('FHIR Bundle → intake submission', () => {
  it('maps every resource of a complete Bundle', () => {
    const mapped = bundleToSubmission(sampleBundle(1));
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    const expected = sampleSubmission(1);
    expect(mapped.submission).toEqual(expected);
    expect(mapped.paths.get('patient.nhsNumber')).toBe('Bundle.entry[0].resource.identifier[0].value');
    expect(mapped.paths.get('images.1.data')).toBe('Bundle.entry[5].resource.content.data');
  });

  it('maps priority asap to the suspected-cancer pathway and a rejected Consent to no consent', () => {
    const b = sampleBundle(2) as { entry: { resource: Record<string, unknown> }[] };
    b.entry[1]!.resource['priority'] = 'asap';
    b.entry[3]!.resource['status'] = 'rejected';
    const mapped = bundleToSubmission(b);
    if (!mapped.ok) throw new Error('expected a mapping');
    expect(mapped.submission.referral.priority).toBe('suspected-cancer');
    expect(mapped.submission.referral.consent?.given).toBe(false);
  });

  it('names each missing or wrong element', () => {
    const b = sampleBundle(3) as { type: string; entry: { resource: Record<string, unknown> }[] };
    b.type = 'collection';
    b.entry = b.entry.filter(
      (e) => !['Consent', 'QuestionnaireResponse'].includes(e.resource['resourceType'] as string),
    );
    (b.entry[0]!.resource as { identifier: unknown[] }).identifier = [{ system: 'urn:other', value: '1' }];
    b.entry[1]!.resource['priority'] = 'stat';
    const mapped = bundleToSubmission(b);
    if (mapped.ok) throw new Error('expected errors');
    expect(mapped.errors.map((e) => e.field)).toEqual([
      'Bundle.type',
      'Bundle.entry(QuestionnaireResponse)',
      'Bundle.entry(Consent)',
      'Bundle.entry[0].resource.identifier',
      'Bundle.entry[1].resource.priority',
    ]);
    expect(toOperationOutcome(mapped.errors).issue[2]).toMatchObject({
      code: 'required',
      expression: ['Bundle.entry(Consent)'],
    });
  });

  it('refuses hostile shapes without throwing', () => {
    for (const hostile of [
      null,
      42,
      'Bundle',
      [],
      { resourceType: 'Bundle', type: 'transaction', entry: 'x' },
      { resourceType: 'Bundle', type: 'transaction', entry: [null, 1, { resource: [] }] },
    ]) {
      const mapped = bundleToSubmission(hostile);
      expect(mapped.ok).toBe(false);
    }
  });
});
