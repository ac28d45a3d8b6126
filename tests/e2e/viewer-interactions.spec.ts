import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { dermoscopyFixtures } from '../support/fixtures';
import { expect, test } from './fixtures/desk-app';
import { ViewerPage } from './pages/viewer-page';
import { openComparePair, seedCaseWithImages } from './pages/viewer-seed';

/**
 * Viewer interactions the other specs do not reach: blink overlay after registration, pinch zoom
 * (trackpad and touch), and the minimap. Each asserts the effect (pixels or camera), so it fails
 * if the feature is missing.
 */
function meanDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

/** A dermoscopy fixture enlarged to a photo-like size (so there is room to zoom and pan). */
async function largeImage(index: number, width: number, height: number): Promise<Buffer> {
  return sharp(readFileSync(dermoscopyFixtures()[index] ?? ''))
    .resize(width, height, { fit: 'fill' })
    .jpeg({ quality: 90 })
    .toBuffer();
}

test.describe('viewer interactions', () => {
  test('blink alternates the registered second image over the first', async ({ app }) => {
    const viewer = await openComparePair(app);
    const blink = app.page.getByRole('button', { name: 'Blink' });
    // No registration yet: nothing to overlay.
    await expect(blink).toBeDisabled();
    await viewer.register([
      [0.3, 0.3],
      [0.7, 0.6],
    ]);
    await blink.click();
    await expect(blink).toHaveAttribute('aria-pressed', 'true');
    await expect(app.page.getByTestId('viewer-stage')).toHaveCount(1);
    await viewer.waitSharp();
    // The same stage shows the second image, then the first again, then the second… (600 ms each).
    // 15 s: the second image's preview may still be loading on a loaded machine.
    const start = (await viewer.stagePixels()).data;
    await expect
      .poll(async () => meanDiff(start, (await viewer.stagePixels()).data), { timeout: 15_000, intervals: [100] })
      .toBeGreaterThan(5);
    await expect
      .poll(async () => meanDiff(start, (await viewer.stagePixels()).data), { timeout: 15_000, intervals: [100] })
      .toBeLessThan(1);
    // Blink off: the overlay stops (the stage stays on the first image).
    await blink.click();
    await expect(blink).toHaveAttribute('aria-pressed', 'false');
  });

  test('a trackpad pinch (ctrl+wheel) zooms strongly about the fingers; a plain wheel only a little', async ({
    app,
  }) => {
    const { caseId } = await seedCaseWithImages(app, [await largeImage(0, 2400, 1800)]);
    const viewer = new ViewerPage(app.page);
    await viewer.openCase(caseId);
    await viewer.waitSharp();
    const before = await viewer.camera();
    const box = await viewer.stage.boundingBox();
    if (!box) throw new Error('viewer stage not visible');
    const at: [number, number] = [0.3, 0.35];
    // The image point under the fingers, before (rotation 0: screen offset / scale).
    const under = (cam: { cx: number; cy: number; scale: number }): { x: number; y: number } => ({
      x: cam.cx + (box.width * at[0] - box.width / 2) / cam.scale,
      y: cam.cy + (box.height * at[1] - box.height / 2) / cam.scale,
    });
    const anchor = under(before);

    await viewer.trackpadPinch(at, -40);
    // Chromium's pinch: ctrl+wheel, 0.01 per unit → e^0.4 ≈ 1.49× (a plain wheel of 40 is e^0.06).
    await expect.poll(async () => (await viewer.camera()).scale / before.scale).toBeCloseTo(Math.exp(0.4), 2);
    const after = await viewer.camera();
    expect(Math.abs(under(after).x - anchor.x)).toBeLessThan(2);
    expect(Math.abs(under(after).y - anchor.y)).toBeLessThan(2);

    const mouse = app.page.mouse;
    await mouse.wheel(0, -40);
    await expect.poll(async () => (await viewer.camera()).scale / after.scale).toBeCloseTo(Math.exp(0.06), 2);
  });

  test('a moving view is drawn at interactive quality and redrawn at full quality once it stops', async ({ app }) => {
    const { caseId } = await seedCaseWithImages(app, [await largeImage(0, 2400, 1800)]);
    const viewer = new ViewerPage(app.page);
    await viewer.openCase(caseId);
    await viewer.waitSharp();
    await expect(viewer.stage).toHaveAttribute('data-smoothing', 'full');
    // Every quality the stage is drawn at from now on, in order.
    await viewer.stage.evaluate((el) => {
      const seen: string[] = [];
      (window as unknown as { smoothingSeen: string[] }).smoothingSeen = seen;
      new MutationObserver(() => seen.push(el.dataset['smoothing'] ?? '')).observe(el, {
        attributeFilter: ['data-smoothing'],
      });
    });
    const box = await viewer.stage.boundingBox();
    if (!box) throw new Error('viewer stage not visible');
    await app.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 8; i++) await app.page.mouse.wheel(0, -60);
    const seen = (): Promise<string[]> =>
      app.page.evaluate(() => (window as unknown as { smoothingSeen: string[] }).smoothingSeen);
    await expect.poll(seen).toContain('interactive');
    await expect.poll(async () => (await seen()).at(-1)).toBe('full');
    await expect(viewer.stage).toHaveAttribute('data-smoothing', 'full');
  });

  test('a mark shows on the image, and undoing the last one clears it from the canvas', async ({ app }) => {
    // The viewer skips drawing an empty marks layer; adding and undoing a mark must still show.
    const { caseId } = await seedCaseWithImages(app, [await largeImage(1, 2400, 1800)]);
    const viewer = new ViewerPage(app.page);
    await viewer.openCase(caseId);
    await viewer.waitSharp();
    await expect(viewer.stage).toHaveAttribute('data-smoothing', 'full');
    const clean = (await viewer.stagePixels()).data;
    await viewer.key('a');
    await viewer.drag([0.3, 0.3], [0.6, 0.6]);
    await expect(viewer.marks).toHaveCount(1);
    await expect.poll(async () => meanDiff(clean, (await viewer.stagePixels()).data)).toBeGreaterThan(0.05);
    await viewer.key('Control+z');
    await expect(viewer.marks).toHaveCount(0);
    await expect.poll(async () => meanDiff(clean, (await viewer.stagePixels()).data)).toBeLessThan(0.01);
  });

  test('a two-finger touch pinch zooms in as the fingers spread', async ({ app }) => {
    const { caseId } = await seedCaseWithImages(app, [await largeImage(1, 2400, 1800)]);
    const viewer = new ViewerPage(app.page);
    await viewer.openCase(caseId);
    await viewer.waitSharp();
    const before = (await viewer.camera()).scale;
    // Fingers from 20 % to 40 % of the stage width apart: twice the distance, twice the scale.
    await viewer.touchPinch(0.2, 0.4);
    await expect.poll(async () => (await viewer.camera()).scale / before).toBeCloseTo(2, 1);
  });

  test('clicking the minimap centres the view on that point of the image', async ({ app }) => {
    const { caseId } = await seedCaseWithImages(app, [await largeImage(2, 3000, 2250)]);
    const viewer = new ViewerPage(app.page);
    await viewer.openCase(caseId);
    await viewer.waitSharp();
    await viewer.key('1');
    await expect.poll(async () => (await viewer.camera()).cx).toBeCloseTo(1500, 0);
    const map = await viewer.minimap.boundingBox();
    if (!map) throw new Error('minimap not visible');
    await app.page.mouse.click(map.x + map.width * 0.2, map.y + map.height * 0.3);
    // One minimap pixel is 3000 / 160 ≈ 19 image pixels.
    await expect.poll(async () => Math.abs((await viewer.camera()).cx - 600)).toBeLessThan(20);
    expect(Math.abs((await viewer.camera()).cy - 675)).toBeLessThan(20);
    // Still 1:1, and the new region is drawn sharp from the tiles.
    await viewer.waitSharp();
    await expect(app.page.getByTestId('zoom-level').first()).toHaveText(/^100%/);
  });
});
