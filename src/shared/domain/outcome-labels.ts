import type { Outcome, OutcomeKind } from './decision';

/** What each outcome is called on the form, the worklist and the letter to the GP. */
export const outcomeLabels: Record<OutcomeKind, string> = {
  discharge: 'Discharge with advice and treatment plan to the GP',
  'routine-face-to-face': 'Routine face-to-face appointment',
  'urgent-face-to-face': 'Urgent face-to-face appointment',
  'suspected-cancer-pathway': 'Suspected cancer pathway',
  'procedure-list': 'Direct to biopsy or skin-surgery list',
  'onward-referral': 'Onward referral to another specialty',
  'teledermatology-follow-up': 'Teledermatology follow-up',
  'more-information': 'More information or better images needed',
  'unable-to-assess-remotely': 'Unable to assess remotely: see face to face',
};

export const outcomeKinds = Object.keys(outcomeLabels) as OutcomeKind[];

const MODE: Record<string, string> = { 'in-person': 'in person', phone: 'by phone', video: 'by video' };
const MORE_INFO: Record<string, string> = {
  dermoscopy: 'dermoscopy image',
  scale: 'image with a scale',
  'close-up': 'lesion close-up',
  overview: 'overview (locating) image',
  history: 'history item',
};

/** One sentence describing the outcome with its details, for the letter and the signed view. */
export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'discharge':
      return 'Discharged back to your care with the advice and treatment plan below.';
    case 'routine-face-to-face':
      return `Routine ${outcome.clinic === 'subspecialty' && outcome.subspecialty ? `${outcome.subspecialty} subspecialty` : 'general dermatology'} appointment, ${MODE[outcome.mode]}.`;
    case 'urgent-face-to-face':
      return `Urgent dermatology appointment, ${MODE[outcome.mode]}.`;
    case 'suspected-cancer-pathway':
      return 'Accepted on the suspected cancer pathway; the patient will be seen urgently.';
    case 'procedure-list':
      return `Listed directly for ${outcome.procedure === 'biopsy' ? 'biopsy' : 'skin surgery'} (${outcome.urgency}).`;
    case 'onward-referral':
      return `Onward referral to ${outcome.specialty}.`;
    case 'teledermatology-follow-up':
      return `Teledermatology follow-up: please re-photograph the lesion in ${outcome.weeks} week${outcome.weeks === 1 ? '' : 's'} and resubmit.`;
    case 'more-information':
      return `More information needed before triage: ${outcome.requests.map((r) => MORE_INFO[r] ?? r).join(', ')}. ${outcome.detail}`;
    case 'unable-to-assess-remotely':
      return 'Unable to assess remotely; the patient will be seen face to face.';
  }
}
