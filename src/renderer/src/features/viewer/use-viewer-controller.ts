import { useLayoutEffect, useState, useSyncExternalStore } from 'react';
import { ViewerController, type InputView } from '../../../../shared/domain/viewer/viewer-controller';

const dpr = (): number => window.devicePixelRatio || 1;

/** One controller per image (the viewer is keyed by the image, so it lives as long as the view). */
export function useViewerController(width: number, height: number): ViewerController {
  const [controller] = useState(() => new ViewerController({ image: { width, height }, dpr }));
  return controller;
}

/** The draft mark and calibration line, re-rendered only when they change (not on camera moves). */
export function useInputView(controller: ViewerController): InputView {
  return useSyncExternalStore(
    (onChange) => controller.subscribe((change) => change.kind === 'input' && onChange()),
    () => controller.input,
  );
}

/**
 * Sizes the stage to its box: measured at once in a layout effect (so the stage mounts before the
 * first paint), then on every resize. The box must not depend on its content (viewer.css: the
 * stage box is `contain: strict`), or sizing the stage would resize the box, without end.
 */
export function useStageSize(
  controller: ViewerController,
  containerRef: React.RefObject<HTMLDivElement | null>,
): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const measure = (): void => {
      controller.resize({ width: el.clientWidth, height: el.clientHeight });
      const vp = controller.viewport;
      setSize((s) => (s.width === vp.width && s.height === vp.height ? s : vp));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [controller, containerRef]);
  // 1:1 means one image pixel per device pixel: if the host's layout puts the box at a fractional
  // position, the canvas is nudged (less than a pixel) onto the device pixel grid.
  useLayoutEffect(() => {
    const el = containerRef.current;
    const stage = el?.querySelector<HTMLElement>('.konva-stage');
    if (!el || !stage) return;
    const r = el.getBoundingClientRect();
    const d = window.devicePixelRatio || 1;
    const dx = Math.round(r.left * d) / d - r.left;
    const dy = Math.round(r.top * d) / d - r.top;
    stage.style.transform = Math.abs(dx) > 1e-3 || Math.abs(dy) > 1e-3 ? `translate(${dx}px, ${dy}px)` : '';
  }, [containerRef, size]);
  return size;
}
