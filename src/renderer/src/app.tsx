import { useState } from 'react';
import { CasePane } from './features/case/case-pane';
import { StatusBar } from './features/status-bar/status-bar';
import { WorklistPane } from './features/worklist/worklist-pane';

/** The consultant's shell: worklist on the left, the selected case on the right, status along the bottom. */
export function App(): React.JSX.Element {
  const [selectedCaseId, setSelectedCaseId] = useState<string | null>(null);
  return (
    <div className="shell">
      <a className="skip-link" href="#case-pane">
        Skip to case
      </a>
      <main className="shell-main">
        <WorklistPane selectedCaseId={selectedCaseId} onSelect={setSelectedCaseId} />
        <CasePane caseId={selectedCaseId} />
      </main>
      <StatusBar />
    </div>
  );
}
