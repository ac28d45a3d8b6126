import { describe, expect, it } from 'vitest';
import {
  clampCamera,
  fitCamera,
  fitScale,
  fromRelative,
  imageToScreen,
  panBy,
  renderMatrix,
  rotateBy,
  screenToImage,
  toRelative,
  visibleImageRect,
  zoomAt,
  zoomTo,
  type Camera,
  type Rotation,
} from './camera';
import { chooseLevel, levelSize, previewSuffices, tileImageRect, tilesFor, type Pyramid } from './levels';
import { applySimilarity, registerPoints } from './registration';

const image = { width: 8000, height: 6000 };
const viewport = { width: 1000, height: 800 };

describe('camera transforms', () => {
  it('fit shows the whole image centred', () => {
    const cam = fitCamera(image, viewport);
    expect(cam.scale).toBeCloseTo(1000 / 8000);
    expect(imageToScreen(cam, viewport, { x: 0, y: 3000 })).toEqual({ x: 0, y: 400 });
    expect(imageToScreen(cam, viewport, { x: 8000, y: 3000 })).toEqual({ x: 1000, y: 400 });
  });

  for (const rotation of [0, 90, 180, 270] as Rotation[]) {
    it(`screenToImage inverts imageToScreen at ${rotation}°`, () => {
      const cam: Camera = { center: { x: 1234, y: 987 }, scale: 0.37, rotation };
      for (const p of [
        { x: 0, y: 0 },
        { x: 5000, y: 17 },
        { x: 7999, y: 5999 },
      ]) {
        const back = screenToImage(cam, viewport, imageToScreen(cam, viewport, p));
        expect(back.x).toBeCloseTo(p.x, 6);
        expect(back.y).toBeCloseTo(p.y, 6);
      }
    });
  }

  it('rotating 90° clockwise puts the image top-left corner at the top right', () => {
    const cam = rotateBy(fitCamera(image, viewport), image, viewport, 1, 1);
    expect(cam.rotation).toBe(90);
    expect(cam.scale).toBeCloseTo(fitScale(image, viewport, 90));
    const tl = imageToScreen(cam, viewport, { x: 0, y: 0 });
    const tr = imageToScreen(cam, viewport, { x: image.width, y: 0 });
    expect(tl.x).toBeGreaterThan(viewport.width / 2);
    expect(tr.y).toBeGreaterThan(tl.y);
    expect(rotateBy(cam, image, viewport, 1, 3).rotation).toBe(0);
  });

  it('zoomAt keeps the image point under the pointer fixed, at every rotation', () => {
    for (const rotation of [0, 90, 180, 270] as Rotation[]) {
      const cam = fitCamera(image, viewport, rotation);
      const anchor = { x: 620, y: 310 };
      const before = screenToImage(cam, viewport, anchor);
      const after = zoomAt(cam, viewport, image, 1, 2.5, anchor);
      expect(after.scale).toBeCloseTo(cam.scale * 2.5);
      const p = screenToImage(after, viewport, anchor);
      expect(p.x).toBeCloseTo(before.x, 6);
      expect(p.y).toBeCloseTo(before.y, 6);
    }
  });

  it('zoom is limited to 8 device pixels per image pixel and half of fit', () => {
    const cam = fitCamera(image, viewport);
    expect(zoomAt(cam, viewport, image, 1, 1e6, { x: 500, y: 400 }).scale).toBe(8);
    expect(zoomAt(cam, viewport, image, 2, 1e6, { x: 500, y: 400 }).scale).toBe(4);
    expect(zoomAt(cam, viewport, image, 1, 1e-6, { x: 500, y: 400 }).scale).toBeCloseTo(cam.scale / 2);
  });

  it('pan follows the pointer and cannot move the centre off the image', () => {
    const cam = zoomTo(fitCamera(image, viewport), viewport, image, 1, 1, { x: 500, y: 400 });
    const moved = panBy(cam, image, viewport, 1, -100, 50);
    expect(moved.center.x).toBeCloseTo(cam.center.x + 100);
    expect(moved.center.y).toBeCloseTo(cam.center.y - 50);
    const rotated: Camera = { ...cam, rotation: 90 };
    const r = panBy(rotated, image, viewport, 1, 0, -100);
    // Dragging up on a 90°-rotated image moves along the image's +x axis... the picture follows.
    expect(imageToScreen(r, viewport, cam.center).y).toBeCloseTo(imageToScreen(rotated, viewport, cam.center).y - 100);
    const far = panBy(cam, image, viewport, 1, 1e7, 1e7);
    expect(far.center).toEqual({ x: 0, y: 0 });
  });

  it('clamps a non-finite-free camera into range', () => {
    const c = clampCamera({ center: { x: -5, y: 1e9 }, scale: 100, rotation: 0 }, image, viewport, 1);
    expect(c).toEqual({ center: { x: 0, y: 6000 }, scale: 8, rotation: 0 });
  });

  it('visible rect at fit is the whole image, and a quarter of it at 2x fit', () => {
    const fit = fitCamera(image, viewport);
    expect(visibleImageRect(fit, viewport, image)).toEqual({ x: 0, y: 0, width: 8000, height: 6000 });
    const z = { ...fit, scale: fit.scale * 2 };
    const r = visibleImageRect(z, viewport, image)!;
    expect(r.width).toBeCloseTo(4000);
    expect(r.x).toBeCloseTo(2000);
  });

  it('renderMatrix snaps the translation to whole device pixels at 1:1 so pixels are exact', () => {
    const cam: Camera = { center: { x: 100.3, y: 50.6 }, scale: 1, rotation: 0 };
    const m = renderMatrix(cam, { width: 501, height: 301 }, 1);
    expect(m.slice(0, 4)).toEqual([1, 0, -0, 1]);
    expect(Number.isInteger(m[4])).toBe(true);
    expect(Number.isInteger(m[5])).toBe(true);
    const hidpi = renderMatrix({ ...cam, scale: 0.5 }, viewport, 2);
    expect(hidpi[0]).toBe(1);
  });

  it('relative views carry zoom and centre across images of different sizes (locked compare)', () => {
    const other = { width: 3000, height: 4000 };
    const cam = zoomAt(fitCamera(image, viewport), viewport, image, 1, 3, { x: 300, y: 200 });
    const rel = toRelative(cam, image, viewport);
    const mirrored = fromRelative(rel, 0, other, viewport, 1);
    expect(mirrored.center.x / other.width).toBeCloseTo(cam.center.x / image.width);
    expect(mirrored.scale / fitScale(other, viewport, 0)).toBeCloseTo(3);
  });
});

describe('level choice and tiles', () => {
  const pyramid: Pyramid = { width: 8000, height: 6000, tileSize: 256, overlap: 1, maxLevel: 13 };

  it('uses full resolution at and beyond 1:1, and one level down per halving', () => {
    expect(chooseLevel(pyramid, 1, 1)).toBe(13);
    expect(chooseLevel(pyramid, 8, 1)).toBe(13);
    expect(chooseLevel(pyramid, 0.5, 1)).toBe(12);
    expect(chooseLevel(pyramid, 0.49, 1)).toBe(12);
    expect(chooseLevel(pyramid, 0.26, 1)).toBe(12);
    expect(chooseLevel(pyramid, 0.25, 1)).toBe(11);
    expect(chooseLevel(pyramid, 0.5, 2)).toBe(13);
    expect(chooseLevel(pyramid, 1e-9, 1)).toBe(0);
  });

  it('the 2048 px preview suffices at fit on a normal screen, not at 1:1', () => {
    const preview = { width: 2048, height: 1536 };
    expect(previewSuffices(pyramid, preview, 1000 / 8000, 1)).toBe(true);
    expect(previewSuffices(pyramid, preview, 1, 1)).toBe(false);
  });

  it('level sizes halve rounding up', () => {
    expect(levelSize(pyramid, 13)).toEqual({ width: 8000, height: 6000 });
    expect(levelSize(pyramid, 12)).toEqual({ width: 4000, height: 3000 });
    expect(levelSize(pyramid, 0)).toEqual({ width: 1, height: 1 });
  });

  it('tiles of the visible region cover it, and only it', () => {
    const visible = { x: 300, y: 300, width: 600, height: 100 };
    const tiles = tilesFor(pyramid, 13, visible);
    expect(tiles.map((t) => `${t.x},${t.y}`).sort()).toEqual(['1,1', '2,1', '3,1']);
    const union = tiles.reduce(
      (u, t) => ({
        x0: Math.min(u.x0, t.imageRect.x),
        x1: Math.max(u.x1, t.imageRect.x + t.imageRect.width),
      }),
      { x0: Infinity, x1: -Infinity },
    );
    expect(union.x0).toBeLessThanOrEqual(300);
    expect(union.x1).toBeGreaterThanOrEqual(900);
  });

  it('tile rects include the overlap on inner edges only', () => {
    expect(tileImageRect(pyramid, 13, 0, 0)).toEqual({ x: 0, y: 0, width: 257, height: 257 });
    expect(tileImageRect(pyramid, 13, 1, 1)).toEqual({ x: 255, y: 255, width: 258, height: 258 });
    const last = tileImageRect(pyramid, 13, 31, 0);
    expect(last.x + last.width).toBe(8000);
    expect(tileImageRect(pyramid, 12, 1, 0)).toEqual({ x: 510, y: 0, width: 516, height: 514 });
  });

  it('orders tiles nearest the centre first (what the consultant looks at loads first)', () => {
    const tiles = tilesFor(pyramid, 13, { x: 0, y: 0, width: 256 * 5, height: 256 });
    expect(tiles[0]).toMatchObject({ x: 2, y: 0 });
  });
});

describe('registration', () => {
  it('recovers a similarity from two landmark pairs exactly', () => {
    const t = { a: Math.cos(0.3) * 1.5, b: Math.sin(0.3) * 1.5, tx: 40, ty: -12 };
    const moving = [
      { x: 10, y: 20 },
      { x: 200, y: 90 },
    ];
    const reference = moving.map((p) => applySimilarity(t, p));
    const found = registerPoints(moving, reference)!;
    expect(found.a).toBeCloseTo(t.a);
    expect(found.b).toBeCloseTo(t.b);
    expect(found.tx).toBeCloseTo(t.tx);
    expect(found.ty).toBeCloseTo(t.ty);
  });

  it('refuses coincident points', () => {
    expect(
      registerPoints(
        [
          { x: 1, y: 1 },
          { x: 1, y: 1 },
        ],
        [
          { x: 0, y: 0 },
          { x: 5, y: 5 },
        ],
      ),
    ).toBeNull();
  });
});
