/** The selected case. Until one is chosen it says how to choose one. */
export function CasePane(props: { caseId: string | null }): React.JSX.Element {
  return (
    <section id="case-pane" className="case-pane" aria-label="Case" tabIndex={-1}>
      {props.caseId === null ? (
        <div className="empty-state" data-testid="case-empty">
          <h2>No case open</h2>
          <p>Choose a case from the worklist (↑/↓ then Enter) to read the referral and see its images.</p>
        </div>
      ) : (
        <div data-testid="case-selected">Case {props.caseId}</div>
      )}
    </section>
  );
}
