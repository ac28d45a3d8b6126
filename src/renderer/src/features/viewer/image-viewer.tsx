import type Konva from 'konva';
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { Group, Layer, Shape as KonvaShape, Stage } from 'react-konva';
import type { Camera, RelativeView, Rotation, Size } from '../../../../shared/domain/viewer/camera';
import {
  addShape,
  removeShape,
  replaceShape,
  setCalibration,
  translateShape,
  type Point,
} from '../../../../shared/domain/viewer/annotations';
import type { ViewerController } from '../../../../shared/domain/viewer/viewer-controller';
import { AnnotationShapes } from './annotation-layer';
import { CalibrationForm } from './calibration-form';
import type { Overlay } from './draw-image-layer';
import { MarksList } from './marks-list';
import { Minimap } from './minimap';
import { tileLoader } from './tile-loader';
import { useAnnotations } from './use-annotations';
import { useDraftInput } from './use-draft-input';
import { useImagePainter, type PaintInput } from './use-image-painter';
import { useInputView, useStageSize, useViewerController } from './use-viewer-controller';
import type { Adjustments, Tool, ViewerImage } from './viewer-types';

export interface ImageViewerHandle {
  /** The camera and gestures of this viewer (fit, zoom, rotate, pan, follow a locked partner). */
  readonly controller: ViewerController;
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

/** If no image frame is drawn by then (a failing preview), the marks layer is created anyway. */
const MARKS_LAYER_FALLBACK_MS = 400;
/** Stroke widths follow the zoom once it settles (re-rendering every mark per frame would not). */
const SCALE_SETTLE_MS = 120;

/**
 * One image: a react-konva stage painting what its ViewerController says (the camera and the
 * gestures live there, see shared/domain/viewer/viewer-controller.ts), the marks over it, a
 * caption, the marks as a list, the minimap.
 */
export const ImageViewer = forwardRef<ImageViewerHandle, ImageViewerProps>(function ImageViewer(props, ref) {
  const { image } = props;
  const controller = useViewerController(image.meta.width, image.meta.height);
  const containerRef = useRef<HTMLDivElement>(null);
  const imageLayerRef = useRef<Konva.Layer>(null);
  const annotationLayerRef = useRef<Konva.Layer>(null);
  const groupRef = useRef<Konva.Group>(null);
  const stageRef = useRef<Konva.Stage>(null);
  const statusRef = useRef<HTMLSpanElement>(null);
  const minimapDraw = useRef<((cam: Camera, viewport: Size) => void) | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const annotations = useAnnotations(image.sha256, !props.warmUp);
  const doc = annotations.history.present;
  const propsRef = useRef(props);
  const paintInput = useRef<PaintInput>(props);
  useEffect(() => {
    propsRef.current = props;
    paintInput.current = props;
  });

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

  const painter = useImagePainter({
    controller,
    input: paintInput,
    containerRef,
    imageLayerRef,
    annotationLayerRef,
    groupRef,
    statusRef,
    minimapDraw,
    onFirstImage: showMarksLayer,
  });
  const viewport = useStageSize(controller, containerRef);
  const input = useInputView(controller);

  // The consultant's moves go to the lock group; the zoom settles into the marks' stroke widths.
  const [scale, setScale] = useState(1);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = controller.subscribe((change) => {
      if (change.kind !== 'camera') return;
      clearTimeout(timer);
      timer = setTimeout(() => setScale(change.camera.scale), SCALE_SETTLE_MS);
      const rel = change.fromUser ? controller.relative() : null;
      if (rel) propsRef.current.onCamera?.(rel, change.camera.rotation);
    });
    // The stage was measured (and the camera fitted) in a layout effect, before this subscribed.
    if (controller.camera) setScale(controller.camera.scale);
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [controller]);

  // The controller's tools and events follow the props (it knows nothing of React).
  useEffect(() => {
    controller.setTool(props.tool);
    controller.setTextLabel(props.textLabel);
    controller.setPicking(!!props.onPickPoint);
  });
  useEffect(() => {
    controller.events = {
      shape: (shape) => annotations.commit(addShape(doc, shape)),
      pick: (p) => propsRef.current.onPickPoint?.(p),
      deselect: () => setSelectedId(null),
      capture: (pointerId) => {
        try {
          containerRef.current?.setPointerCapture(pointerId);
        } catch {
          // The pointer was already lifted: nothing to capture.
        }
      },
    };
  }, [controller, annotations, doc]);
  const handlers = useDraftInput(controller, containerRef, stageRef);

  useEffect(() => () => tileLoader.release(props.viewerId), [props.viewerId]);
  const { drawNowOrSoon } = painter;
  useEffect(() => {
    drawNowOrSoon();
  }, [props.pixelated, props.overlay, doc, viewport, marksLayer, drawNowOrSoon]);

  useImperativeHandle(
    ref,
    () => ({
      controller,
      undo: annotations.undo,
      redo: annotations.redo,
      deleteSelected: () => {
        if (!selectedId) return;
        annotations.commit(removeShape(doc, selectedId));
        setSelectedId(null);
      },
      marksSaved: () => annotations.saved().then(() => image.sha256),
    }),
    [controller, annotations, doc, selectedId, image.sha256],
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
        {...handlers}
      >
        {viewport.width > 0 && (
          <Stage ref={stageRef} className="konva-stage" width={viewport.width} height={viewport.height}>
            <Layer ref={imageLayerRef} listening={false} clearBeforeDraw={false}>
              <KonvaShape sceneFunc={painter.sceneFunc} listening={false} perfectDrawEnabled={false} />
            </Layer>
            {marksLayer && (
              <Layer ref={annotationLayerRef}>
                <Group ref={groupRef}>
                  <AnnotationShapes
                    doc={doc}
                    draft={input.draft}
                    calibrationDraft={input.calibration}
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
      {input.pendingCalibration && (
        <CalibrationForm
          onSet={(millimetres) => {
            const pending = controller.input.pendingCalibration;
            if (pending) annotations.commit(setCalibration(doc, { ...pending, millimetres }));
            controller.clearCalibration();
          }}
          onCancel={() => controller.clearCalibration()}
        />
      )}
      <Minimap image={image} drawRef={minimapDraw} onCenter={(p) => controller.centreOn(p)} />
    </div>
  );
});
