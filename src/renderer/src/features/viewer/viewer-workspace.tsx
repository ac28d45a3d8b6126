import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Point } from '../../../../shared/domain/viewer/annotations';
import type { RelativeView, Rotation } from '../../../../shared/domain/viewer/camera';
import { registerPoints } from '../../../../shared/domain/viewer/registration';
import type { Overlay } from './draw-image-layer';
import { ImageViewer, type ImageViewerHandle } from './image-viewer';
import { ExportStatus, useAnnotatedExport } from './use-annotated-export';
import { neutralAdjustments, toolLabels, type Adjustments, type Tool, type ViewerImage } from './viewer-types';

type OverlayMode = 'off' | 'register' | 'blink' | 'swipe';

/**
 * One to four images side by side with one toolbar. Keyboard shortcuts act on the active viewer
 * (or all of them when zoom/pan is locked). Blink and swipe overlay the second image on the first
 * after the consultant has picked 2-3 matching landmarks on each.
 */
/** Keyed by its images by the caller, so a new set starts fresh (no stale landmarks). */
export function ViewerWorkspace(props: {
  caseId: string;
  images: readonly ViewerImage[];
  /** The window's warm-up run (see viewer-warm-up.tsx). */
  warmUp?: boolean;
}): React.JSX.Element {
  const { images } = props;
  const [tool, setTool] = useState<Tool>('select');
  const [textLabel, setTextLabel] = useState('');
  const [pixelated, setPixelated] = useState(true);
  const [adjustments, setAdjustments] = useState<Adjustments>(neutralAdjustments);
  const [locked, setLocked] = useState(true);
  const [active, setActive] = useState(0);
  const [overlayMode, setOverlayMode] = useState<OverlayMode>('off');
  const [picks, setPicks] = useState<[Point[], Point[]]>([[], []]);
  const [blinkOn, setBlinkOn] = useState(true);
  const [split, setSplit] = useState(0.5);
  const exporter = useAnnotatedExport(props.caseId);
  const handles = useRef<(ImageViewerHandle | null)[]>([]);
  const rootRef = useRef<HTMLDivElement>(null);

  const transform = useMemo(() => {
    const [a, b] = picks;
    return a.length >= 2 && b.length >= a.length ? registerPoints(b.slice(0, a.length), a) : null;
  }, [picks]);

  useEffect(() => {
    if (overlayMode !== 'blink') return;
    const timer = setInterval(() => setBlinkOn((v) => !v), 600);
    return () => clearInterval(timer);
  }, [overlayMode]);

  const overlay: Overlay | null =
    (overlayMode === 'blink' || overlayMode === 'swipe') && transform && images[1]
      ? { image: images[1], transform, mode: overlayMode, visible: overlayMode === 'swipe' || blinkOn, split }
      : null;

  const targets = useCallback(
    (all: boolean): ImageViewerHandle[] =>
      (all && locked ? handles.current : [handles.current[active] ?? null]).filter(
        (h): h is ImageViewerHandle => h !== null,
      ),
    [active, locked],
  );

  const onCamera = useCallback(
    (from: number, rel: RelativeView, rotation: Rotation) => {
      if (!locked) return;
      handles.current.forEach((h, i) => {
        if (i !== from && h) h.setRelative(rel, rotation);
      });
    },
    [locked],
  );

  const act = useCallback(
    (action: (h: ImageViewerHandle) => void) => {
      const first = targets(false)[0];
      if (first) action(first);
    },
    [targets],
  );

  const { start: startExport } = exporter;
  const exportActive = useCallback(() => {
    const h = handles.current[active];
    const image = images[active];
    if (h && image) startExport(image.label, () => h.marksSaved());
  }, [active, images, startExport]);

  const onKeyDown = (e: React.KeyboardEvent): void => {
    if ((e.target as HTMLElement).closest('input, textarea, select')) return;
    const mod = e.ctrlKey || e.metaKey;
    const k = e.key;
    let handled = true;
    if (mod && k.toLowerCase() === 'z') act((h) => (e.shiftKey ? h.redo() : h.undo()));
    else if (mod && k.toLowerCase() === 'y') act((h) => h.redo());
    else if (mod && k.toLowerCase() === 's') exportActive();
    else if (mod) handled = false;
    else if (k === '+' || k === '=') act((h) => h.zoomBy(1.25));
    else if (k === '-' || k === '_') act((h) => h.zoomBy(0.8));
    else if (k === '0') act((h) => h.fit());
    else if (k === '1') act((h) => h.oneToOne());
    else if (k === 'r' || k === 'R') act((h) => h.rotate(e.shiftKey ? -1 : 1));
    else if (k === 'Home') act((h) => h.fit());
    else if (k === 'ArrowLeft') act((h) => h.pan(e.shiftKey ? 200 : 60, 0));
    else if (k === 'ArrowRight') act((h) => h.pan(e.shiftKey ? -200 : -60, 0));
    else if (k === 'ArrowUp') act((h) => h.pan(0, e.shiftKey ? 200 : 60));
    else if (k === 'ArrowDown') act((h) => h.pan(0, e.shiftKey ? -200 : -60));
    else if (k === 'Delete' || k === 'Backspace') act((h) => h.deleteSelected());
    else if (k === 'p' || k === 'P') setPixelated((v) => !v);
    else if (k === 'l' || k === 'L') setLocked((v) => !v);
    else if (k === 'Escape') setTool('select');
    else if (k === 'Tab' && images.length > 1 && !e.shiftKey) {
      setActive((a) => (a + 1) % images.length);
    } else {
      const match = (Object.keys(toolLabels) as Tool[]).find(
        (t) => toolLabels[t].key.toLowerCase() === k.toLowerCase(),
      );
      if (match) setTool(match);
      else handled = false;
    }
    if (handled) e.preventDefault();
  };

  // Reset is fit + upright + neutral adjustments.
  const reset = (): void => {
    setAdjustments(neutralAdjustments);
    for (const h of targets(true)) h.fit();
  };

  return (
    <div
      ref={rootRef}
      className="viewer-workspace"
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-label="Image viewer. Shortcuts: + and − zoom, 0 fit, 1 one-to-one, R rotate, arrows pan."
      data-testid={props.warmUp ? undefined : 'viewer-workspace'}
    >
      <div className="viewer-toolbar" role="toolbar" aria-label="Viewer tools">
        <div className="group" role="group" aria-label="View">
          <ShortcutButton label="Fit" shortcut="0" onClick={() => act((h) => h.fit())} />
          <ShortcutButton label="1:1" shortcut="1" onClick={() => act((h) => h.oneToOne())} />
          <ShortcutButton label="Zoom in" shortcut="+" onClick={() => act((h) => h.zoomBy(1.25))} />
          <ShortcutButton label="Zoom out" shortcut="−" onClick={() => act((h) => h.zoomBy(0.8))} />
          <ShortcutButton label="Rotate 90°" shortcut="R" onClick={() => act((h) => h.rotate(1))} />
          <ShortcutButton label="Reset" shortcut="Home" onClick={reset} />
          <label title="Show image pixels as squares when magnified beyond 1:1 (P)">
            <input type="checkbox" checked={pixelated} onChange={(e) => setPixelated(e.target.checked)} /> Pixels{' '}
            <kbd>P</kbd>
          </label>
        </div>
        <div className="group" role="radiogroup" aria-label="Marking tool">
          {(Object.keys(toolLabels) as Tool[]).map((t) => (
            <button
              key={t}
              type="button"
              role="radio"
              aria-checked={tool === t}
              className={tool === t ? 'selected' : ''}
              title={`${toolLabels[t].label} (${toolLabels[t].key})`}
              aria-label={`${toolLabels[t].label} (${toolLabels[t].key})`}
              onClick={() => setTool(t)}
            >
              {toolLabels[t].label} <kbd>{toolLabels[t].key}</kbd>
            </button>
          ))}
          {tool === 'text' && (
            <label>
              Label text
              <input value={textLabel} maxLength={500} onChange={(e) => setTextLabel(e.target.value)} />
            </label>
          )}
        </div>
        <div className="group" role="group" aria-label="Marks">
          <ShortcutButton label="Undo" shortcut="Ctrl+Z" onClick={() => act((h) => h.undo())} />
          <ShortcutButton label="Redo" shortcut="Ctrl+Shift+Z" onClick={() => act((h) => h.redo())} />
          <ShortcutButton label="Delete mark" shortcut="Del" onClick={() => act((h) => h.deleteSelected())} />
          <ShortcutButton label="Export PNG" shortcut="Ctrl+S" onClick={exportActive} />
        </div>
        <div className="group" role="group" aria-label="Display adjustments">
          {(['brightness', 'contrast', 'gamma'] as const).map((a) => (
            <label key={a}>
              {a[0]?.toUpperCase() + a.slice(1)}
              <input
                type="range"
                min={a === 'gamma' ? 0.4 : 0.5}
                max={a === 'gamma' ? 2.5 : 2}
                step={0.05}
                value={adjustments[a]}
                onChange={(e) => setAdjustments((s) => ({ ...s, [a]: Number(e.target.value) }))}
              />
            </label>
          ))}
        </div>
        {images.length > 1 && (
          <div className="group" role="group" aria-label="Compare">
            <label title="Zoom and pan all images together (L)">
              <input type="checkbox" checked={locked} onChange={(e) => setLocked(e.target.checked)} /> Lock zoom/pan{' '}
              <kbd>L</kbd>
            </label>
            {images.length === 2 && (
              <>
                <button
                  type="button"
                  aria-pressed={overlayMode === 'register'}
                  onClick={() => {
                    // Entering registration starts over; leaving keeps the landmarks for blink/swipe.
                    if (overlayMode !== 'register') setPicks([[], []]);
                    setOverlayMode(overlayMode === 'register' ? 'off' : 'register');
                  }}
                >
                  {overlayMode === 'register' ? 'Done picking' : 'Register (pick 2-3 landmarks)'}
                </button>
                <button
                  type="button"
                  disabled={!transform}
                  aria-pressed={overlayMode === 'blink'}
                  onClick={() => setOverlayMode(overlayMode === 'blink' ? 'off' : 'blink')}
                >
                  Blink
                </button>
                <button
                  type="button"
                  disabled={!transform}
                  aria-pressed={overlayMode === 'swipe'}
                  onClick={() => setOverlayMode(overlayMode === 'swipe' ? 'off' : 'swipe')}
                >
                  Swipe
                </button>
                {overlayMode === 'swipe' && (
                  <label>
                    Split
                    <input
                      type="range"
                      min={0}
                      max={1}
                      step={0.01}
                      value={split}
                      onChange={(e) => setSplit(Number(e.target.value))}
                    />
                  </label>
                )}
              </>
            )}
          </div>
        )}
        <ExportStatus state={exporter.state} />
      </div>
      {overlayMode === 'register' && (
        <p className="register-hint" role="status">
          Click the same landmark on each image in turn ({picks[0].length} on the first, {picks[1].length} on the
          second; 2-3 pairs).
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
              tool={tool}
              textLabel={textLabel}
              pixelated={pixelated}
              adjustments={adjustments}
              overlay={i === 0 ? overlay : null}
              active={i === active}
              onActivate={() => setActive(i)}
              onCamera={(rel, rotation) => onCamera(i, rel, rotation)}
              {...(overlayMode === 'register' && i < 2
                ? {
                    pickedPoints: picks[i as 0 | 1],
                    onPickPoint: (p: Point) =>
                      setPicks((prev) => {
                        const next: [Point[], Point[]] = [[...prev[0]], [...prev[1]]];
                        if (next[i as 0 | 1].length < 3) next[i as 0 | 1].push(p);
                        return next;
                      }),
                  }
                : {})}
            />
          ),
        )}
      </div>
    </div>
  );
}

function ShortcutButton(props: { label: string; shortcut: string; onClick(): void }): React.JSX.Element {
  const text = `${props.label} (${props.shortcut})`;
  return (
    <button type="button" title={text} aria-label={text} onClick={props.onClick}>
      {props.label} <kbd>{props.shortcut}</kbd>
    </button>
  );
}
