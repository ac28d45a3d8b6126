import { outcomeLabels } from '../../../../shared/domain/outcome-labels';
import type { PriorCaseData } from './prior-compare';

/** The earlier case's date and what was decided then (or that nothing was decided here). */
export function priorOutcomeText(prior: PriorCaseData): string {
  const received = `Earlier case received ${prior.receivedAt.slice(0, 10)}`;
  if (!prior.outcome)
    return `${received}: ${prior.source === 'hub' ? 'no decision signed' : 'no decision recorded on this workstation'}`;
  const diagnosis = prior.outcome.diagnosis ? ` (${prior.outcome.diagnosis})` : '';
  const by = prior.outcome.signedBy ? ` by ${prior.outcome.signedBy}` : '';
  return `${received}: ${outcomeLabels[prior.outcome.kind]}${diagnosis}, decided ${prior.outcome.signedAt.slice(0, 10)}${by}`;
}

export function PriorOutcome(props: { prior: PriorCaseData; onStop(): void }): React.JSX.Element {
  return (
    <p className="prior-outcome" data-testid="prior-outcome">
      <span>{priorOutcomeText(props.prior)}</span>
      <button type="button" onClick={props.onStop}>
        Stop comparing
      </button>
    </p>
  );
}
