import { useEffect, useRef, useState } from 'react';
import { previewKey } from './draw-image-layer';
import { tileLoader } from './tile-loader';
import { ViewerWorkspace } from './viewer-workspace';
import type { ViewerImage } from './viewer-types';

/** Not a real image: its "preview" is a bitmap made here, so nothing is fetched or asked. */
const WARM_SHA = '0'.repeat(64);
const WARM_CASE = '00000000-0000-4000-8000-000000000000';
const warmImage: ViewerImage = {
  sha256: WARM_SHA,
  label: 'warm-up',
  // The shape of a real 48 MP photo, so the same code paths (fit, level choice) run.
  meta: {
    version: 1,
    format: 'jpeg',
    width: 8000,
    height: 6000,
    tileSize: 256,
    overlap: 1,
    maxLevel: 13,
    preview: { width: 2048, height: 1536 },
  },
};
/** Give up after this many frames (a hidden page may never draw). */
const MAX_FRAMES = 60;

/**
 * The pop-out window exists before any case is announced. Mounting the viewer once, off screen,
 * on a synthetic image while the window is idle makes the browser compile the viewer's code
 * (React's and Konva's first-run paths, our components) then, instead of while the consultant's
 * first case is waiting to be drawn. Unmounted as soon as it has drawn; `onDone` then.
 */
export function ViewerWarmUp(props: { onDone(): void }): React.JSX.Element | null {
  const [ready, setReady] = useState(false);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const { onDone } = props;

  useEffect(() => {
    let live = true;
    void createImageBitmap(new ImageData(64, 48)).then(
      (bitmap) => {
        if (!live) return bitmap.close();
        tileLoader.seedPreview(previewKey(WARM_SHA), bitmap);
        setReady(true);
      },
      () => onDone(),
    );
    return () => {
      live = false;
      tileLoader.forgetPreview(previewKey(WARM_SHA));
    };
  }, [onDone]);

  useEffect(() => {
    if (!ready) return;
    let frames = 0;
    let id = 0;
    const tick = (): void => {
      const drawn = wrapperRef.current?.querySelector('[data-first-drawn-at]');
      if (drawn || ++frames > MAX_FRAMES) return onDone();
      id = requestAnimationFrame(tick);
    };
    id = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(id);
  }, [ready, onDone]);

  if (!ready) return null;
  return (
    <div ref={wrapperRef} className="viewer-warm-up" aria-hidden="true" inert>
      <ViewerWorkspace caseId={WARM_CASE} images={[warmImage]} warmUp />
    </div>
  );
}
