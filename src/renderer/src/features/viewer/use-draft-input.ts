import type Konva from 'konva';
import { useEffect, useRef, useState } from 'react';
import type { Point, Shape } from '../../../../shared/domain/viewer/annotations';
import { panBy, screenToImage, zoomAt, type Camera, type Size } from '../../../../shared/domain/viewer/camera';
import type { ImageViewerProps } from './image-viewer';

let shapeCounter = 0;
function newId(): string {
  shapeCounter += 1;
  return `${Date.now().toString(36)}-${shapeCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

const COLOR = '#ffd400';

/**
 * Pointer input on the stage: drag pans (select tool, on empty image), drawing tools build a
 * draft shape committed once on release (one undo step), two pointers pinch-zoom, the wheel
 * zooms about the pointer (a trackpad pinch arrives as ctrl+wheel).
 */
export function useDraftInput(args: {
  containerRef: React.RefObject<HTMLDivElement | null>;
  stageRef: React.RefObject<Konva.Stage | null>;
  cameraRef: React.RefObject<Camera | null>;
  viewportRef: React.RefObject<Size>;
  propsRef: React.RefObject<ImageViewerProps>;
  image: Size;
  dpr: () => number;
  setCamera(next: Camera, fromUser: boolean): void;
  zoomAround(factor: number, anchor?: Point): void;
  onShape(shape: Shape): void;
  onDeselect(): void;
}): {
  handlers: {
    onPointerDown: React.PointerEventHandler<HTMLDivElement>;
    onPointerMove: React.PointerEventHandler<HTMLDivElement>;
    onPointerUp: React.PointerEventHandler<HTMLDivElement>;
    onPointerCancel: React.PointerEventHandler<HTMLDivElement>;
  };
  draft: Shape | null;
  /** The reference line being drawn or awaiting its length. */
  calibration: { from: Point; to: Point } | null;
  /** Drawn and waiting for the consultant to type its length. */
  pendingCalibration: { from: Point; to: Point } | null;
  clearCalibration(): void;
} {
  const [draft, setDraft] = useState<Shape | null>(null);
  const [calibration, setCalibration] = useState<{ from: Point; to: Point } | null>(null);
  const [calDraft, setCalDraft] = useState<{ from: Point; to: Point } | null>(null);
  const pointers = useRef(new Map<number, Point>());
  const mode = useRef<'none' | 'pan' | 'draw' | 'pinch' | 'calibrate'>('none');
  const last = useRef<Point>({ x: 0, y: 0 });
  const pinch = useRef<{ dist: number; mid: Point } | null>(null);
  const draftRef = useRef<Shape | null>(null);
  const { containerRef, cameraRef, viewportRef, propsRef, image, dpr, setCamera, zoomAround } = args;

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const rect = el.getBoundingClientRect();
      const k = e.ctrlKey ? 0.01 : 0.0015;
      const delta = e.deltaMode === 1 ? e.deltaY * 33 : e.deltaY;
      zoomAround(Math.exp(-delta * k), { x: e.clientX - rect.left, y: e.clientY - rect.top });
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [containerRef, zoomAround]);

  const local = (e: React.PointerEvent<HTMLDivElement>): Point => {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  const toImage = (p: Point): Point => {
    const cam = cameraRef.current;
    return cam ? screenToImage(cam, viewportRef.current, p) : p;
  };
  const setDraftBoth = (s: Shape | null): void => {
    draftRef.current = s;
    setDraft(s);
  };

  const onPointerDown: React.PointerEventHandler<HTMLDivElement> = (e) => {
    const p = local(e);
    pointers.current.set(e.pointerId, p);
    if (pointers.current.size === 2) {
      e.currentTarget.setPointerCapture?.(e.pointerId);
      const [a, b] = [...pointers.current.values()] as [Point, Point];
      pinch.current = { dist: Math.hypot(a.x - b.x, a.y - b.y), mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
      mode.current = 'pinch';
      setDraftBoth(null);
      return;
    }
    if (e.button !== 0) return;
    last.current = p;
    const props = propsRef.current;
    const at = toImage(p);
    if (props.onPickPoint) {
      props.onPickPoint(at);
      return;
    }
    switch (props.tool) {
      case 'select': {
        const hit = args.stageRef.current?.getIntersection(p);
        if (hit) return; // Konva handles selecting and dragging the mark.
        args.onDeselect();
        mode.current = 'pan';
        e.currentTarget.setPointerCapture?.(e.pointerId);
        return;
      }
      case 'calibrate':
        mode.current = 'calibrate';
        setCalibration(null);
        setCalDraft({ from: at, to: at });
        e.currentTarget.setPointerCapture?.(e.pointerId);
        return;
      case 'text': {
        const text = props.textLabel.trim() || 'Note';
        args.onShape({ id: newId(), kind: 'text', color: COLOR, at, text });
        return;
      }
      case 'arrow':
      case 'measure':
        setDraftBoth({ id: newId(), kind: props.tool, color: COLOR, from: at, to: at });
        break;
      case 'ellipse':
        setDraftBoth({ id: newId(), kind: 'ellipse', color: COLOR, center: at, rx: 0, ry: 0 });
        break;
      case 'freehand':
        setDraftBoth({ id: newId(), kind: 'freehand', color: COLOR, points: [at, at] });
        break;
    }
    mode.current = 'draw';
    e.currentTarget.setPointerCapture?.(e.pointerId);
  };

  const onPointerMove: React.PointerEventHandler<HTMLDivElement> = (e) => {
    if (!pointers.current.has(e.pointerId)) return;
    const p = local(e);
    pointers.current.set(e.pointerId, p);
    const cam = cameraRef.current;
    if (!cam) return;
    if (mode.current === 'pinch' && pinch.current && pointers.current.size >= 2) {
      const [a, b] = [...pointers.current.values()] as [Point, Point];
      const dist = Math.hypot(a.x - b.x, a.y - b.y);
      const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      let next = zoomAt(cam, viewportRef.current, image, dpr(), dist / Math.max(pinch.current.dist, 1), mid);
      next = panBy(next, image, viewportRef.current, dpr(), mid.x - pinch.current.mid.x, mid.y - pinch.current.mid.y);
      pinch.current = { dist, mid };
      setCamera(next, true);
      return;
    }
    if (mode.current === 'pan') {
      setCamera(panBy(cam, image, viewportRef.current, dpr(), p.x - last.current.x, p.y - last.current.y), true);
      last.current = p;
      return;
    }
    const at = toImage(p);
    if (mode.current === 'calibrate') {
      setCalDraft((c) => (c ? { from: c.from, to: at } : c));
      return;
    }
    const d = draftRef.current;
    if (mode.current !== 'draw' || !d) return;
    switch (d.kind) {
      case 'arrow':
      case 'measure':
        setDraftBoth({ ...d, to: at });
        break;
      case 'ellipse':
        setDraftBoth({ ...d, rx: at.x - d.center.x, ry: at.y - d.center.y });
        break;
      case 'freehand':
        if (d.points.length < 5000) setDraftBoth({ ...d, points: [...d.points, at] });
        break;
      default:
        break;
    }
  };

  const finish: React.PointerEventHandler<HTMLDivElement> = (e) => {
    pointers.current.delete(e.pointerId);
    if (mode.current === 'pinch') {
      if (pointers.current.size < 2) {
        pinch.current = null;
        mode.current = pointers.current.size === 1 ? 'pan' : 'none';
        last.current = [...pointers.current.values()][0] ?? last.current;
      }
      return;
    }
    if (mode.current === 'calibrate') {
      mode.current = 'none';
      setCalDraft((c) => {
        // A reference must be long enough to measure against; a click is not a reference.
        if (c && Math.hypot(c.to.x - c.from.x, c.to.y - c.from.y) >= 5) setCalibration(c);
        return null;
      });
      return;
    }
    if (mode.current === 'draw') {
      const d = draftRef.current;
      setDraftBoth(null);
      if (d && !isDegenerate(d)) args.onShape(d);
    }
    mode.current = 'none';
  };

  return {
    handlers: { onPointerDown, onPointerMove, onPointerUp: finish, onPointerCancel: finish },
    draft,
    calibration: calibration ?? calDraft,
    pendingCalibration: calibration,
    clearCalibration: () => setCalibration(null),
  };
}

function isDegenerate(shape: Shape): boolean {
  switch (shape.kind) {
    case 'arrow':
    case 'measure':
      return Math.hypot(shape.to.x - shape.from.x, shape.to.y - shape.from.y) < 2;
    case 'ellipse':
      return Math.abs(shape.rx) < 1 || Math.abs(shape.ry) < 1;
    case 'freehand':
      return shape.points.length < 3;
    default:
      return false;
  }
}
