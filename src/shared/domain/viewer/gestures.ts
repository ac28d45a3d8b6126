import type { Point, Shape } from './annotations';
import { panBy, screenToImage, zoomAt, type Camera, type Size } from './camera';

/** The marking tools (the select tool pans the image and picks marks). */
export type Tool = 'select' | 'arrow' | 'ellipse' | 'freehand' | 'text' | 'measure' | 'calibrate';

/** A reference line on the image, being drawn or waiting for its length in millimetres. */
export interface Segment {
  from: Point;
  to: Point;
}

/**
 * What the pointers are doing to one viewer. Screen points are relative to the stage's top-left
 * corner (CSS pixels); drafts are in oriented-image pixels, like the marks they become.
 */
export interface GestureState {
  readonly pointers: Readonly<Record<number, Point>>;
  readonly mode: 'none' | 'pan' | 'draw' | 'pinch' | 'calibrate';
  /** Where the last pan step ended (screen). */
  readonly last: Point;
  readonly pinch: { readonly dist: number; readonly mid: Point } | null;
  /** The mark being drawn: committed once, on release (one undo step). */
  readonly draft: Shape | null;
  readonly calibrationDraft: Segment | null;
  /** Drawn and waiting for the consultant to type its length. */
  readonly pendingCalibration: Segment | null;
}

export const idleGestures: GestureState = {
  pointers: {},
  mode: 'none',
  last: { x: 0, y: 0 },
  pinch: null,
  draft: null,
  calibrationDraft: null,
  pendingCalibration: null,
};

/** What a transition needs to know about the viewer (nothing from the DOM). */
export interface GestureContext {
  tool: Tool;
  textLabel: string;
  /** Registration: a click picks a landmark instead of drawing. */
  picking: boolean;
  camera: Camera;
  viewport: Size;
  image: Size;
  dpr: number;
  color: string;
  newId(): string;
}

/** What the shell must do after a transition. */
export type GestureEffect =
  | { kind: 'camera'; camera: Camera }
  | { kind: 'shape'; shape: Shape }
  | { kind: 'pick'; point: Point }
  | { kind: 'deselect' }
  /** Keep receiving this pointer's moves outside the stage (setPointerCapture). */
  | { kind: 'capture' };

export interface GestureStep {
  state: GestureState;
  effects: GestureEffect[];
}

export interface PointerDown {
  id: number;
  at: Point;
  /** 0 = primary button (or a touch/pen contact). */
  button: number;
  /** The select tool pressed on a mark: the mark layer handles selecting and dragging it. */
  onMark: boolean;
}

/** Freehand lines are capped (the schema allows 5000 points). */
export const MAX_FREEHAND_POINTS = 5000;
/** A reference must be long enough to measure against; a click is not a reference. */
export const MIN_CALIBRATION_PX = 5;

const toImage = (ctx: GestureContext, p: Point): Point => screenToImage(ctx.camera, ctx.viewport, p);
const pinchOf = (a: Point, b: Point): { dist: number; mid: Point } => ({
  dist: Math.hypot(a.x - b.x, a.y - b.y),
  mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 },
});

export function pointerDown(s: GestureState, ctx: GestureContext, e: PointerDown): GestureStep {
  const pointers = { ...s.pointers, [e.id]: e.at };
  const down = Object.values(pointers);
  if (down.length === 2) {
    // A second finger turns whatever the first was doing into a pinch; a half-drawn mark is dropped.
    const [a, b] = down as [Point, Point];
    return {
      state: { ...s, pointers, mode: 'pinch', pinch: pinchOf(a, b), draft: null },
      effects: [{ kind: 'capture' }],
    };
  }
  if (e.button !== 0) return { state: { ...s, pointers }, effects: [] };
  const at = toImage(ctx, e.at);
  const base = { ...s, pointers, last: e.at };
  if (ctx.picking) return { state: base, effects: [{ kind: 'pick', point: at }] };
  const id = (): string => ctx.newId();
  switch (ctx.tool) {
    case 'select':
      if (e.onMark) return { state: base, effects: [] };
      return { state: { ...base, mode: 'pan' }, effects: [{ kind: 'deselect' }, { kind: 'capture' }] };
    case 'calibrate':
      return {
        state: { ...base, mode: 'calibrate', pendingCalibration: null, calibrationDraft: { from: at, to: at } },
        effects: [{ kind: 'capture' }],
      };
    case 'text': {
      const text = ctx.textLabel.trim() || 'Note';
      return {
        state: base,
        effects: [{ kind: 'shape', shape: { id: id(), kind: 'text', color: ctx.color, at, text } }],
      };
    }
    case 'arrow':
    case 'measure':
      return draw(base, { id: id(), kind: ctx.tool, color: ctx.color, from: at, to: at });
    case 'ellipse':
      return draw(base, { id: id(), kind: 'ellipse', color: ctx.color, center: at, rx: 0, ry: 0 });
    case 'freehand':
      return draw(base, { id: id(), kind: 'freehand', color: ctx.color, points: [at, at] });
  }
}

function draw(s: GestureState, draft: Shape): GestureStep {
  return { state: { ...s, mode: 'draw', draft }, effects: [{ kind: 'capture' }] };
}

export function pointerMove(s: GestureState, ctx: GestureContext, id: number, p: Point): GestureStep {
  if (!(id in s.pointers)) return { state: s, effects: [] };
  const pointers = { ...s.pointers, [id]: p };
  const moved = { ...s, pointers };
  const down = Object.values(pointers);
  if (s.mode === 'pinch' && s.pinch && down.length >= 2) {
    const next = pinchOf(down[0] as Point, down[1] as Point);
    let camera = zoomAt(ctx.camera, ctx.viewport, ctx.image, ctx.dpr, next.dist / Math.max(s.pinch.dist, 1), next.mid);
    camera = panBy(camera, ctx.image, ctx.viewport, ctx.dpr, next.mid.x - s.pinch.mid.x, next.mid.y - s.pinch.mid.y);
    return { state: { ...moved, pinch: next }, effects: [{ kind: 'camera', camera }] };
  }
  if (s.mode === 'pan') {
    const camera = panBy(ctx.camera, ctx.image, ctx.viewport, ctx.dpr, p.x - s.last.x, p.y - s.last.y);
    return { state: { ...moved, last: p }, effects: [{ kind: 'camera', camera }] };
  }
  const at = toImage(ctx, p);
  if (s.mode === 'calibrate') {
    const c = s.calibrationDraft;
    return { state: { ...moved, calibrationDraft: c ? { from: c.from, to: at } : c }, effects: [] };
  }
  const d = s.draft;
  if (s.mode !== 'draw' || !d) return { state: moved, effects: [] };
  return { state: { ...moved, draft: extendDraft(d, at) }, effects: [] };
}

function extendDraft(d: Shape, at: Point): Shape {
  switch (d.kind) {
    case 'arrow':
    case 'measure':
      return { ...d, to: at };
    case 'ellipse':
      return { ...d, rx: at.x - d.center.x, ry: at.y - d.center.y };
    case 'freehand':
      return d.points.length < MAX_FREEHAND_POINTS ? { ...d, points: [...d.points, at] } : d;
    case 'text':
      return d;
  }
}

/** A pointer lifted or cancelled. */
export function pointerUp(s: GestureState, id: number): GestureStep {
  const pointers = Object.fromEntries(Object.entries(s.pointers).filter(([k]) => Number(k) !== id));
  const left = Object.values(pointers);
  if (s.mode === 'pinch') {
    if (left.length >= 2) return { state: { ...s, pointers }, effects: [] };
    // One finger left: it carries on panning from where it is.
    const rest = left[0];
    return {
      state: { ...s, pointers, pinch: null, mode: rest ? 'pan' : 'none', last: rest ?? s.last },
      effects: [],
    };
  }
  if (s.mode === 'calibrate') {
    const c = s.calibrationDraft;
    const long = c !== null && Math.hypot(c.to.x - c.from.x, c.to.y - c.from.y) >= MIN_CALIBRATION_PX;
    return {
      state: { ...s, pointers, mode: 'none', calibrationDraft: null, pendingCalibration: long ? c : null },
      effects: [],
    };
  }
  if (s.mode === 'draw') {
    const d = s.draft;
    return {
      state: { ...s, pointers, mode: 'none', draft: null },
      effects: d && !isDegenerate(d) ? [{ kind: 'shape', shape: d }] : [],
    };
  }
  return { state: { ...s, pointers, mode: 'none' }, effects: [] };
}

/** The length typed (or the reference abandoned): the pending reference is gone either way. */
export function clearCalibration(s: GestureState): GestureState {
  return { ...s, pendingCalibration: null };
}

/** A mark too small to have been meant (a click with a drawing tool). */
export function isDegenerate(shape: Shape): boolean {
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

export interface WheelInput {
  deltaY: number;
  /** 0 pixels, 1 lines (Firefox's mouse wheel), 2 pages. */
  deltaMode: number;
  /** A trackpad pinch arrives as a wheel event with ctrlKey set: it zooms faster. */
  ctrlKey: boolean;
  at: Point;
}

/** The zoom factor of one wheel event about its point. */
export function wheelZoomFactor(w: WheelInput): number {
  const k = w.ctrlKey ? 0.01 : 0.0015;
  const delta = w.deltaMode === 1 ? w.deltaY * 33 : w.deltaY;
  return Math.exp(-delta * k);
}
