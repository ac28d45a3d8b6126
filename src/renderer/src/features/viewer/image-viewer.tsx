import type Konva from 'konva';
import { forwardRef, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState } from 'react';
import { Group, Layer, Shape as KonvaShape, Stage } from 'react-konva';
import {
  fitCamera,
  fitScale,
  fromRelative,
  panBy,
  rotateBy,
  toRelative,
  zoomAt,
  zoomTo,
  type Camera,
  type RelativeView,
  type Rotation,
  type Size,
} from '../../../../shared/domain/viewer/camera';
import {
  addShape,
  replaceShape,
  removeShape,
  setCalibration,
  translateShape,
  type Point,
  type Shape,
} from '../../../../shared/domain/viewer/annotations';
import { AnnotationShapes } from './annotation-layer';
import { canPaint, drawImageLayer, nothingToDraw, type DrawResult, type Overlay } from './draw-image-layer';
import { MarksList } from './marks-list';
import { Minimap } from './minimap';
import { tileLoader } from './tile-loader';
import { useAnnotations } from './use-annotations';
import { useDraftInput } from './use-draft-input';
import type { Adjustments, Tool, ViewerImage } from './viewer-types';

export interface ImageViewerHandle {
  fit(): void;
  oneToOne(): void;
  zoomBy(factor: number): void;
  rotate(steps: number): void;
  pan(dx: number, dy: number): void;
  setRelative(rel: RelativeView, rotation: Rotation): void;
  undo(): void;
  redo(): void;
  deleteSelected(): void;
  /** The image shown here, once every mark drawn so far is stored in the core (for the export). */
  marksSaved(): Promise<string>;
}

export interface ImageViewerProps {
  viewerId: string;
  image: ViewerImage;
  tool: Tool;
  textLabel: string;
  pixelated: boolean;
  adjustments: Adjustments;
  overlay: Overlay | null;
  active: boolean;
  onActivate(): void;
  /** Called after a camera change the consultant made here (compare locking). */
  onCamera?(rel: RelativeView, rotation: Rotation): void;
  /** Registration mode: clicks pick landmarks instead of drawing. */
  onPickPoint?(p: Point): void;
  pickedPoints?: readonly Point[];
  /** The window's warm-up run on a synthetic image: nothing is asked of the core, no test ids. */
  warmUp?: boolean;
}

const dpr = (): number => window.devicePixelRatio || 1;
/** If no image frame is drawn by then (a failing preview), the marks layer is created anyway. */
const MARKS_LAYER_FALLBACK_MS = 400;

export const ImageViewer = forwardRef<ImageViewerHandle, ImageViewerProps>(function ImageViewer(props, ref) {
  const { image } = props;
  const size = { width: image.meta.width, height: image.meta.height };
  const containerRef = useRef<HTMLDivElement>(null);
  const imageLayerRef = useRef<Konva.Layer>(null);
  const annotationLayerRef = useRef<Konva.Layer>(null);
  const groupRef = useRef<Konva.Group>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const statusRef = useRef<HTMLSpanElement>(null);
  const cameraRef = useRef<Camera | null>(null);
  const [viewport, setViewport] = useState<Size>({ width: 0, height: 0 });
  const viewportRef = useRef<Size>(viewport);
  const [scale, setScale] = useState(1);
  const minimapDraw = useRef<((cam: Camera, viewport: Size) => void) | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const annotations = useAnnotations(image.sha256, !props.warmUp);
  const doc = annotations.history.present;
  const propsRef = useRef(props);
  const frame = useRef(0);
  const drawnImage = useRef(false);
  // The marks layer (two more stage-sized canvases: scene and hit) is created after the first image
  // frame has been painted, so allocating it is not on the way to the first pixels. Marks arrive
  // from the core after that anyway; if the image cannot be drawn, it comes after a short wait.
  const [marksLayer, setMarksLayer] = useState(false);
  const showMarksLayer = useCallback(() => {
    requestAnimationFrame(() => setTimeout(() => setMarksLayer(true), 0));
  }, []);
  useEffect(() => {
    const timer = setTimeout(() => setMarksLayer(true), MARKS_LAYER_FALLBACK_MS);
    return () => clearTimeout(timer);
  }, []);
  const scaleTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    propsRef.current = props;
  });

  const draw = useCallback(() => {
    frame.current = 0;
    // Already inside our own animation frame: draw now (batchDraw would wait for one more frame).
    imageLayerRef.current?.draw();
    const cam = cameraRef.current;
    const vp = viewportRef.current;
    const group = groupRef.current;
    if (cam) {
      group?.setAttrs({
        x: vp.width / 2,
        y: vp.height / 2,
        rotation: cam.rotation,
        scaleX: cam.scale,
        scaleY: cam.scale,
        offsetX: cam.center.x,
        offsetY: cam.center.y,
      });
      annotationLayerRef.current?.draw();
      minimapDraw.current?.(cam, vp);
    }
  }, []);

  const requestDraw = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(draw);
  }, [draw]);

  /** Every camera change goes through here: clamp, draw next frame, tell the lock group. */
  const setCamera = useCallback(
    (next: Camera, fromUser: boolean) => {
      cameraRef.current = next;
      requestDraw();
      if (scaleTimer.current) clearTimeout(scaleTimer.current);
      scaleTimer.current = setTimeout(() => setScale(next.scale), 120);
      if (fromUser) propsRef.current.onCamera?.(toRelative(next, size, viewportRef.current), next.rotation);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- size is derived from the image prop
    [requestDraw, image.sha256],
  );

  // Size the stage to its container; refit when the image changes or the viewport is first known.
  // A layout effect measuring at once (not only when the observer first reports, a frame later)
  // lets the stage mount before the first paint.
  useLayoutEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const measure = (): void => {
      const next = { width: Math.floor(el.clientWidth), height: Math.floor(el.clientHeight) };
      if (next.width === 0 || next.height === 0) return;
      const prev = viewportRef.current;
      const cam = cameraRef.current;
      const wasFit = !cam || Math.abs(cam.scale - fitScale(size, prev, cam.rotation)) < 1e-9;
      viewportRef.current = next;
      setViewport(next);
      setCamera(wasFit || !cam ? fitCamera(size, next, cam?.rotation ?? 0) : cam, false);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-observe per image only
  }, [image.sha256, setCamera]);

  // Until the first image is on the canvas, draw the moment something can be drawn (the stage
  // mounted, a bitmap arrived) instead of waiting for the next animation frame.
  const drawNowOrSoon = useCallback(() => {
    if (drawnImage.current || !cameraRef.current || !imageLayerRef.current) return requestDraw();
    if (frame.current) cancelAnimationFrame(frame.current);
    draw();
  }, [draw, requestDraw]);
  useEffect(() => tileLoader.onLoaded(drawNowOrSoon), [drawNowOrSoon]);
  useEffect(() => () => tileLoader.release(props.viewerId), [props.viewerId]);
  useEffect(() => {
    drawNowOrSoon();
  }, [props.pixelated, props.overlay, doc, viewport, marksLayer, drawNowOrSoon]);

  const sceneFunc = useCallback(
    (context: Konva.Context) => {
      const cam = cameraRef.current;
      if (!cam) return;
      const p = propsRef.current;
      // The layer is never cleared by Konva (clearBeforeDraw off): drawImageLayer clears it itself,
      // and before there is anything to show the canvas is not touched at all.
      const result: DrawResult =
        drawnImage.current || canPaint(p.image.sha256)
          ? drawImageLayer(context._context, {
              viewerId: p.viewerId,
              image: p.image,
              camera: cam,
              viewport: viewportRef.current,
              dpr: dpr(),
              pixelated: p.pixelated,
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
          showMarksLayer();
        }
        el.dataset.previewDrawn = String(result.previewDrawn);
        el.dataset.level = result.level === null ? 'preview' : String(result.level);
        el.dataset.sharp = String(result.sharp);
        el.dataset.frames = String(Number(el.dataset.frames ?? '0') + 1);
      }
      if (statusRef.current) {
        const pct = Math.round(cam.scale * dpr() * 100);
        statusRef.current.textContent = `${pct}%${cam.rotation ? ` · ${cam.rotation}°` : ''}`;
      }
    },
    [showMarksLayer],
  );

  const zoomAround = useCallback(
    (factor: number, anchor?: { x: number; y: number }) => {
      const cam = cameraRef.current;
      const vp = viewportRef.current;
      if (!cam) return;
      setCamera(zoomAt(cam, vp, size, dpr(), factor, anchor ?? { x: vp.width / 2, y: vp.height / 2 }), true);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- size is derived from the image prop
    [setCamera, image.sha256],
  );

  const commitShape = useCallback((shape: Shape) => annotations.commit(addShape(doc, shape)), [annotations, doc]);

  const input = useDraftInput({
    containerRef,
    stageRef,
    cameraRef,
    viewportRef,
    propsRef,
    image: size,
    dpr,
    setCamera,
    zoomAround,
    onShape: commitShape,
    onDeselect: () => setSelectedId(null),
  });

  const [calibrationMm, setCalibrationMm] = useState('10');

  useImperativeHandle(
    ref,
    () => ({
      fit: () => {
        const cam = cameraRef.current;
        setCamera(fitCamera(size, viewportRef.current, cam?.rotation ?? 0), true);
      },
      oneToOne: () => {
        const cam = cameraRef.current;
        const vp = viewportRef.current;
        if (cam) setCamera(zoomTo(cam, vp, size, dpr(), 1 / dpr(), { x: vp.width / 2, y: vp.height / 2 }), true);
      },
      zoomBy: (factor) => zoomAround(factor),
      rotate: (steps) => {
        const cam = cameraRef.current;
        if (cam) setCamera(rotateBy(cam, size, viewportRef.current, dpr(), steps), true);
      },
      pan: (dx, dy) => {
        const cam = cameraRef.current;
        if (cam) setCamera(panBy(cam, size, viewportRef.current, dpr(), dx, dy), true);
      },
      setRelative: (rel, rotation) => {
        setCamera(fromRelative(rel, rotation, size, viewportRef.current, dpr()), false);
      },
      undo: annotations.undo,
      redo: annotations.redo,
      deleteSelected: () => {
        if (selectedId) {
          annotations.commit(removeShape(doc, selectedId));
          setSelectedId(null);
        }
      },
      marksSaved: () => annotations.saved().then(() => image.sha256),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- size is derived from the image prop
    [annotations, doc, selectedId, image, setCamera, zoomAround],
  );

  const filter =
    props.adjustments.brightness === 1 && props.adjustments.contrast === 1 && props.adjustments.gamma === 1
      ? 'none'
      : `brightness(${props.adjustments.brightness}) contrast(${props.adjustments.contrast}) url(#gamma-${props.viewerId})`;
  useEffect(() => {
    const canvas = imageLayerRef.current?.getCanvas()._canvas;
    if (canvas) canvas.style.filter = filter;
  }, [filter, viewport]);

  const gammaExponent = 1 / props.adjustments.gamma;
  const calibrationDraft = input.calibration;
  const pendingCalibration = input.pendingCalibration;
  return (
    <div
      className={`image-viewer${props.active ? ' active' : ''}`}
      data-testid="image-viewer"
      data-sha256={image.sha256}
      data-tool={props.tool}
      onPointerDownCapture={props.onActivate}
    >
      <svg width="0" height="0" aria-hidden="true" className="svg-defs">
        <filter id={`gamma-${props.viewerId}`}>
          <feComponentTransfer>
            <feFuncR type="gamma" exponent={gammaExponent} />
            <feFuncG type="gamma" exponent={gammaExponent} />
            <feFuncB type="gamma" exponent={gammaExponent} />
          </feComponentTransfer>
        </filter>
      </svg>
      <div
        ref={containerRef}
        className={`viewer-stage tool-${props.tool}`}
        role="img"
        aria-label={`${image.label}, ${image.meta.width} × ${image.meta.height} px. Scroll or +/− to zoom, drag or arrow keys to pan.`}
        data-testid={props.warmUp ? undefined : 'viewer-stage'}
        {...input.handlers}
      >
        {viewport.width > 0 && (
          <Stage ref={stageRef} width={viewport.width} height={viewport.height}>
            <Layer ref={imageLayerRef} listening={false} clearBeforeDraw={false}>
              <KonvaShape sceneFunc={sceneFunc} listening={false} perfectDrawEnabled={false} />
            </Layer>
            {marksLayer && (
              <Layer ref={annotationLayerRef}>
                <Group ref={groupRef}>
                  <AnnotationShapes
                    doc={doc}
                    draft={input.draft}
                    calibrationDraft={calibrationDraft}
                    selectedId={selectedId}
                    selectable={props.tool === 'select'}
                    scale={scale}
                    pickedPoints={props.pickedPoints ?? []}
                    onSelect={setSelectedId}
                    onMoved={(shape, dx, dy) => annotations.commit(replaceShape(doc, translateShape(shape, dx, dy)))}
                  />
                </Group>
              </Layer>
            )}
          </Stage>
        )}
      </div>
      <div className="viewer-caption">
        <span className="viewer-label">{image.label}</span>
        <span ref={statusRef} data-testid="zoom-level" aria-live="off" />
        <span data-testid="scale-state">
          {doc.calibration
            ? `Calibrated: ${doc.calibration.millimetres} mm reference`
            : 'Not calibrated: lengths in px'}
        </span>
        {annotations.error && (
          <span role="alert" className="viewer-error">
            {annotations.error}
          </span>
        )}
      </div>
      <MarksList doc={doc} selectedId={selectedId} onSelect={setSelectedId} />
      {pendingCalibration && (
        <form
          className="calibration-form"
          aria-label="Calibrate scale"
          onSubmit={(e) => {
            e.preventDefault();
            const mm = Number(calibrationMm);
            if (!(mm > 0)) return;
            annotations.commit(setCalibration(doc, { ...pendingCalibration, millimetres: mm }));
            input.clearCalibration();
          }}
        >
          <label>
            Reference length (mm)
            <input
              type="number"
              min="0.1"
              step="0.1"
              value={calibrationMm}
              onChange={(e) => setCalibrationMm(e.target.value)}
              autoFocus
            />
          </label>
          <button type="submit">Set scale</button>
          <button type="button" onClick={input.clearCalibration}>
            Cancel
          </button>
        </form>
      )}
      <Minimap
        image={image}
        drawRef={minimapDraw}
        onCenter={(p) => {
          const cam = cameraRef.current;
          if (cam) setCamera({ ...cam, center: p }, true);
        }}
      />
    </div>
  );
});
