import type { Referral } from './case';
import type { DecisionContent } from './decision';

/** A rule a decision breaks, with the form field to point at. */
export interface RuleViolation {
  field: string;
  message: string;
}

/**
 * The clinical rules a decision must satisfy before it can be signed. Pure: the form shows these
 * live, and signing enforces them again in core.
 */
export function decisionRuleViolations(referral: Referral, content: DecisionContent): RuleViolation[] {
  const violations: RuleViolation[] = [];
  if (!referral.consent?.given) {
    violations.push({
      field: 'consent',
      message: 'No recorded consent to the referral: the case cannot be triaged until the practice records it.',
    });
  }
  const suspectedCancer = referral.priority === 'suspected-cancer';
  const onPathway = content.outcome.kind === 'suspected-cancer-pathway';
  if (suspectedCancer && !onPathway && !content.downgradeAdvice?.trim()) {
    violations.push({
      field: 'downgradeAdvice',
      message:
        'This is a suspected-cancer referral. Only the referrer can downgrade it: record your advice to the referrer to downgrade.',
    });
  }
  if (!suspectedCancer && content.downgradeAdvice) {
    violations.push({
      field: 'downgradeAdvice',
      message: 'Downgrade advice applies only to suspected-cancer referrals.',
    });
  }
  if (onPathway && content.downgradeAdvice) {
    violations.push({
      field: 'downgradeAdvice',
      message: 'A case kept on the suspected-cancer pathway has no downgrade advice.',
    });
  }
  return violations;
}
