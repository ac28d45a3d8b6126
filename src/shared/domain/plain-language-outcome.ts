import type { ReferralPriority } from './case';
import type { Outcome } from './decision';

/**
 * What the skin specialist decided, told to the patient in plain words: for the patient's copy of
 * the letter and the patient's link page (only where the practice opted in). Written for a reader
 * with no medical training: no clinical terms, no diagnosis (the GP practice explains that), and
 * never the consultant's advice to the referrer about a suspected-cancer referral, which is for
 * the GP to act on. The practice stays the patient's point of contact.
 */
export interface PlainLanguageOutcome {
  /** One sentence, the first thing the patient reads. */
  headline: string;
  /** What happens next, a sentence each. */
  next: string[];
}

/** Said on every outcome: the patient is never left without somewhere to turn. */
export const PLAIN_SAFETY_NET =
  'If the mark changes, bleeds or you are worried about it before then, contact your GP practice.';

const MODE: Record<'in-person' | 'phone' | 'video', string> = {
  'in-person': 'at a hospital skin clinic',
  phone: 'by phone',
  video: 'by video call',
};

/**
 * A suspected-cancer referral that the consultant did not put on the suspected-cancer pathway:
 * only the referring GP can downgrade it (NICE NG12), and until the GP does, the patient stays on
 * the pathway. Telling the patient "you do not need to be seen" here could make them miss the
 * appointment the pathway still books, so they are told only that the GP will be in touch.
 */
const GP_DECIDES: PlainLanguageOutcome = {
  headline: 'The skin specialist looked at your photographs and has sent advice to your GP practice.',
  next: [
    'Your GP practice will contact you about what happens next.',
    'Until they do, please go to any hospital appointment you are offered.',
  ],
};

/**
 * The plain-language outcome for one outcome kind and its details, given how the GP referred the
 * patient. Pure.
 */
export function plainLanguageOutcome(outcome: Outcome, referralPriority: ReferralPriority): PlainLanguageOutcome {
  if (referralPriority === 'suspected-cancer' && outcome.kind !== 'suspected-cancer-pathway') return GP_DECIDES;
  const gp = 'Your GP practice will contact you about this.';
  switch (outcome.kind) {
    case 'discharge':
      return {
        headline: 'The skin specialist looked at your photographs and does not need to see you at the hospital.',
        next: [
          'Your GP practice has been sent advice about looking after your skin.',
          'Your GP practice will contact you about any treatment you need.',
        ],
      };
    case 'routine-face-to-face':
      return {
        headline: `The skin specialist would like to see you ${MODE[outcome.mode]}.`,
        next: ['The hospital will contact you with an appointment.', gp],
      };
    case 'urgent-face-to-face':
      return {
        headline: `The skin specialist would like to see you soon, ${MODE[outcome.mode]}.`,
        next: ['The hospital will contact you quickly with an appointment. Please go to it.', gp],
      };
    case 'suspected-cancer-pathway':
      return {
        headline: 'The skin specialist would like to see you urgently, within two weeks.',
        next: [
          'The hospital will contact you with an appointment. Please go to it, or tell the hospital at once if you cannot.',
          'Your GP practice will contact you to explain why and what happens next.',
        ],
      };
    case 'procedure-list':
      return {
        headline:
          outcome.procedure === 'biopsy'
            ? 'The skin specialist would like to take a small sample of the skin to look at it more closely.'
            : 'The skin specialist would like to remove the mark in a small operation.',
        next: [
          outcome.urgency === 'urgent'
            ? 'The hospital will contact you soon with a date.'
            : 'The hospital will contact you with a date.',
          gp,
        ],
      };
    case 'onward-referral':
      return {
        headline: 'The skin specialist would like another hospital team to see you.',
        next: [gp],
      };
    case 'teledermatology-follow-up':
      return {
        headline: `The skin specialist would like to see new photographs of the mark in ${outcome.weeks} week${outcome.weeks === 1 ? '' : 's'}, to check for any change.`,
        next: ['Your GP practice will contact you about sending them.'],
      };
    case 'more-information':
      return {
        headline: 'The skin specialist needs more information or more photographs before deciding.',
        next: ['Your GP practice will contact you about what to send.'],
      };
    case 'unable-to-assess-remotely':
      return {
        headline: 'The skin specialist could not decide from photographs alone and would like to see you in person.',
        next: ['The hospital will contact you with an appointment.', gp],
      };
  }
}
