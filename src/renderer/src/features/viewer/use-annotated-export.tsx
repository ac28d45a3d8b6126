import { useCallback, useRef, useState } from 'react';
import { api, errorMessage } from '../../api/client';

export type ExportState =
  | { kind: 'idle' }
  | { kind: 'running'; label: string }
  | { kind: 'done'; path: string; width: number; height: number }
  | { kind: 'failed'; message: string };

/**
 * "Export PNG" through the core (images.exportAnnotated): the full-resolution original, upright,
 * with the stored marks burnt in, written to the export folder and audited. The renderer only asks
 * and reports; it never holds the plaintext file. One export at a time: a 48 MP export takes seconds.
 */
export function useAnnotatedExport(caseId: string): {
  state: ExportState;
  start(label: string, marksSaved: () => Promise<string>): void;
} {
  const [state, setState] = useState<ExportState>({ kind: 'idle' });
  const running = useRef(false);
  const start = useCallback(
    (label: string, marksSaved: () => Promise<string>) => {
      if (running.current) return;
      running.current = true;
      setState({ kind: 'running', label });
      // The core burns in the marks it has stored, so wait for the last edit's save first.
      marksSaved()
        .then((sha256) => api.call('images.exportAnnotated', { caseId, sha256 }))
        .then(
          (out) => setState({ kind: 'done', path: out.path, width: out.width, height: out.height }),
          (e: unknown) =>
            setState({
              kind: 'failed',
              message: errorMessage(e, 'The export failed. Try again; if it fails again, report it.'),
            }),
        )
        .finally(() => {
          running.current = false;
        });
    },
    [caseId],
  );
  return { state, start };
}

/** The export's progress and outcome, in a live region that exists before anything is announced. */
export function ExportStatus(props: { state: ExportState }): React.JSX.Element {
  const { state } = props;
  return (
    <span role="status" aria-live="polite" className="viewer-message" data-testid="export-status">
      {state.kind === 'running' && (
        <>
          <progress aria-label={`Exporting ${state.label}`} /> Exporting {state.label} at full resolution…
        </>
      )}
      {state.kind === 'done' && (
        <>
          Exported to <span data-testid="export-path">{state.path}</span>
        </>
      )}
      {state.kind === 'failed' && <span className="viewer-error">Export failed: {state.message}</span>}
    </span>
  );
}
