import { keyModeLabels } from './key-map';
import { useKeyMode, useLastKey } from './window-keyboard';

/**
 * Which keys are live, always on screen: "Worklist and decision keys" or "Image viewer keys",
 * with how to switch, and what the last key did ("r: Outcome: Routine face-to-face").
 */
export function KeyModeIndicator(): React.JSX.Element {
  const mode = useKeyMode();
  const last = useLastKey();
  return (
    <div className={`key-mode key-mode-${mode}`} data-testid="key-mode" data-mode={mode}>
      <span className="key-mode-name">
        <span aria-hidden="true">⌨ </span>
        {keyModeLabels[mode]}
      </span>
      <span className="key-mode-hint">
        {mode === 'viewer' ? (
          <>
            <kbd>F6</kbd> decision · <kbd>?</kbd> keys
          </>
        ) : (
          <>
            <kbd>i</kbd> images · <kbd>?</kbd> keys
          </>
        )}
      </span>
      <span className="key-mode-last" role="status" data-testid="key-mode-last">
        {last?.binding ? `${last.binding.display}: ${last.binding.label}` : ''}
      </span>
    </div>
  );
}
