import { useEffect, useRef } from 'react';
import { shortcuts } from './shortcuts';

/** The keyboard shortcuts sheet ("?"): every shortcut, grouped. */
export function ShortcutsSheet(props: { onClose: () => void }): React.JSX.Element {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  const groups = ['Worklist', 'Decision', 'Case', 'App'] as const;
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
        <div className="shortcut-groups">
          {groups.map((g) => (
            <section key={g} aria-label={`${g} shortcuts`}>
              <h3>{g}</h3>
              <dl>
                {shortcuts
                  .filter((s) => s.group === g)
                  .map((s) => (
                    <div key={s.keys + s.label} className="shortcut-row">
                      <dt>
                        <kbd>{s.keys}</kbd>
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
