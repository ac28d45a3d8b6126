import type Konva from 'konva';
import { useCallback, useEffect, useRef } from 'react';
import type { Camera, Size } from '../../../../shared/domain/viewer/camera';
import type { ViewerController } from '../../../../shared/domain/viewer/viewer-controller';
import { canPaint, drawImageLayer, nothingToDraw, type DrawResult, type Overlay } from './draw-image-layer';
import { tileLoader } from './tile-loader';
import type { ViewerImage } from './viewer-types';

const dpr = (): number => window.devicePixelRatio || 1;
/** How long after the camera's last move the frame is redrawn at full smoothing quality. */
const SETTLE_MS = 150;

/** What the painter reads at each frame (kept in a ref: a frame never waits for React). */
export interface PaintInput {
  viewerId: string;
  image: ViewerImage;
  pixelated: boolean;
  overlay: Overlay | null;
}

export interface ImagePainter {
  /** Konva's scene function for the image layer's one shape. */
  sceneFunc(context: Konva.Context): void;
  /** Paint on the next animation frame (coalesced). */
  requestDraw(): void;
  /** Paint now if the first image is not on screen yet, else on the next frame. */
  drawNowOrSoon(): void;
}

/**
 * Paints the controller's camera: the image layer (preview, then tiles) through drawImageLayer,
 * the marks group's transform, the minimap and the zoom read-out, at most once per animation
 * frame. The camera lives in the controller, not in React state: moving it never re-renders.
 * The stage element's data-* attributes are what the e2e tests and the benchmark read.
 */
export function useImagePainter(args: {
  controller: ViewerController;
  input: React.RefObject<PaintInput>;
  containerRef: React.RefObject<HTMLDivElement | null>;
  imageLayerRef: React.RefObject<Konva.Layer | null>;
  annotationLayerRef: React.RefObject<Konva.Layer | null>;
  groupRef: React.RefObject<Konva.Group | null>;
  statusRef: React.RefObject<HTMLSpanElement | null>;
  minimapDraw: React.RefObject<((cam: Camera, viewport: Size) => void) | null>;
  /** Called once, when the image (not just the background) is first on the canvas. */
  onFirstImage(): void;
}): ImagePainter {
  const { controller, input, containerRef, imageLayerRef, annotationLayerRef, groupRef, statusRef, minimapDraw } = args;
  const frame = useRef(0);
  const drawnImage = useRef(false);
  /** The camera is moving: frames are drawn at interactive quality until it settles. */
  const moving = useRef(false);
  const settleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onFirstImage = useRef(args.onFirstImage);
  useEffect(() => {
    onFirstImage.current = args.onFirstImage;
  });

  const draw = useCallback(() => {
    frame.current = 0;
    // Already inside our own animation frame: draw now (batchDraw would wait for one more frame).
    imageLayerRef.current?.draw();
    const cam = controller.camera;
    const vp = controller.viewport;
    if (!cam) return;
    groupRef.current?.setAttrs({
      x: vp.width / 2,
      y: vp.height / 2,
      rotation: cam.rotation,
      scaleX: cam.scale,
      scaleY: cam.scale,
      offsetX: cam.center.x,
      offsetY: cam.center.y,
    });
    // An image without marks (the usual case) leaves its marks layer alone: redrawing an empty
    // stage-sized canvas is a canvas more for the compositor to take every frame. Adding or
    // removing a mark redraws the layer anyway (react-konva draws a layer whose nodes change).
    if (groupRef.current?.hasChildren()) annotationLayerRef.current?.draw();
    minimapDraw.current?.(cam, vp);
  }, [controller, imageLayerRef, groupRef, annotationLayerRef, minimapDraw]);

  const requestDraw = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(draw);
  }, [draw]);

  // Until the first image is on the canvas, draw the moment something can be drawn (the stage
  // mounted, a bitmap arrived) instead of waiting for the next animation frame.
  const drawNowOrSoon = useCallback(() => {
    if (drawnImage.current || !controller.camera || !imageLayerRef.current) return requestDraw();
    if (frame.current) cancelAnimationFrame(frame.current);
    draw();
  }, [controller, draw, requestDraw, imageLayerRef]);

  useEffect(() => {
    const stop = controller.subscribe((change) => {
      if (change.kind !== 'camera') return;
      moving.current = true;
      clearTimeout(settleTimer.current);
      settleTimer.current = setTimeout(() => {
        moving.current = false;
        requestDraw();
      }, SETTLE_MS);
      requestDraw();
    });
    return () => {
      stop();
      clearTimeout(settleTimer.current);
    };
  }, [controller, requestDraw]);
  useEffect(() => tileLoader.onLoaded(drawNowOrSoon), [drawNowOrSoon]);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const sceneFunc = useCallback(
    (context: Konva.Context) => {
      const cam = controller.camera;
      if (!cam) return;
      const p = input.current;
      // The layer is never cleared by Konva (clearBeforeDraw off): drawImageLayer clears it itself,
      // and before there is anything to show the canvas is not touched at all.
      const result: DrawResult =
        drawnImage.current || canPaint(p.image.sha256)
          ? drawImageLayer(context._context, {
              viewerId: p.viewerId,
              image: p.image,
              camera: cam,
              viewport: controller.viewport,
              dpr: dpr(),
              pixelated: p.pixelated,
              moving: moving.current,
              overlay: p.overlay,
            })
          : nothingToDraw(p.image.sha256);
      const el = containerRef.current;
      if (el) {
        // Read by the e2e tests and the benchmark: "sharp" means every wanted tile is drawn.
        el.dataset.scale = cam.scale.toFixed(4);
        el.dataset.cx = String(cam.center.x);
        el.dataset.cy = String(cam.center.y);
        el.dataset.rotation = String(cam.rotation);
        if (result.previewDrawn && !drawnImage.current) {
          drawnImage.current = true;
          // Stamped when drawn (as the benchmark stamps OpenSeadragon's first tile-drawn).
          el.dataset.firstDrawnAt = String(performance.mark('dd:first-image-drawn').startTime);
          onFirstImage.current();
        }
        el.dataset.previewDrawn = String(result.previewDrawn);
        el.dataset.level = result.level === null ? 'preview' : String(result.level);
        el.dataset.sharp = String(result.sharp);
        el.dataset.smoothing = moving.current ? 'interactive' : 'full';
        el.dataset.frames = String(Number(el.dataset.frames ?? '0') + 1);
      }
      if (statusRef.current) {
        const pct = Math.round(cam.scale * dpr() * 100);
        statusRef.current.textContent = `${pct}%${cam.rotation ? ` · ${cam.rotation}°` : ''}`;
      }
    },
    [controller, input, containerRef, statusRef],
  );

  return { sceneFunc, requestDraw, drawNowOrSoon };
}
