import type { DecisionIssue } from '../../../../shared/contract/sync-methods';

/** Decisions the hub did not accept: never hidden, each with the hub's reason. */
export function DecisionIssues(props: { issues: DecisionIssue[] }): React.JSX.Element | null {
  if (props.issues.length === 0) return null;
  return (
    <details className="sync-issues" data-testid="sync-issues">
      <summary>
        {props.issues.length} decision{props.issues.length === 1 ? '' : 's'} need{props.issues.length === 1 ? 's' : ''}{' '}
        your attention
      </summary>
      <ul>
        {props.issues.map((i) => (
          <li key={i.decisionId} data-state={i.state}>
            <strong>{i.state === 'needs-review' ? 'Needs review' : 'Rejected'}</strong>: {i.patientName}. {i.note}
          </li>
        ))}
      </ul>
    </details>
  );
}
