/**
 * The viewer's camera as pure data. Coordinates:
 * - image: oriented-image pixels (EXIF already applied by the derivation), origin top-left;
 * - screen: CSS pixels in the viewport, origin top-left.
 * screen = R(rotation) · (image − center) · scale + viewport/2
 * Every effect (Konva, the minimap, annotations, compare locking) goes through these functions,
 * so hit-testing and drawing can never disagree.
 */
export type Rotation = 0 | 90 | 180 | 270;

export interface Size {
  width: number;
  height: number;
}

export interface Vec {
  x: number;
  y: number;
}

export interface Camera {
  /** The image point at the centre of the viewport. */
  center: Vec;
  /** CSS px per image px. */
  scale: number;
  rotation: Rotation;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Magnification limit in device pixels per image pixel (the "up to 8x"). */
export const MAX_PIXEL_ZOOM = 8;

function rotate(v: Vec, degrees: number): Vec {
  const r = ((degrees % 360) + 360) % 360;
  switch (r) {
    case 90:
      return { x: -v.y, y: v.x };
    case 180:
      return { x: -v.x, y: -v.y };
    case 270:
      return { x: v.y, y: -v.x };
    default:
      return { x: v.x, y: v.y };
  }
}

export function imageToScreen(cam: Camera, viewport: Size, p: Vec): Vec {
  const r = rotate({ x: (p.x - cam.center.x) * cam.scale, y: (p.y - cam.center.y) * cam.scale }, cam.rotation);
  return { x: r.x + viewport.width / 2, y: r.y + viewport.height / 2 };
}

export function screenToImage(cam: Camera, viewport: Size, s: Vec): Vec {
  const r = rotate({ x: s.x - viewport.width / 2, y: s.y - viewport.height / 2 }, -cam.rotation);
  return { x: r.x / cam.scale + cam.center.x, y: r.y / cam.scale + cam.center.y };
}

/** The image's size as seen after rotation. */
export function rotatedSize(image: Size, rotation: Rotation): Size {
  return rotation % 180 === 0 ? image : { width: image.height, height: image.width };
}

export function fitScale(image: Size, viewport: Size, rotation: Rotation): number {
  const r = rotatedSize(image, rotation);
  if (r.width <= 0 || r.height <= 0 || viewport.width <= 0 || viewport.height <= 0) return 1;
  return Math.min(viewport.width / r.width, viewport.height / r.height);
}

export function fitCamera(image: Size, viewport: Size, rotation: Rotation = 0): Camera {
  return { center: { x: image.width / 2, y: image.height / 2 }, scale: fitScale(image, viewport, rotation), rotation };
}

/** Scale limits: from half of "fit" (or 1:1 for tiny images) up to 8 device px per image px. */
export function scaleLimits(
  image: Size,
  viewport: Size,
  rotation: Rotation,
  dpr: number,
): { min: number; max: number } {
  const fit = fitScale(image, viewport, rotation);
  return { min: Math.min(fit / 2, 1 / dpr), max: MAX_PIXEL_ZOOM / dpr };
}

/** Keeps the centre on the image, so the picture can never be panned out of sight. */
export function clampCamera(cam: Camera, image: Size, viewport: Size, dpr: number): Camera {
  const { min, max } = scaleLimits(image, viewport, cam.rotation, dpr);
  const scale = Math.min(max, Math.max(min, cam.scale));
  return {
    rotation: cam.rotation,
    scale,
    center: {
      x: Math.min(image.width, Math.max(0, cam.center.x)),
      y: Math.min(image.height, Math.max(0, cam.center.y)),
    },
  };
}

/** Zooms by `factor` keeping the image point under `anchor` (screen) where it is (wheel, pinch). */
export function zoomAt(cam: Camera, viewport: Size, image: Size, dpr: number, factor: number, anchor: Vec): Camera {
  const { min, max } = scaleLimits(image, viewport, cam.rotation, dpr);
  const scale = Math.min(max, Math.max(min, cam.scale * factor));
  return zoomTo(cam, viewport, image, dpr, scale, anchor);
}

/** Sets an absolute scale (e.g. 1:1) keeping the image point under `anchor` fixed. */
export function zoomTo(cam: Camera, viewport: Size, image: Size, dpr: number, scale: number, anchor: Vec): Camera {
  const p = screenToImage(cam, viewport, anchor);
  const offset = rotate({ x: anchor.x - viewport.width / 2, y: anchor.y - viewport.height / 2 }, -cam.rotation);
  const next = { ...cam, scale, center: { x: p.x - offset.x / scale, y: p.y - offset.y / scale } };
  return clampCamera(next, image, viewport, dpr);
}

/** Pans by a screen-space delta (drag, arrow keys): the picture follows the pointer. */
export function panBy(cam: Camera, image: Size, viewport: Size, dpr: number, dx: number, dy: number): Camera {
  const d = rotate({ x: dx, y: dy }, -cam.rotation);
  return clampCamera(
    { ...cam, center: { x: cam.center.x - d.x / cam.scale, y: cam.center.y - d.y / cam.scale } },
    image,
    viewport,
    dpr,
  );
}

/** Rotates the view by 90° clockwise steps about the viewport centre, refitting if it was fitted. */
export function rotateBy(cam: Camera, image: Size, viewport: Size, dpr: number, steps: number): Camera {
  const rotation = ((((cam.rotation + steps * 90) % 360) + 360) % 360) as Rotation;
  const wasFit = Math.abs(cam.scale - fitScale(image, viewport, cam.rotation)) < 1e-9;
  if (wasFit) return fitCamera(image, viewport, rotation);
  return clampCamera({ ...cam, rotation }, image, viewport, dpr);
}

/** The part of the image inside the viewport (image coordinates, clipped to the image). */
export function visibleImageRect(cam: Camera, viewport: Size, image: Size): Rect | null {
  const corners = [
    screenToImage(cam, viewport, { x: 0, y: 0 }),
    screenToImage(cam, viewport, { x: viewport.width, y: 0 }),
    screenToImage(cam, viewport, { x: 0, y: viewport.height }),
    screenToImage(cam, viewport, { x: viewport.width, y: viewport.height }),
  ];
  const x0 = Math.max(0, Math.min(...corners.map((c) => c.x)));
  const y0 = Math.max(0, Math.min(...corners.map((c) => c.y)));
  const x1 = Math.min(image.width, Math.max(...corners.map((c) => c.x)));
  const y1 = Math.min(image.height, Math.max(...corners.map((c) => c.y)));
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * The 2D transform (a, b, c, d, e, f as in canvas setTransform) for drawing image coordinates.
 * At exactly 1 device px per image px and a right-angle rotation the translation is snapped to
 * whole device pixels, so 1:1 shows the image's own pixels, not a half-pixel blend of them.
 */
export function renderMatrix(
  cam: Camera,
  viewport: Size,
  dpr: number,
): [number, number, number, number, number, number] {
  const s = cam.scale * dpr;
  const rot = rotate({ x: 1, y: 0 }, cam.rotation);
  const a = rot.x * s;
  const b = rot.y * s;
  const c = -rot.y * s;
  const d = rot.x * s;
  let e = (viewport.width / 2) * dpr - (a * cam.center.x + c * cam.center.y);
  let f = (viewport.height / 2) * dpr - (b * cam.center.x + d * cam.center.y);
  if (Number.isInteger(s) || Math.abs(s - Math.round(s)) < 1e-9) {
    e = Math.round(e);
    f = Math.round(f);
  }
  return [a, b, c, d, e, f];
}

/**
 * Camera state that can be shared between viewers of different images (compare, locked): the
 * centre as a fraction of the image and the zoom relative to "fit".
 */
export interface RelativeView {
  u: number;
  v: number;
  zoom: number;
}

export function toRelative(cam: Camera, image: Size, viewport: Size): RelativeView {
  return {
    u: cam.center.x / image.width,
    v: cam.center.y / image.height,
    zoom: cam.scale / fitScale(image, viewport, cam.rotation),
  };
}

export function fromRelative(rel: RelativeView, rotation: Rotation, image: Size, viewport: Size, dpr: number): Camera {
  return clampCamera(
    {
      rotation,
      center: { x: rel.u * image.width, y: rel.v * image.height },
      scale: rel.zoom * fitScale(image, viewport, rotation),
    },
    image,
    viewport,
    dpr,
  );
}
