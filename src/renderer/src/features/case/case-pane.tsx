import { useCallback, useEffect, useState } from 'react';
import type { CaseDetailData } from '../../../../shared/contract/case-methods';
import { api, errorMessage } from '../../api/client';
import { CaseView } from './case-view';

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string; key: string }
  | { status: 'ready'; detail: CaseDetailData; key: string };

/** The selected case: the referral as a consultant reads it, its images, and the decision form. */
export function CasePane(props: { caseId: string | null; onCaseClosed: () => void }): React.JSX.Element {
  const [loaded, setLoad] = useState<Load>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const key = `${props.caseId ?? ''}#${tick}`;
  // A result for another case (or an older reload) reads as loading, never as this case.
  const load: Load = loaded.status !== 'loading' && loaded.key === key ? loaded : { status: 'loading' };

  // The referrer's answer arrived while this case is open: show it (the case is back to triage).
  const open = props.caseId;
  useEffect(() => api.on('case.answered', (e) => e.caseId === open && reload()), [open, reload]);

  useEffect(() => {
    if (!props.caseId) return;
    let live = true;
    api.call('case.get', { caseId: props.caseId }).then(
      (detail) => live && setLoad({ status: 'ready', detail, key }),
      (e: unknown) => live && setLoad({ status: 'error', message: errorMessage(e), key }),
    );
    return () => {
      live = false;
    };
  }, [props.caseId, key]);

  return (
    <section id="case-pane" className="case-pane" aria-label="Case" tabIndex={-1}>
      {props.caseId === null ? (
        <div className="empty-state" data-testid="case-empty">
          <h2>No case open</h2>
          <p>Choose a case from the worklist (↑/↓ then Enter) to read the referral and see its images.</p>
          <p>
            Press <kbd>?</kbd> for every keyboard shortcut, <kbd>Ctrl+K</kbd> for the command palette.
          </p>
        </div>
      ) : load.status === 'loading' ? (
        <p className="empty-state">Opening the case…</p>
      ) : load.status === 'error' ? (
        <p className="error-state" role="alert">
          Could not open this case: {load.message}
        </p>
      ) : (
        <CaseView
          key={load.detail.record.id}
          detail={load.detail}
          onChanged={reload}
          onCaseClosed={props.onCaseClosed}
        />
      )}
    </section>
  );
}
