import { useEffect, useRef } from 'react';

/** Signing is final (amendments are new versions), so it takes one deliberate confirmation. */
export function ConfirmSignDialog(props: {
  summary: string;
  amendment: boolean;
  busy: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}): React.JSX.Element {
  const signRef = useRef<HTMLButtonElement>(null);
  useEffect(() => signRef.current?.focus(), []);
  return (
    <div className="overlay" role="presentation">
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="sign-title"
        aria-describedby="sign-summary"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            props.onCancel();
          }
        }}
      >
        <h2 id="sign-title">{props.amendment ? 'Sign this amendment?' : 'Sign this decision?'}</h2>
        <p id="sign-summary">{props.summary}</p>
        <p className="muted">Once signed it is frozen; a change later is an amendment that references it.</p>
        {props.error && (
          <p className="error-state" role="alert">
            {props.error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={props.onCancel}>
            Cancel (Esc)
          </button>
          <button ref={signRef} type="button" className="primary" disabled={props.busy} onClick={props.onConfirm}>
            Sign (Enter)
          </button>
        </div>
      </div>
    </div>
  );
}
