import type { DecisionContent, Outcome, OutcomeKind } from './decision';

/**
 * What a signed outcome asks the GP practice to do, as data. One list feeds the letter's
 * "Actions for the GP", the practice inbox, the FHIR Tasks and the failsafe, so they can never
 * disagree about what the practice owes.
 */
export interface PracticeAction {
  /** Stable within one decision (the FHIR Task id is `<decisionId>-<code>`). */
  code: PracticeActionCode;
  text: string;
  /** FHIR Task.priority. */
  priority: 'routine' | 'urgent' | 'asap';
}

export const practiceActionCodes = [
  'arrange-appointment',
  'urgent-appointment',
  'suspected-cancer',
  'procedure-list',
  'onward-referral',
  'send-information',
  'review-downgrade',
  'follow-plan',
  'rephotograph',
] as const;
export type PracticeActionCode = (typeof practiceActionCodes)[number];

/**
 * Outcomes whose action a person at the practice must acknowledge (the failsafe): the patient
 * has to be seen, listed, referred on, or the referral is stuck until the practice answers.
 */
const FAILSAFE_KINDS: ReadonlySet<OutcomeKind> = new Set([
  'routine-face-to-face',
  'urgent-face-to-face',
  'suspected-cancer-pathway',
  'procedure-list',
  'onward-referral',
  'more-information',
  'unable-to-assess-remotely',
]);

/** True when the outcome stays open until someone at the practice acknowledges it. */
export function needsPracticeAction(content: Pick<DecisionContent, 'outcome' | 'downgradeAdvice'>): boolean {
  return FAILSAFE_KINDS.has(content.outcome.kind) || Boolean(content.downgradeAdvice?.trim());
}

function outcomeAction(outcome: Outcome): PracticeAction | null {
  switch (outcome.kind) {
    case 'routine-face-to-face':
    case 'unable-to-assess-remotely':
      return {
        code: 'arrange-appointment',
        text: 'Tell the patient that the dermatology service will offer a face-to-face appointment, and check that it is offered.',
        priority: 'routine',
      };
    case 'urgent-face-to-face':
      return {
        code: 'urgent-appointment',
        text: 'Tell the patient that they will be offered an urgent dermatology appointment, and make sure they attend.',
        priority: 'urgent',
      };
    case 'suspected-cancer-pathway':
      return {
        code: 'suspected-cancer',
        text: 'Tell the patient that they are on the suspected cancer pathway and will be seen within two weeks; safety-net until they are seen.',
        priority: 'asap',
      };
    case 'procedure-list':
      return {
        code: 'procedure-list',
        text: `Tell the patient that they will be called for ${outcome.procedure === 'biopsy' ? 'a biopsy' : 'skin surgery'} (${outcome.urgency}).`,
        priority: outcome.urgency === 'urgent' ? 'urgent' : 'routine',
      };
    case 'onward-referral':
      return {
        code: 'onward-referral',
        text: `Refer the patient to ${outcome.specialty}.`,
        priority: 'routine',
      };
    case 'more-information':
      return {
        code: 'send-information',
        text: 'Send the information or images requested so the consultant can triage the referral.',
        priority: 'routine',
      };
    case 'teledermatology-follow-up':
      return {
        code: 'rephotograph',
        text: `Re-photograph the lesion in ${outcome.weeks} week${outcome.weeks === 1 ? '' : 's'} and resubmit.`,
        priority: 'routine',
      };
    case 'discharge':
      return null;
  }
}

/** The actions the practice owes for this outcome, most important first; may be empty. */
export function practiceActions(
  content: Pick<DecisionContent, 'outcome' | 'downgradeAdvice' | 'plan'>,
): PracticeAction[] {
  const actions: PracticeAction[] = [];
  if (content.downgradeAdvice?.trim())
    actions.push({
      code: 'review-downgrade',
      text: 'Review the advice about your suspected-cancer referral: only you, as the referrer, can downgrade it.',
      priority: 'urgent',
    });
  const main = outcomeAction(content.outcome);
  if (main) actions.push(main);
  if (content.plan.firstLine.trim() || content.plan.adviceToGp.trim())
    actions.push({ code: 'follow-plan', text: 'Follow the management plan in this letter.', priority: 'routine' });
  return actions;
}
