import { describe, expect, it } from 'vitest';
import type { Outcome } from './decision';
import { outcomeKinds } from './outcome-labels';
import { plainLanguageOutcome } from './plain-language-outcome';

/** One outcome of every kind, with the details that kind carries. */
const examples: Outcome[] = [
  { kind: 'discharge' },
  { kind: 'routine-face-to-face', clinic: 'subspecialty', subspecialty: 'Mohs surgery', mode: 'video' },
  { kind: 'urgent-face-to-face', mode: 'in-person' },
  { kind: 'suspected-cancer-pathway' },
  { kind: 'procedure-list', procedure: 'biopsy', urgency: 'urgent' },
  { kind: 'procedure-list', procedure: 'skin-surgery', urgency: 'routine' },
  { kind: 'onward-referral', specialty: 'Plastic surgery (reconstructive)' },
  { kind: 'teledermatology-follow-up', weeks: 1 },
  { kind: 'teledermatology-follow-up', weeks: 6 },
  { kind: 'more-information', requests: ['dermoscopy', 'scale'], detail: 'Dermoscopy of the lesion, please.' },
  { kind: 'unable-to-assess-remotely' },
];

/** Words a patient should not have to know (clinical or service jargon). */
const JARGON =
  /cancer|malignan|pathway|two-week wait|2ww|triage|teledermatology|dermoscop|lesion|biopsy|excision|refer(ral|rer)|discharg|subspecialt|mohs|plastic|reconstructive|snomed|nice|ng12|face-to-face|downgrad|consultant|primary care|f2f/i;

describe('the plain-language outcome for the patient', () => {
  it('covers every outcome kind', () => {
    expect(new Set(examples.map((o) => o.kind))).toEqual(new Set(outcomeKinds));
  });

  it.each(examples.map((o) => [o.kind, o] as const))(
    '%s: plain words, no jargon, and says who will contact them',
    (_, outcome) => {
      const said = plainLanguageOutcome(outcome, 'routine');
      const text = [said.headline, ...said.next].join(' ');
      expect(text).not.toMatch(JARGON);
      // Free text the consultant typed for the GP (specialty names, requests) is never echoed.
      if (outcome.kind === 'onward-referral') expect(text).not.toContain(outcome.specialty);
      if (outcome.kind === 'more-information') expect(text).not.toContain(outcome.detail);
      expect(text).toMatch(/(GP practice|hospital) will contact you/);
      // Short sentences: nothing a phone screen has to scroll sideways through.
      for (const sentence of text.split(/(?<=\.) /)) expect(sentence.split(' ').length).toBeLessThanOrEqual(25);
    },
  );

  it('says how and when where the outcome says it', () => {
    expect(
      plainLanguageOutcome(
        { kind: 'routine-face-to-face', clinic: 'general', subspecialty: null, mode: 'phone' },
        'routine',
      ).headline,
    ).toBe('The skin specialist would like to see you by phone.');
    expect(plainLanguageOutcome({ kind: 'suspected-cancer-pathway' }, 'suspected-cancer').headline).toBe(
      'The skin specialist would like to see you urgently, within two weeks.',
    );
    expect(plainLanguageOutcome({ kind: 'teledermatology-follow-up', weeks: 1 }, 'urgent').headline).toContain(
      'in 1 week,',
    );
    expect(
      plainLanguageOutcome({ kind: 'procedure-list', procedure: 'biopsy', urgency: 'urgent' }, 'routine').next[0],
    ).toBe('The hospital will contact you soon with a date.');
  });

  it.each(examples.filter((o) => o.kind !== 'suspected-cancer-pathway').map((o) => [o.kind, o] as const))(
    'a suspected-cancer referral decided as %s: the patient is told only that the GP will be in touch',
    (_, outcome) => {
      // Only the GP can take a referral off the suspected-cancer pathway; until then it books the
      // appointment, so "you do not need to be seen" must never reach the patient.
      const said = plainLanguageOutcome(outcome, 'suspected-cancer');
      const text = [said.headline, ...said.next].join(' ');
      expect(text).toContain('Your GP practice will contact you about what happens next.');
      expect(text).toContain('please go to any hospital appointment you are offered');
      expect(text).not.toMatch(/does not need to see you|would like to see you|will contact you with/);
      expect(text).not.toMatch(JARGON);
    },
  );
});
