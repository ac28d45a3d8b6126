import type { Rect, Size } from './camera';

/**
 * Deep Zoom pyramid addressing (the layout libvips' dzsave writes and OpenSeadragon reads):
 * level `maxLevel` is full resolution; each level below halves it (rounding up), down to 1 px.
 */
export interface Pyramid {
  width: number;
  height: number;
  tileSize: number;
  overlap: number;
  maxLevel: number;
}

export interface TileRef {
  level: number;
  x: number;
  y: number;
  /** Where the tile's pixels go in oriented-image coordinates (overlap included). */
  imageRect: Rect;
}

export function levelScale(pyramid: Pyramid, level: number): number {
  return 2 ** (level - pyramid.maxLevel);
}

export function levelSize(pyramid: Pyramid, level: number): Size {
  const div = 2 ** (pyramid.maxLevel - level);
  return { width: Math.ceil(pyramid.width / div), height: Math.ceil(pyramid.height / div) };
}

/**
 * The coarsest level that still gives at least one level pixel per device pixel at this zoom
 * (CSS px per image px × devicePixelRatio). Beyond 1:1 it is always full resolution.
 */
export function chooseLevel(pyramid: Pyramid, scale: number, dpr: number): number {
  const devicePerImage = scale * dpr;
  if (devicePerImage >= 1) return pyramid.maxLevel;
  const level = pyramid.maxLevel + Math.ceil(Math.log2(devicePerImage) - 1e-9);
  return Math.max(0, Math.min(pyramid.maxLevel, level));
}

/** Whether the preview (already drawn) is as sharp as the level we would need: then no tiles. */
export function previewSuffices(pyramid: Pyramid, preview: Size, scale: number, dpr: number): boolean {
  return preview.width / pyramid.width >= scale * dpr;
}

/** The tiles of `level` that intersect `visible` (image coordinates), nearest the centre first. */
export function tilesFor(pyramid: Pyramid, level: number, visible: Rect): TileRef[] {
  const s = levelScale(pyramid, level);
  const size = levelSize(pyramid, level);
  const t = pyramid.tileSize;
  const cols = Math.ceil(size.width / t);
  const rows = Math.ceil(size.height / t);
  const x0 = Math.max(0, Math.floor((visible.x * s) / t));
  const y0 = Math.max(0, Math.floor((visible.y * s) / t));
  const x1 = Math.min(cols - 1, Math.floor(((visible.x + visible.width) * s - 1e-9) / t));
  const y1 = Math.min(rows - 1, Math.floor(((visible.y + visible.height) * s - 1e-9) / t));
  const tiles: TileRef[] = [];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      tiles.push({ level, x, y, imageRect: tileImageRect(pyramid, level, x, y) });
    }
  }
  const cx = (visible.x + visible.width / 2) * s;
  const cy = (visible.y + visible.height / 2) * s;
  const dist = (r: TileRef): number => Math.hypot((r.x + 0.5) * t - cx, (r.y + 0.5) * t - cy);
  return tiles.sort((a, b) => dist(a) - dist(b));
}

/**
 * A tile's footprint in image coordinates. Inner edges carry `overlap` extra pixels from the
 * neighbour: drawing each tile over its full footprint covers the seams that rounding would
 * otherwise leave as hairlines between tiles.
 */
export function tileImageRect(pyramid: Pyramid, level: number, x: number, y: number): Rect {
  const s = levelScale(pyramid, level);
  const size = levelSize(pyramid, level);
  const t = pyramid.tileSize;
  const o = pyramid.overlap;
  const left = x * t - (x > 0 ? o : 0);
  const top = y * t - (y > 0 ? o : 0);
  const right = Math.min(size.width, (x + 1) * t + o);
  const bottom = Math.min(size.height, (y + 1) * t + o);
  return { x: left / s, y: top / s, width: (right - left) / s, height: (bottom - top) / s };
}

export function tileVariant(tile: { level: number; x: number; y: number }): string {
  return `tile-${tile.level}-${tile.x}-${tile.y}`;
}
