import type { Point, Shape } from './annotations';
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
  type Vec,
} from './camera';
import {
  clearCalibration,
  idleGestures,
  pointerDown,
  pointerMove,
  pointerUp,
  wheelZoomFactor,
  type GestureContext,
  type GestureEffect,
  type GestureState,
  type GestureStep,
  type PointerDown,
  type Segment,
  type Tool,
  type WheelInput,
} from './gestures';

/** What changed, for whoever draws: the camera (a frame to paint) or the input (a draft to show). */
export type ViewerChange = { kind: 'camera'; camera: Camera; fromUser: boolean } | { kind: 'input' };

/** What the controller asks of its host (the marks store, the selection, pointer capture). */
export interface ViewerEvents {
  /** A mark finished drawing (one undo step). */
  shape?(shape: Shape): void;
  /** Registration: a landmark picked on this image. */
  pick?(point: Point): void;
  /** Pressed on empty image with the select tool. */
  deselect?(): void;
  /** Keep this pointer's moves coming when it leaves the stage. */
  capture?(pointerId: number): void;
}

/** The slice of input state the marks layer draws (a new object only when it changes). */
export interface InputView {
  draft: Shape | null;
  /** The reference line being drawn, or the one waiting for its length. */
  calibration: Segment | null;
  pendingCalibration: Segment | null;
}

export interface ViewerControllerOptions {
  /** The oriented image's size in pixels. */
  image: Size;
  /** Device pixels per CSS pixel, read at each use (a window can move to another screen). */
  dpr?: () => number;
  newId?: () => string;
  color?: string;
}

let idCounter = 0;
function defaultId(): string {
  idCounter += 1;
  return `${Date.now().toString(36)}-${idCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * One image viewer's engine, framework-free: the camera, the viewport it is drawn into, the tool,
 * and the pointer gestures (pan, pinch, drawing a mark, drawing a scale reference). Every change
 * goes through a pure transition (camera.ts, gestures.ts) and is announced to subscribers; the
 * React view only forwards events in and paints what it is told. Nothing here touches the DOM,
 * so it is tested as plain data (viewer-controller.test.ts) and a benchmark can drive it.
 */
export class ViewerController {
  readonly image: Size;
  private cam: Camera | null = null;
  private vp: Size = { width: 0, height: 0 };
  private gestures: GestureState = idleGestures;
  private inputView: InputView = { draft: null, calibration: null, pendingCalibration: null };
  private toolValue: Tool = 'select';
  private label = '';
  private pickingValue = false;
  private readonly listeners = new Set<(change: ViewerChange) => void>();
  private readonly dpr: () => number;
  private readonly newId: () => string;
  private readonly color: string;
  /** Set by the host; replaced, never merged. */
  events: ViewerEvents = {};

  constructor(options: ViewerControllerOptions) {
    this.image = options.image;
    this.dpr = options.dpr ?? (() => 1);
    this.newId = options.newId ?? defaultId;
    this.color = options.color ?? '#ffd400';
  }

  get camera(): Camera | null {
    return this.cam;
  }
  get viewport(): Size {
    return this.vp;
  }
  get tool(): Tool {
    return this.toolValue;
  }
  get gesture(): GestureState {
    return this.gestures;
  }
  /** Stable between input changes (for React's useSyncExternalStore). */
  get input(): InputView {
    return this.inputView;
  }

  subscribe(listener: (change: ViewerChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- camera -------------------------------------------------------------------------------

  /**
   * The stage's box changed (or was first measured). A view that was fitted stays fitted; any
   * other keeps its centre and zoom. A zero-sized box (hidden) is ignored.
   */
  resize(viewport: Size): void {
    const next = { width: Math.floor(viewport.width), height: Math.floor(viewport.height) };
    if (next.width <= 0 || next.height <= 0) return;
    if (next.width === this.vp.width && next.height === this.vp.height) return;
    const cam = this.cam;
    const wasFit = !cam || Math.abs(cam.scale - fitScale(this.image, this.vp, cam.rotation)) < 1e-9;
    this.vp = next;
    this.setCamera(wasFit || !cam ? fitCamera(this.image, next, cam?.rotation ?? 0) : cam, false);
  }

  fit(): void {
    if (this.ready()) this.setCamera(fitCamera(this.image, this.vp, this.cam?.rotation ?? 0), true);
  }

  /** One image pixel per device pixel. */
  oneToOne(): void {
    const cam = this.cam;
    if (cam) this.setCamera(zoomTo(cam, this.vp, this.image, this.dpr(), 1 / this.dpr(), this.centre()), true);
  }

  /** Zooms about a screen point (the centre by default). */
  zoomBy(factor: number, anchor: Vec = this.centre()): void {
    const cam = this.cam;
    if (cam) this.setCamera(zoomAt(cam, this.vp, this.image, this.dpr(), factor, anchor), true);
  }

  rotate(steps: number): void {
    const cam = this.cam;
    if (cam) this.setCamera(rotateBy(cam, this.image, this.vp, this.dpr(), steps), true);
  }

  /** Moves the image by screen pixels. */
  pan(dx: number, dy: number): void {
    const cam = this.cam;
    if (cam) this.setCamera(panBy(cam, this.image, this.vp, this.dpr(), dx, dy), true);
  }

  /** Centres the view on an image point (the minimap). */
  centreOn(p: Vec): void {
    const cam = this.cam;
    if (cam) this.setCamera({ ...cam, center: p }, true);
  }

  /** Follows another viewer of a locked compare group (not announced as the consultant's move). */
  setRelative(rel: RelativeView, rotation: Rotation): void {
    if (this.ready()) this.setCamera(fromRelative(rel, rotation, this.image, this.vp, this.dpr()), false);
  }

  /** This view in terms another image of a compare group can follow. */
  relative(): RelativeView | null {
    return this.cam ? toRelative(this.cam, this.image, this.vp) : null;
  }

  // ---- tools and pointers -------------------------------------------------------------------

  setTool(tool: Tool): void {
    this.toolValue = tool;
  }
  setTextLabel(text: string): void {
    this.label = text;
  }
  /** Registration mode: clicks pick landmarks instead of drawing. */
  setPicking(on: boolean): void {
    this.pickingValue = on;
  }

  pointerDown(e: PointerDown): void {
    this.step((ctx) => pointerDown(this.gestures, ctx, e), e.id);
  }

  pointerMove(id: number, at: Point): void {
    this.step((ctx) => pointerMove(this.gestures, ctx, id, at), id);
  }

  /** Released or cancelled: either ends the gesture. */
  pointerUp(id: number): void {
    this.step(() => pointerUp(this.gestures, id), id);
  }

  wheel(w: WheelInput): void {
    this.zoomBy(wheelZoomFactor(w), w.at);
  }

  clearCalibration(): void {
    this.setGestures(clearCalibration(this.gestures));
  }

  // ---- internals ----------------------------------------------------------------------------

  private ready(): boolean {
    return this.vp.width > 0 && this.vp.height > 0;
  }

  private centre(): Vec {
    return { x: this.vp.width / 2, y: this.vp.height / 2 };
  }

  private setCamera(next: Camera, fromUser: boolean): void {
    this.cam = next;
    for (const l of this.listeners) l({ kind: 'camera', camera: next, fromUser });
  }

  private context(camera: Camera): GestureContext {
    return {
      tool: this.toolValue,
      textLabel: this.label,
      picking: this.pickingValue,
      camera,
      viewport: this.vp,
      image: this.image,
      dpr: this.dpr(),
      color: this.color,
      newId: this.newId,
    };
  }

  private step(transition: (ctx: GestureContext) => GestureStep, pointerId: number): void {
    const cam = this.cam;
    // Before the stage is measured there is nothing to point at.
    if (!cam) return;
    const { state, effects } = transition(this.context(cam));
    this.setGestures(state);
    for (const effect of effects) this.apply(effect, pointerId);
  }

  private apply(effect: GestureEffect, pointerId: number): void {
    switch (effect.kind) {
      case 'camera':
        return this.setCamera(effect.camera, true);
      case 'shape':
        return this.events.shape?.(effect.shape);
      case 'pick':
        return this.events.pick?.(effect.point);
      case 'deselect':
        return this.events.deselect?.();
      case 'capture':
        return this.events.capture?.(pointerId);
    }
  }

  private setGestures(next: GestureState): void {
    const prev = this.gestures;
    this.gestures = next;
    const calibration = next.pendingCalibration ?? next.calibrationDraft;
    const prevCalibration = prev.pendingCalibration ?? prev.calibrationDraft;
    if (
      next.draft === prev.draft &&
      calibration === prevCalibration &&
      next.pendingCalibration === prev.pendingCalibration
    )
      return;
    this.inputView = { draft: next.draft, calibration, pendingCalibration: next.pendingCalibration };
    for (const l of this.listeners) l({ kind: 'input' });
  }
}
