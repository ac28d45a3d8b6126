/**
 * Synthetic cached cases for the worklist bench: names, NHS numbers, practices and referral text
 * with known frequencies ("Hopkinson" in 1 case in 97, methotrexate in 1 in 7, "pearly ... cheek"
 * in 1 in 15), received over 30 days.
 */
import { randomUUID } from 'node:crypto';
import type { CaseRecord } from '../../src/shared/domain/case';
import { nhsCheckDigit } from '../../src/shared/domain/nhs-number';

const surnames = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Robinson',
  'Wright',
  'Thompson',
  'Evans',
  'Walker',
  'White',
  'Roberts',
  'Green',
  'Hall',
  'Wood',
  'Jackson',
  'Clarke',
  'Patel',
  'Khan',
  'Lewis',
  'James',
  'Phillips',
  'Mason',
  'Mitchell',
  'Rose',
  'Davis',
  'Rodriguez',
  'Cox',
  'Alexander',
  'Lovelace',
];
const given = [
  'Ada',
  'Grace',
  'Alan',
  'Mary',
  'John',
  'Priya',
  'Mohammed',
  'Olivia',
  'Noah',
  'Amelia',
  'George',
  'Isla',
];
const complaints = [
  'Changing pigmented lesion on the back',
  'Scaly plaques on elbows and knees',
  'Itchy rash on both hands',
  'Non-healing lesion on the nose',
  'Pearly papule on the cheek',
  'Facial redness and pustules',
  'Hair loss in patches',
  'New mole on the calf',
  'Crusted lesion on the scalp',
  'Nail discolouration',
  'Brown stuck-on lesions on the trunk',
  'Tender nodules in the armpits',
  'White patches on the hands',
  'Recurrent hives',
  'Wart on the sole of the foot',
];
const practices = Array.from(
  { length: 60 },
  (_, i) => `Practice ${i} ${['Riverside', 'Harbour Lane', 'Hill Top', 'Park View'][i % 4]} Surgery`,
);

export function nhs(seed: number): string {
  for (let n = seed; ; n++) {
    const nine = String(100000000 + (n % 800000000)).padStart(9, '0');
    const c = nhsCheckDigit(nine);
    if (c !== null) return `${nine}${c}`;
  }
}

export function makeCase(i: number): CaseRecord {
  const receivedAt = new Date(Date.UTC(2026, 10, 1) + (i % (30 * 24)) * 3_600_000).toISOString();
  const r = i % 20;
  return {
    id: randomUUID(),
    version: 1,
    patient: {
      nhsNumber: nhs(i * 7 + 1),
      givenName: given[i % given.length] ?? 'Ada',
      familyName: `${surnames[i % surnames.length]}${i % 97 === 0 ? '-Hopkinson' : ''}`,
      dateOfBirth: '1960-01-01',
      sex: 'female',
    },
    practice: {
      odsCode: `B${String(i % 60).padStart(5, '0')}`,
      name: practices[i % 60] ?? 'Practice',
      clinician: `Dr ${surnames[(i + 3) % surnames.length]}`,
    },
    images: [],
    referral: {
      priority: r === 0 ? 'suspected-cancer' : r < 4 ? 'urgent' : 'routine',
      receivedAt,
      presentingComplaint: complaints[i % complaints.length] ?? 'Rash',
      duration: `${(i % 12) + 1} months`,
      evolution: i % 3 === 0 ? 'Growing slowly' : 'Unchanged',
      site: { region: 'chest-posterior', description: 'Upper back' },
      symptoms: i % 5 === 0 ? 'Itch and occasional bleeding' : 'None',
      history: i % 11 === 0 ? 'Previous basal cell carcinoma excised' : 'Nil of note',
      medication: i % 7 === 0 ? 'Methotrexate' : 'None',
      allergies: 'None known',
      riskFactors: ['fair skin'],
      consent: { given: true, recordedAt: receivedAt, recordedBy: 'GP' },
    },
  };
}
