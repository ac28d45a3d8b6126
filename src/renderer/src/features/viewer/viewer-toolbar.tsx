import type { WorkspaceAction, WorkspaceState } from '../../../../shared/domain/viewer/workspace-state';
import { adjustmentRanges } from '../../../../shared/domain/viewer/workspace-state';
import type { ViewerCommand } from '../../../../shared/domain/viewer/viewer-keys';
import { toolLabels } from '../../../../shared/domain/viewer/viewer-keys';
import type { Tool } from '../../../../shared/domain/viewer/gestures';
import { ExportStatus, type ExportState } from './use-annotated-export';

/**
 * The viewer's toolbar, drawn from the workspace state; every button runs the same command its
 * key does. Compact by design (at most two rows at 1280 px wide): the view, the tools, undo/redo
 * and the compare controls are always there; rarer actions and the display sliders sit in the
 * "More" menu. Each button's accessible name starts with its visible text and ends with its key.
 */
export function ViewerToolbar(props: {
  state: WorkspaceState;
  canRegister: boolean;
  registered: boolean;
  exportState: ExportState;
  dispatch(action: WorkspaceAction): void;
  run(command: ViewerCommand): void;
  reset(): void;
}): React.JSX.Element {
  const { state, dispatch, run } = props;
  return (
    <div className="viewer-toolbar" role="toolbar" aria-label="Viewer tools" data-testid="viewer-toolbar">
      <div className="group" role="group" aria-label="View">
        <KeyButton text="Fit" name="Fit" shortcut="0" onClick={() => run({ kind: 'fit' })} />
        <KeyButton text="1:1" name="1:1" shortcut="1" onClick={() => run({ kind: 'one-to-one' })} />
        <KeyButton text="+" name="Zoom in" shortcut="+" onClick={() => run({ kind: 'zoom', factor: 1.25 })} />
        <KeyButton text="−" name="Zoom out" shortcut="−" onClick={() => run({ kind: 'zoom', factor: 0.8 })} />
        <KeyButton text="Rotate" name="Rotate 90°" shortcut="R" onClick={() => run({ kind: 'rotate', steps: 1 })} />
      </div>
      <div className="group" role="radiogroup" aria-label="Marking tool">
        {(Object.keys(toolLabels) as Tool[]).map((t) => (
          <button
            key={t}
            type="button"
            role="radio"
            aria-checked={state.tool === t}
            className={state.tool === t ? 'selected' : ''}
            title={`${toolLabels[t].label} (${toolLabels[t].key})`}
            aria-label={`${toolLabels[t].label} (${toolLabels[t].key})`}
            onClick={() => dispatch({ type: 'tool', tool: t })}
          >
            {toolLabels[t].short} <kbd>{toolLabels[t].key}</kbd>
          </button>
        ))}
        {state.tool === 'text' && (
          <label className="text-label-input">
            Label text
            <input
              value={state.textLabel}
              maxLength={500}
              onChange={(e) => dispatch({ type: 'text-label', text: e.target.value })}
            />
          </label>
        )}
      </div>
      <div className="group" role="group" aria-label="Marks">
        <KeyButton text="Undo" name="Undo" shortcut="Ctrl+Z" onClick={() => run({ kind: 'undo' })} />
        <KeyButton text="Redo" name="Redo" shortcut="Ctrl+Shift+Z" onClick={() => run({ kind: 'redo' })} />
      </div>
      {state.count > 1 && (
        <div className="group" role="group" aria-label="Compare">
          <label title="Zoom and pan all images together (L)">
            <input
              type="checkbox"
              checked={state.locked}
              aria-label="Lock zoom and pan (L)"
              onChange={(e) => dispatch({ type: 'lock', on: e.target.checked })}
            />{' '}
            Lock <kbd>L</kbd>
          </label>
          {props.canRegister && (
            <>
              <button
                type="button"
                aria-pressed={state.overlayMode === 'register'}
                title="Pick 2-3 matching landmarks on each image, then blink or swipe"
                onClick={() => dispatch({ type: 'register' })}
              >
                {state.overlayMode === 'register' ? 'Done picking' : 'Register'}
              </button>
              <button
                type="button"
                disabled={!props.registered}
                aria-pressed={state.overlayMode === 'blink'}
                onClick={() => dispatch({ type: 'overlay', mode: 'blink' })}
              >
                Blink
              </button>
              <button
                type="button"
                disabled={!props.registered}
                aria-pressed={state.overlayMode === 'swipe'}
                onClick={() => dispatch({ type: 'overlay', mode: 'swipe' })}
              >
                Swipe
              </button>
              {state.overlayMode === 'swipe' && (
                <label>
                  Split
                  <input
                    type="range"
                    min={0}
                    max={1}
                    step={0.01}
                    value={state.split}
                    onChange={(e) => dispatch({ type: 'split', value: Number(e.target.value) })}
                  />
                </label>
              )}
            </>
          )}
        </div>
      )}
      <MoreMenu {...props} />
      <ExportStatus state={props.exportState} />
    </div>
  );
}

/** Rarer actions and the display sliders, in a disclosure that opens over the image. */
function MoreMenu(props: Parameters<typeof ViewerToolbar>[0]): React.JSX.Element {
  const { state, dispatch, run } = props;
  return (
    <details className="viewer-more">
      <summary title="Reset, pixels, delete, export, brightness, contrast, gamma">More</summary>
      <div className="viewer-more-panel" role="group" aria-label="More viewer actions">
        <KeyButton text="Reset" name="Reset" shortcut="Home" onClick={props.reset} />
        <label title="Show image pixels as squares when magnified beyond 1:1 (P)">
          <input
            type="checkbox"
            checked={state.pixelated}
            onChange={(e) => dispatch({ type: 'pixelated', on: e.target.checked })}
          />{' '}
          Pixels <kbd>P</kbd>
        </label>
        <KeyButton text="Delete mark" name="Delete mark" shortcut="Del" onClick={() => run({ kind: 'delete-mark' })} />
        <KeyButton text="Export PNG" name="Export PNG" shortcut="Ctrl+S" onClick={() => run({ kind: 'export' })} />
        <div role="group" aria-label="Display adjustments" className="adjustments">
          {(['brightness', 'contrast', 'gamma'] as const).map((a) => (
            <label key={a}>
              {a[0]?.toUpperCase() + a.slice(1)}
              <input
                type="range"
                min={adjustmentRanges[a].min}
                max={adjustmentRanges[a].max}
                step={0.05}
                value={state.adjustments[a]}
                onChange={(e) => dispatch({ type: 'adjust', key: a, value: Number(e.target.value) })}
              />
            </label>
          ))}
        </div>
      </div>
    </details>
  );
}

function KeyButton(props: { text: string; name: string; shortcut: string; onClick(): void }): React.JSX.Element {
  const label = `${props.name} (${props.shortcut})`;
  return (
    <button type="button" title={label} aria-label={label} onClick={props.onClick}>
      {props.text}
      {props.text !== props.shortcut && (
        <>
          {' '}
          <kbd>{props.shortcut}</kbd>
        </>
      )}
    </button>
  );
}
