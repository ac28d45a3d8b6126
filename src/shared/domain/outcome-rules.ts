import type { Referral } from './case';
import type { DecisionContent } from './decision';

/** The closed list of clinical rules a decision can break (the hub answers 422 with the code). */
export const decisionRuleCodes = [
  'consent-not-recorded',
  'downgrade-advice-required',
  'downgrade-advice-not-applicable',
  'downgrade-advice-on-pathway',
  'outcome-incomplete',
] as const;
export type DecisionRuleCode = (typeof decisionRuleCodes)[number];

/** A rule a decision breaks, with the form field to point at. */
export interface RuleViolation {
  code: DecisionRuleCode;
  field: string;
  message: string;
}

/**
 * The clinical rules a decision must satisfy before it can be signed. Pure: the form shows these
 * live, signing enforces them again in core, and the hub re-checks every decision it is sent
 * (a workstation, or anything speaking its API, is not trusted to have run them).
 */
export function decisionRuleViolations(referral: Referral, content: DecisionContent): RuleViolation[] {
  const violations: RuleViolation[] = [];
  if (!referral.consent?.given) {
    violations.push({
      code: 'consent-not-recorded',
      field: 'consent',
      message: 'No recorded consent to the referral: the case cannot be triaged until the practice records it.',
    });
  }
  const suspectedCancer = referral.priority === 'suspected-cancer';
  const onPathway = content.outcome.kind === 'suspected-cancer-pathway';
  if (suspectedCancer && !onPathway && !content.downgradeAdvice?.trim()) {
    violations.push({
      code: 'downgrade-advice-required',
      field: 'downgradeAdvice',
      message:
        'This is a suspected-cancer referral. Only the referrer can downgrade it: record your advice to the referrer to downgrade.',
    });
  }
  if (!suspectedCancer && content.downgradeAdvice) {
    violations.push({
      code: 'downgrade-advice-not-applicable',
      field: 'downgradeAdvice',
      message: 'Downgrade advice applies only to suspected-cancer referrals.',
    });
  }
  if (onPathway && content.downgradeAdvice) {
    violations.push({
      code: 'downgrade-advice-on-pathway',
      field: 'downgradeAdvice',
      message: 'A case kept on the suspected-cancer pathway has no downgrade advice.',
    });
  }
  const incomplete = incompleteOutcome(content.outcome);
  if (incomplete) violations.push({ code: 'outcome-incomplete', ...incomplete });
  return violations;
}

/**
 * Details an outcome needs that its schema alone lets through blank (whitespace is not a clinic,
 * a specialty or a request). The decision form builds the same shape (decision-form.ts), so a
 * decision from the form never breaks these; a hand-made upload can.
 */
function incompleteOutcome(outcome: DecisionContent['outcome']): { field: string; message: string } | null {
  switch (outcome.kind) {
    case 'routine-face-to-face':
      if (outcome.clinic === 'subspecialty' && !outcome.subspecialty?.trim())
        return { field: 'subspecialty', message: 'Name the subspecialty clinic.' };
      return null;
    case 'onward-referral':
      return outcome.specialty.trim() ? null : { field: 'specialty', message: 'Say which specialty to refer on to.' };
    case 'more-information':
      return outcome.detail.trim() ? null : { field: 'detail', message: 'Say exactly what the referrer should send.' };
    default:
      return null;
  }
}
