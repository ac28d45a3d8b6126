import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { Point } from '../../../../shared/domain/viewer/annotations';
import type { RelativeView, Rotation } from '../../../../shared/domain/viewer/camera';
import { viewerCommandFor, type ViewerCommand } from '../../../../shared/domain/viewer/viewer-keys';
import {
  initialWorkspace,
  overlayTransform,
  workspaceReducer,
  type WorkspaceState,
} from '../../../../shared/domain/viewer/workspace-state';
import type { Overlay } from './draw-image-layer';
import { ImageViewer, type ImageViewerHandle } from './image-viewer';
import { useAnnotatedExport } from './use-annotated-export';
import { ViewerToolbar } from './viewer-toolbar';
import type { ViewerImage } from './viewer-types';

const BLINK_MS = 600;

/**
 * One to four images side by side with one toolbar. The workspace's state (tool, lock, active
 * image, blink/swipe) is a pure reducer (shared/domain/viewer/workspace-state.ts) and its keys a
 * pure key map (viewer-keys.ts); each image's camera and gestures are its own ViewerController.
 * This component wires them together and renders. Keys are read here, on the focused workspace
 * (never on the window), and a key the viewer used is marked handled so the window's map skips it.
 * Keyed by its images by the caller, so a new set starts fresh (no stale landmarks).
 */
export function ViewerWorkspace(props: {
  caseId: string;
  images: readonly ViewerImage[];
  /** The window's warm-up run (see viewer-warm-up.tsx). */
  warmUp?: boolean;
}): React.JSX.Element {
  const { images } = props;
  const [state, dispatch] = useReducer(workspaceReducer, images.length, initialWorkspace);
  const exporter = useAnnotatedExport(props.caseId);
  const handles = useRef<(ImageViewerHandle | null)[]>([]);
  const stateRef = useRef<WorkspaceState>(state);
  useEffect(() => {
    stateRef.current = state;
  });

  const transform = useMemo(() => overlayTransform(state), [state.picks]); // eslint-disable-line react-hooks/exhaustive-deps -- depends on the picks only
  useEffect(() => {
    if (state.overlayMode !== 'blink') return;
    const timer = setInterval(() => dispatch({ type: 'blink-tick' }), BLINK_MS);
    return () => clearInterval(timer);
  }, [state.overlayMode]);

  const second = images[1];
  const overlay: Overlay | null = useMemo(
    () =>
      (state.overlayMode === 'blink' || state.overlayMode === 'swipe') && transform && second
        ? {
            image: second,
            transform,
            mode: state.overlayMode,
            visible: state.overlayMode === 'swipe' || state.blinkOn,
            split: state.split,
          }
        : null,
    [state.overlayMode, state.blinkOn, state.split, transform, second],
  );

  // A locked group follows whichever image the consultant moved.
  const onCamera = useCallback((from: number, rel: RelativeView, rotation: Rotation) => {
    if (!stateRef.current.locked) return;
    handles.current.forEach((h, i) => {
      if (i !== from && h) h.controller.setRelative(rel, rotation);
    });
  }, []);

  const { start: startExport } = exporter;
  const run = useCallback(
    (command: ViewerCommand) => {
      const s = stateRef.current;
      const h = handles.current[s.active];
      if (command.kind === 'workspace') return dispatch(command.action);
      if (!h) return;
      const c = h.controller;
      switch (command.kind) {
        case 'fit':
          return c.fit();
        case 'one-to-one':
          return c.oneToOne();
        case 'zoom':
          return c.zoomBy(command.factor);
        case 'rotate':
          return c.rotate(command.steps);
        case 'pan':
          return c.pan(command.dx, command.dy);
        case 'undo':
          return h.undo();
        case 'redo':
          return h.redo();
        case 'delete-mark':
          return h.deleteSelected();
        case 'export': {
          const image = images[s.active];
          if (image) startExport(image.label, () => h.marksSaved());
          return;
        }
      }
    },
    [images, startExport],
  );

  // Reset is fit + neutral adjustments: on every image when locked, else on the active one.
  const reset = useCallback(() => {
    dispatch({ type: 'reset-adjustments' });
    const s = stateRef.current;
    handles.current.forEach((h, i) => {
      if (s.locked || i === s.active) h?.controller.fit();
    });
  }, []);

  const onKeyDown = (e: React.KeyboardEvent): void => {
    if ((e.target as HTMLElement).closest('input, textarea, select')) return;
    const command = viewerCommandFor(e, images.length);
    if (!command) return;
    e.preventDefault();
    run(command);
  };

  const registering = state.overlayMode === 'register';
  return (
    <div
      className="viewer-workspace"
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-key-mode="viewer"
      aria-label="Image viewer. Shortcuts: + and − zoom, 0 fit, 1 one-to-one, R rotate, arrows pan."
      data-testid={props.warmUp ? undefined : 'viewer-workspace'}
    >
      <ViewerToolbar
        state={state}
        canRegister={images.length === 2}
        registered={transform !== null}
        exportState={exporter.state}
        dispatch={dispatch}
        run={run}
        reset={reset}
      />
      {registering && (
        <p className="register-hint" role="status">
          Click the same landmark on each image in turn ({state.picks[0].length} on the first, {state.picks[1].length}{' '}
          on the second; 2-3 pairs).
        </p>
      )}
      <div className={`viewer-grid count-${overlay ? 1 : images.length}`}>
        {images.map((image, i) =>
          overlay && i === 1 ? null : (
            <ImageViewer
              key={image.sha256}
              ref={(h) => {
                handles.current[i] = h;
              }}
              viewerId={props.warmUp ? `warm-v${i}` : `v${i}`}
              warmUp={props.warmUp}
              image={image}
              tool={state.tool}
              textLabel={state.textLabel}
              pixelated={state.pixelated}
              adjustments={state.adjustments}
              overlay={i === 0 ? overlay : null}
              active={i === state.active}
              onActivate={() => dispatch({ type: 'activate', index: i })}
              onCamera={(rel, rotation) => onCamera(i, rel, rotation)}
              {...(registering && i < 2
                ? {
                    pickedPoints: state.picks[i as 0 | 1],
                    onPickPoint: (point: Point) => dispatch({ type: 'pick', index: i as 0 | 1, point }),
                  }
                : {})}
            />
          ),
        )}
      </div>
    </div>
  );
}
