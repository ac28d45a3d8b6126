import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CaseSummary } from '../../../../shared/domain/case';
import { api } from '../../api/client';
import { useApi } from '../../use-api';

const PRIORITY_LABEL: Record<CaseSummary['priority'], string> = {
  'suspected-cancer': 'Suspected cancer',
  urgent: 'Urgent',
  routine: 'Routine',
};

/** The consultant's queue: most urgent first; arrow keys move, Enter opens. */
export function WorklistPane(props: {
  selectedCaseId: string | null;
  onSelect: (id: string) => void;
}): React.JSX.Element {
  const [search, setSearch] = useState('');
  const [state, reload] = useApi('worklist.list', { search: search || undefined, limit: 200, offset: 0 }, [search]);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => api.on('worklist.changed', reload), [reload]);

  const cases = state.status === 'ready' ? state.value.cases : [];
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>): void => {
    const index = cases.findIndex((c) => c.id === props.selectedCaseId);
    const move = e.key === 'ArrowDown' || e.key === 'j' ? 1 : e.key === 'ArrowUp' || e.key === 'k' ? -1 : 0;
    if (move === 0 || cases.length === 0) return;
    e.preventDefault();
    const next = cases[Math.min(cases.length - 1, Math.max(0, index + move))];
    if (next) props.onSelect(next.id);
  };

  return (
    <section className="worklist-pane" aria-labelledby="worklist-heading">
      <header className="pane-header">
        <h1 id="worklist-heading">Worklist</h1>
        <input
          type="search"
          aria-label="Search cases by patient, NHS number or practice"
          placeholder="Search (/)"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </header>
      {state.status === 'loading' && <p className="empty-state">Loading cases…</p>}
      {state.status === 'error' && (
        <p className="error-state" role="alert">
          Could not load the worklist: {state.message}
        </p>
      )}
      {state.status === 'ready' && cases.length === 0 && (
        <div className="empty-state" data-testid="worklist-empty">
          <p>{search ? 'No cached case matches your search.' : 'No cases on this workstation yet.'}</p>
          {!search && <p>Sync with the referral hub to claim a batch of cases.</p>}
        </div>
      )}
      {cases.length > 0 && (
        <ul className="worklist" role="listbox" aria-label="Cases" tabIndex={0} ref={listRef} onKeyDown={onKeyDown}>
          {cases.map((c) => (
            <li
              key={c.id}
              role="option"
              aria-selected={c.id === props.selectedCaseId}
              className={`worklist-row priority-${c.priority}${c.overdue ? ' overdue' : ''}`}
              onClick={() => props.onSelect(c.id)}
            >
              <span className="row-name">{c.patientName}</span>
              <span className="row-priority">{PRIORITY_LABEL[c.priority]}</span>
              <span className="row-due">{c.overdue ? `Overdue (due ${c.dueOn})` : `Due ${c.dueOn}`}</span>
              <span className="row-complaint">{c.presentingComplaint}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
