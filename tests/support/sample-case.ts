import { randomUUID } from 'node:crypto';
import type { CaseRecord } from '../../src/shared/domain/case';
import type { DecisionContent } from '../../src/shared/domain/decision';
import { nhsCheckDigit } from '../../src/shared/domain/nhs-number';

/** A valid NHS number derived from a seed (check digit computed, never 10). */
export function sampleNhsNumber(seed: number): string {
  for (let n = seed; ; n++) {
    const nine = String(100000000 + (n % 800000000)).padStart(9, '0');
    const check = nhsCheckDigit(nine);
    if (check !== null) return `${nine}${check}`;
  }
}

/** A realistic referral, overridable field by field. */
export function sampleCase(
  overrides: Partial<Omit<CaseRecord, 'referral'>> & { referral?: Partial<CaseRecord['referral']> } = {},
): CaseRecord {
  const { referral, ...rest } = overrides;
  return {
    id: randomUUID(),
    version: 1,
    patient: {
      nhsNumber: sampleNhsNumber(4321),
      givenName: 'Ada',
      familyName: 'Lovelace',
      dateOfBirth: '1961-03-14',
      sex: 'female',
    },
    practice: { odsCode: 'B82005', name: 'Riverside Medical Practice', clinician: 'Dr Priya Shah' },
    images: [],
    ...rest,
    referral: {
      priority: 'routine',
      receivedAt: '2026-11-20T09:30:00.000Z',
      presentingComplaint: 'Changing pigmented lesion on the left forearm',
      duration: '6 months',
      evolution: 'Darker and larger over 3 months',
      site: { region: 'left-forearm-posterior', description: 'Posterior left forearm, mid third' },
      symptoms: 'Occasional itch',
      history: 'No previous skin cancer',
      medication: 'None',
      allergies: 'None known',
      riskFactors: ['fair skin', 'history of sunburn'],
      consent: { given: true, recordedAt: '2026-11-20T09:25:00.000Z', recordedBy: 'Dr Priya Shah' },
      ...referral,
    },
  };
}

/** A complete routine discharge decision. */
export function sampleDischarge(overrides: Partial<DecisionContent> = {}): DecisionContent {
  return {
    outcome: { kind: 'discharge' },
    diagnosis: { snomedCode: null, label: 'Seborrhoeic keratosis' },
    plan: {
      firstLine: 'Reassure; no treatment needed.',
      nextSteps: 'Cryotherapy is not offered on the NHS for cosmetic reasons.',
      reReferral: 'Re-refer if it bleeds, changes quickly or looks different from the others.',
      safetyNetting: 'See your GP if the lesion changes in size, shape or colour.',
      adviceToGp: 'Benign seborrhoeic keratosis.',
      leaflets: [],
    },
    downgradeAdvice: null,
    sevenPointScore: null,
    ...overrides,
  };
}
