import { useEffect, useRef } from 'react';
import { bindingsFor, keyModeLabels, widgetKeys, type KeyMode } from './key-map';
import { viewerKeyBindings } from '../../../../shared/domain/viewer/viewer-keys';

/**
 * The keyboard shortcuts sheet ("?"): the keys of each mode side by side, so a letter that means
 * one thing on the form and another in the viewer is listed under both, with the mode named.
 */
export function ShortcutsSheet(props: { onClose: () => void }): React.JSX.Element {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  const column = (mode: KeyMode): { display: string; label: string }[] =>
    mode === 'case'
      ? [...bindingsFor('case'), ...widgetKeys]
      : [...viewerKeyBindings.map((k) => ({ display: k.keys, label: k.does })), ...bindingsFor('viewer')];
  return (
    <div className="overlay" role="presentation" onClick={props.onClose}>
      <div
        className="dialog shortcuts-sheet"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            props.onClose();
          }
        }}
      >
        <header className="dialog-header">
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          <button ref={closeRef} type="button" onClick={props.onClose}>
            Close (Esc)
          </button>
        </header>
        <p className="muted">
          Keys follow the focus: on the worklist, the referral or the form they are the first column; once you click an
          image or press <kbd>i</kbd> they are the viewer's. The bar at the bottom left says which.
        </p>
        <div className="shortcut-groups">
          {(['case', 'viewer'] as const).map((mode) => (
            <section key={mode} aria-label={keyModeLabels[mode]} data-testid={`shortcuts-${mode}`}>
              <h3>{keyModeLabels[mode]}</h3>
              <dl>
                {column(mode).map((s) => (
                  <div key={s.display + s.label} className="shortcut-row">
                    <dt>
                      <kbd>{s.display}</kbd>
                    </dt>
                    <dd>{s.label}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}
