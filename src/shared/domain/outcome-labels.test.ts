import { describe, expect, it } from 'vitest';
import { describeOutcome, outcomeKinds, outcomeLabels } from './outcome-labels';

describe('outcome labels', () => {
  it('labels all nine outcomes', () => {
    expect(outcomeKinds).toHaveLength(9);
    for (const k of outcomeKinds) expect(outcomeLabels[k].length).toBeGreaterThan(5);
  });

  it('describes each outcome with its details', () => {
    expect(
      describeOutcome({ kind: 'routine-face-to-face', clinic: 'subspecialty', subspecialty: 'Hair', mode: 'video' }),
    ).toBe('Routine Hair subspecialty appointment, by video.');
    expect(
      describeOutcome({ kind: 'routine-face-to-face', clinic: 'general', subspecialty: null, mode: 'phone' }),
    ).toBe('Routine general dermatology appointment, by phone.');
    expect(describeOutcome({ kind: 'procedure-list', procedure: 'skin-surgery', urgency: 'urgent' })).toMatch(
      /skin surgery \(urgent\)/,
    );
    expect(describeOutcome({ kind: 'teledermatology-follow-up', weeks: 1 })).toMatch(/in 1 week and/);
    expect(describeOutcome({ kind: 'teledermatology-follow-up', weeks: 6 })).toMatch(/in 6 weeks/);
    expect(
      describeOutcome({ kind: 'more-information', requests: ['dermoscopy', 'scale'], detail: 'Please add a ruler.' }),
    ).toBe('More information needed before triage: dermoscopy image, image with a scale. Please add a ruler.');
    expect(describeOutcome({ kind: 'onward-referral', specialty: 'Rheumatology' })).toBe(
      'Onward referral to Rheumatology.',
    );
  });
});
