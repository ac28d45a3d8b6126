import { renderMatrix, visibleImageRect, type Camera, type Size } from '../../../../shared/domain/viewer/camera';
import { chooseLevel, previewSuffices, tilesFor, tileVariant } from '../../../../shared/domain/viewer/levels';
import { similarityMatrix, type Similarity } from '../../../../shared/domain/viewer/registration';
import { api } from '../../api/client';
import { tileLoader } from './tile-loader';
import type { ViewerImage } from './viewer-types';

export function previewKey(sha256: string): string {
  return `preview:${sha256}`;
}

export function thumbKey(sha256: string): string {
  return `preview:thumb:${sha256}`;
}

/** Asks for the thumbnail (tiny, first paint) and the preview (≤ 2048 px) of an image. */
export function prefetchPreview(sha256: string): void {
  void tileLoader.load(thumbKey(sha256), api.imageUrl(sha256, 'thumb'), 'preview');
  void tileLoader.load(previewKey(sha256), api.imageUrl(sha256, 'preview'), 'preview');
}

export function tileKey(sha256: string, variant: string): string {
  return `${sha256}/${variant}`;
}

export interface Overlay {
  image: ViewerImage;
  /** Maps the overlay image's coordinates onto this viewer's image. */
  transform: Similarity;
  mode: 'blink' | 'swipe';
  /** Blink: whether the overlay is showing. Swipe: the split as a fraction of the viewport width. */
  visible: boolean;
  split: number;
}

export interface DrawState {
  viewerId: string;
  image: ViewerImage;
  camera: Camera;
  viewport: Size;
  dpr: number;
  /** Nearest-neighbour when magnified past 1:1 (pixel inspection). */
  pixelated: boolean;
  /** The camera is moving (zoom or pan in progress): plain bilinear, see drawImageLayer. */
  moving: boolean;
  overlay: Overlay | null;
}

/** What was drawn, for tests and the benchmark: whether every wanted tile was on screen. */
export interface DrawResult {
  previewDrawn: boolean;
  /** Everything on screen is at full display resolution (preview or all wanted tiles). */
  sharp: boolean;
  level: number | null;
  wanted: number;
  drawn: number;
}

/**
 * Whether a frame of this image can show anything yet (its thumbnail or preview is decoded).
 * Until then the viewer leaves its canvas untouched: a frame that only clears an empty canvas
 * still makes the compositor copy the whole stage-sized bitmap (several ms each, in software),
 * on the main thread that is about to receive the first bitmap.
 */
export function canPaint(sha256: string): boolean {
  return !!(tileLoader.cached(previewKey(sha256)) ?? tileLoader.cached(thumbKey(sha256)));
}

/** The result of a frame left undrawn (see canPaint); keeps asking for the thumbnail and preview. */
export function nothingToDraw(sha256: string): DrawResult {
  prefetchPreview(sha256);
  return { previewDrawn: false, sharp: false, level: null, wanted: 0, drawn: 0 };
}

/**
 * Draws the preview, then whatever tiles of the visible region are already decoded, and asks the
 * loader for the rest (each arrival triggers another draw). Never decodes anything itself.
 */
export function drawImageLayer(ctx: CanvasRenderingContext2D, state: DrawState): DrawResult {
  const { image, camera, viewport, dpr } = state;
  const { meta } = image;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.setTransform(...renderMatrix(camera, viewport, dpr));
  ctx.imageSmoothingEnabled = !(state.pixelated && camera.scale * dpr > 1);
  // While the camera moves, plain bilinear ('low'): mipmapped sampling ('medium') of the preview
  // and tiles doubled the raster time of a frame in software (two locked views fell from ~40 to
  // ~20 frames a second, BENCHMARKS.md). When the camera settles the frame is drawn again with
  // 'medium', so a still image never shows the aliasing of a >2x minified bilinear sample.
  ctx.imageSmoothingQuality = state.moving ? 'low' : 'medium';

  // Progressive: the thumbnail (a few KB) paints at once, the preview replaces it when decoded.
  const full = tileLoader.cached(previewKey(image.sha256));
  const preview = full ?? tileLoader.cached(thumbKey(image.sha256));
  if (!full) prefetchPreview(image.sha256);
  const visible = visibleImageRect(camera, viewport, meta);
  const needTiles = !!visible && !previewSuffices(meta, meta.preview, camera.scale, dpr);
  const level = needTiles ? chooseLevel(meta, camera.scale, dpr) : null;
  const tiles = visible && level !== null ? tilesFor(meta, level, visible) : [];
  const bitmaps = tiles.map((tile) => tileLoader.cached(tileKey(image.sha256, tileVariant(tile))));
  // The preview is only painted where it shows: under missing tiles (or alone when it suffices),
  // and only its visible part, so a frame never resamples the whole 2048 px bitmap.
  if (preview && visible && (!needTiles || bitmaps.some((b) => !b))) {
    const k = preview.width / meta.width;
    ctx.drawImage(
      preview,
      visible.x * k,
      visible.y * k,
      visible.width * k,
      visible.height * k,
      visible.x,
      visible.y,
      visible.width,
      visible.height,
    );
  }

  const result: DrawResult = { previewDrawn: !!preview, sharp: false, level, wanted: 0, drawn: 0 };
  const keys: string[] = [];
  if (needTiles) {
    tiles.forEach((tile, i) => {
      const key = tileKey(image.sha256, tileVariant(tile));
      keys.push(key);
      const bitmap = bitmaps[i];
      result.wanted++;
      if (bitmap) {
        const r = tile.imageRect;
        ctx.drawImage(bitmap, r.x, r.y, r.width, r.height);
        result.drawn++;
      }
    });
    tileLoader.want(state.viewerId, keys);
    for (const key of keys) {
      if (!tileLoader.cached(key)) void tileLoader.load(key, api.imageUrl(image.sha256, key.split('/')[1] ?? ''));
    }
  } else {
    tileLoader.want(state.viewerId, keys);
  }

  result.sharp = needTiles ? result.drawn === result.wanted : !!full;
  if (state.overlay && state.overlay.visible) drawOverlay(ctx, state, state.overlay);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  return result;
}

function drawOverlay(ctx: CanvasRenderingContext2D, state: DrawState, overlay: Overlay): void {
  const bitmap = tileLoader.cached(previewKey(overlay.image.sha256));
  if (!bitmap) {
    void tileLoader.load(previewKey(overlay.image.sha256), api.imageUrl(overlay.image.sha256, 'preview'), 'preview');
    return;
  }
  ctx.save();
  if (overlay.mode === 'swipe') {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.beginPath();
    ctx.rect(0, 0, state.viewport.width * state.dpr * overlay.split, state.viewport.height * state.dpr);
    ctx.clip();
  }
  ctx.setTransform(...renderMatrix(state.camera, state.viewport, state.dpr));
  ctx.transform(...similarityMatrix(overlay.transform));
  ctx.drawImage(bitmap, 0, 0, overlay.image.meta.width, overlay.image.meta.height);
  ctx.restore();
}
