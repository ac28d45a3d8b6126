import { readFileSync, statSync, truncateSync } from 'node:fs';
import sharp from 'sharp';
import { originalPath } from '../../src/main/core/images/image-paths';
import type { Point } from '../../src/shared/domain/viewer/annotations';
import { renderMatrix } from '../../src/shared/domain/viewer/camera';
import { dermoscopyFixtures, exifOrientationFixtures } from '../support/fixtures';
import { expect, test } from './fixtures/desk-app';
import { ViewerPage } from './pages/viewer-page';
import { consultant, readCache } from './pages/triage-data';
import { openComparePair, seedCaseWithImages } from './pages/viewer-seed';
import { WorklistPage } from './pages/worklist-page';

/** A deterministic high-frequency pattern: 4 px blocks of pseudo-random colour. */
async function blockPattern(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed & 0xff;
  };
  const bw = Math.ceil(width / 4);
  const blocks = Buffer.alloc(bw * Math.ceil(height / 4) * 3);
  for (let i = 0; i < blocks.length; i++) blocks[i] = rand();
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) raw[(y * width + x) * 3 + c] = blocks[((y >> 2) * bw + (x >> 2)) * 3 + c] ?? 0;
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

function meanDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

/** Cuts the cached (encrypted) original in half, as a failing disk might. */
function corruptCachedOriginal(dataDir: string, sha256: string): void {
  const file = originalPath(dataDir, sha256);
  truncateSync(file, Math.floor(statSync(file).size / 2));
}

test.describe('image viewer', () => {
  test('zoom to 1:1 shows the real pixels of the full-resolution image', async ({ app }) => {
    const source = await blockPattern(3000, 2000);
    const { caseId } = await seedCaseWithImages(app, [source]);
    const viewer = new ViewerPage(app.page);
    await viewer.openCase(caseId);
    await viewer.waitSharp();
    await viewer.key('1');
    await expect(viewer.stage).toHaveAttribute('data-scale', '1.0000');
    await expect(viewer.stage).toHaveAttribute('data-level', '12');
    await viewer.waitSharp();
    const cam = await viewer.camera();
    const shot = await viewer.stagePixels();
    const m = renderMatrix(
      { center: { x: cam.cx, y: cam.cy }, scale: 1, rotation: 0 },
      { width: shot.width, height: shot.height },
      1,
    );
    // A 160 px square in the middle of the screen and the image pixels the camera says are there.
    const size = 160;
    const sx = Math.round(shot.width / 2 - size / 2);
    const sy = Math.round(shot.height / 2 - size / 2);
    // Compared as luma: the WebP tiles subsample chroma (as JPEG does), so colour edges of 4 px
    // random blocks blur a little; brightness is what shows whether pixels are where they belong.
    const luma = (img: ReturnType<typeof sharp>): Promise<Buffer> => img.greyscale().raw().toBuffer();
    const screenCrop = await luma(
      sharp(shot.data, { raw: { width: shot.width, height: shot.height, channels: 3 } }).extract({
        left: sx,
        top: sy,
        width: size,
        height: size,
      }),
    );
    const sourceCrop = async (dx: number, dy: number): Promise<number> =>
      meanDiff(
        screenCrop,
        await luma(sharp(source).extract({ left: sx - m[4] + dx, top: sy - m[5] + dy, width: size, height: size })),
      );
    const exact = await sourceCrop(0, 0);
    // Tiles are JPEG since session 4 (measured cheaper than WebP): their artefacts add ~0.3 to the mean.
    expect(exact).toBeLessThan(8);
    // Any sub-image one or two pixels away matches clearly worse: the screen shows these pixels,
    // at this place, unblurred.
    for (const [dx, dy] of [
      [1, 0],
      [-1, 0],
      [0, 1],
      [0, -1],
      [2, 2],
    ] as const) {
      expect(await sourceCrop(dx, dy)).toBeGreaterThan(exact * 1.5 + 2);
    }
  });

  test('all 16 EXIF orientations render upright', async ({ app }) => {
    const fixtures = exifOrientationFixtures();
    const files = fixtures.map((f) => readFileSync(f.file));
    const { caseId, shas } = await seedCaseWithImages(app, files);
    const viewer = new ViewerPage(app.page);
    await viewer.openCase(caseId);
    for (const [i, fixture] of fixtures.entries()) {
      await test.step(`${fixture.shape}_${fixture.orientation}`, async () => {
        await viewer.show(`close-up ${i + 1}`);
        await expect(app.page.locator(`[data-testid="image-viewer"][data-sha256="${shas[i]}"]`)).toBeVisible();
        await viewer.waitSharp();
        const upright = fixture.file.replace(/_\d\.jpg$/, '_1.jpg');
        const ref = await sharp(upright).metadata();
        const shot = await viewer.stagePixels();
        // The fitted image occupies a centred rectangle of the stage.
        const k = Math.min(shot.width / (ref.width ?? 1), shot.height / (ref.height ?? 1));
        const w = Math.floor((ref.width ?? 1) * k) - 4;
        const h = Math.floor((ref.height ?? 1) * k) - 4;
        const seen = await sharp(shot.data, { raw: { width: shot.width, height: shot.height, channels: 3 } })
          .extract({
            left: Math.ceil((shot.width - w) / 2),
            top: Math.ceil((shot.height - h) / 2),
            width: w,
            height: h,
          })
          .resize(24, 24, { fit: 'fill' })
          .greyscale()
          .raw()
          .toBuffer();
        const sig = (flop: boolean): Promise<Buffer> =>
          sharp(upright).flop(flop).resize(24, 24, { fit: 'fill' }).greyscale().raw().toBuffer();
        const upDiff = meanDiff(seen, await sig(false));
        expect(upDiff).toBeLessThan(12);
        expect(meanDiff(seen, await sig(true))).toBeGreaterThan(upDiff * 2);
      });
    }
  });

  test('marks survive a reload, and calibration turns px into mm', async ({ app }) => {
    const source = await sharp(readFileSync(dermoscopyFixtures()[0] ?? ''))
      .png()
      .toBuffer();
    const { caseId } = await seedCaseWithImages(app, [source]);
    const viewer = new ViewerPage(app.page);
    await viewer.openCase(caseId);
    await viewer.waitSharp();
    await expect(viewer.scaleState).toHaveText(/Not calibrated: lengths in px/);

    await viewer.key('m');
    await viewer.drag([0.3, 0.5], [0.7, 0.5]);
    await expect(viewer.marks).toHaveCount(1);
    const pxLabel = (await viewer.marks.first().textContent()) ?? '';
    const px = Number(/Measure (\d+) px/.exec(pxLabel)?.[1]);
    expect(px).toBeGreaterThan(50);

    // Calibrate: a reference half as long as the measurement, said to be 5 mm.
    await viewer.key('k');
    await viewer.drag([0.4, 0.6], [0.6, 0.6]);
    const form = app.page.getByRole('form', { name: 'Calibrate scale' });
    await form.getByLabel('Reference length (mm)').fill('5');
    await form.getByRole('button', { name: 'Set scale' }).click();
    await expect(viewer.scaleState).toHaveText(/Calibrated: 5 mm reference/);
    await expect(viewer.marks.first()).toHaveText(/Measure 10(\.\d)? mm/);

    await viewer.key('a');
    await viewer.drag([0.2, 0.2], [0.35, 0.35]);
    await expect(viewer.marks).toHaveCount(2);
    // Undo removes the arrow; redo brings it back (one step each).
    await viewer.key('Control+z');
    await expect(viewer.marks).toHaveCount(1);
    await viewer.key('Control+Shift+z');
    await expect(viewer.marks).toHaveCount(2);

    await app.restart();
    await viewer.openCase(caseId);
    await expect(viewer.marks).toHaveCount(2);
    await expect(viewer.marks.first()).toHaveText(/Measure 10(\.\d)? mm/);
    await expect(viewer.scaleState).toHaveText(/Calibrated: 5 mm reference/);
  });

  test('a corrupt, a truncated and a disguised file each show their error while the others render', async ({ app }) => {
    const good = readFileSync(dermoscopyFixtures()[1] ?? '');
    const truncated = good.subarray(0, Math.floor(good.length / 3));
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const empty = Buffer.alloc(0);
    const { caseId } = await seedCaseWithImages(app, [truncated, good, svg, empty], { derive: false });
    const viewer = new ViewerPage(app.page);
    await viewer.openCase(caseId);
    // Not derived at seeding: the core prepares them on first view, one by one.
    await expect(viewer.errors).toHaveCount(3, { timeout: 30_000 });
    await expect(viewer.errors.nth(0)).toContainText(/incomplete|damaged/);
    await expect(viewer.errors.nth(1)).toContainText(/SVG/);
    await expect(viewer.errors.nth(2)).toContainText(/empty/);
    await expect(viewer.thumbs.nth(1)).toHaveAttribute('data-state', 'ready');
    await viewer.waitSharp();
    await expect(viewer.stage).toHaveAttribute('data-preview-drawn', 'true');
  });

  test('the pop-out viewer follows the case open in the main window, and compares two images locked', async ({
    app,
  }) => {
    const [a, b, c] = dermoscopyFixtures().map((f) => readFileSync(f));
    const first = await seedCaseWithImages(app, [a ?? Buffer.alloc(0), b ?? Buffer.alloc(0)]);
    const second = await seedCaseWithImages(app, [c ?? Buffer.alloc(0)]);
    const token = new URLSearchParams(new URL(app.page.url()).hash.slice(1)).get('token') ?? '';
    const browser = app.page.context().browser();
    if (!browser) throw new Error('The pop-out needs a second page: run on the host target');
    const popout = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await popout.goto(new URL(`/#view=viewer&token=${token}`, app.page.url()).toString());
    await expect(popout.getByTestId('viewer-window')).toHaveAttribute('data-case-id', '');

    const worklist = new WorklistPage(app.page);
    await worklist.row(first.caseId).click();
    await expect(popout.getByTestId('viewer-window')).toHaveAttribute('data-case-id', first.caseId);
    await worklist.row(second.caseId).click();
    await expect(popout.getByTestId('viewer-window')).toHaveAttribute('data-case-id', second.caseId);
    await worklist.row(first.caseId).click();
    await expect(popout.getByTestId('viewer-window')).toHaveAttribute('data-case-id', first.caseId);

    const viewer = new ViewerPage(popout);
    await viewer.waitSharp();
    await popout.getByLabel('Compare').check();
    const stages = popout.getByTestId('viewer-stage');
    await expect(stages).toHaveCount(2);
    await expect(stages.nth(1)).toHaveAttribute('data-preview-drawn', 'true');
    const scale = async (i: number): Promise<number> => Number(await stages.nth(i).getAttribute('data-scale'));
    const fit = await scale(0);
    // Locked (the default): zooming the first zooms the second to the same magnification (same-size images).
    await viewer.key('+');
    await viewer.key('+');
    await expect.poll(() => scale(0)).toBeCloseTo(fit * 1.5625, 3);
    await expect.poll(() => scale(1)).toBeCloseTo(fit * 1.5625, 3);
    // Unlocked: only the active image moves.
    await viewer.key('l');
    await viewer.key('+');
    await expect.poll(() => scale(0)).toBeCloseTo(fit * 1.953125, 3);
    expect(await scale(1)).toBeCloseTo(fit * 1.5625, 3);
    await popout.close();
  });

  test('exports the full-resolution original, upright, with the marks burnt in, through the core and audited', async ({
    app,
  }) => {
    // A flat grey phone photo stored sideways (EXIF 6: shown rotated 90° clockwise), so the export
    // must come out 1200 x 1600 and any yellow in it can only be the mark.
    const grey = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#808080' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const { caseId, shas } = await seedCaseWithImages(app, [grey], { consultant });
    const viewer = new ViewerPage(app.page);
    await viewer.openCase(caseId);
    await viewer.waitSharp();
    await expect(viewer.exportStatus).toHaveText('');
    await viewer.key('a');
    await viewer.drag([0.3, 0.3], [0.6, 0.6]);
    await expect(viewer.marks).toHaveCount(1);
    const path = await viewer.exportAnnotated();
    // The core wrote it outside the encrypted data directory, as a plain PNG the GP letter can use.
    expect(path.startsWith(app.dataDir)).toBe(false);
    const png = readFileSync(path);
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect([meta.width, meta.height]).toEqual([1200, 1600]);
    // Sample the export at the middle of the stored arrow (oriented-image pixels): the mark's colour.
    const stored = readCache(app, (db) =>
      db.prepare('SELECT doc_json FROM image_annotations WHERE image_sha256 = ?').get(shas[0]),
    ) as { doc_json: string };
    const arrow = (JSON.parse(stored.doc_json) as { shapes: { kind: string; from: Point; to: Point }[] }).shapes[0];
    if (arrow?.kind !== 'arrow') throw new Error('the arrow was not stored');
    const mid = { x: Math.round((arrow.from.x + arrow.to.x) / 2), y: Math.round((arrow.from.y + arrow.to.y) / 2) };
    const { data } = await sharp(png)
      .removeAlpha()
      .extract({ left: mid.x - 1, top: mid.y - 1, width: 3, height: 3 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const yellowish = [0, 3, 6, 9, 12, 15, 18, 21, 24].filter(
      (i) => (data[i] ?? 0) > 200 && (data[i + 1] ?? 0) > 170 && (data[i + 2] ?? 255) < 80,
    );
    expect(yellowish.length).toBeGreaterThan(0);
    // Far from the mark the image is untouched grey.
    const { data: corner } = await sharp(png)
      .removeAlpha()
      .extract({ left: 10, top: 10, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([...corner].every((v) => Math.abs(v - 128) < 6)).toBe(true);
    // A deliberate plaintext copy is audited.
    const audits = readCache(app, (db) =>
      db.prepare(`SELECT actor, detail_json FROM audit_log WHERE action = 'case.exported' AND case_id = ?`).all(caseId),
    ) as { actor: string; detail_json: string }[];
    expect(audits.map((a) => ({ actor: a.actor, detail: JSON.parse(a.detail_json) as unknown }))).toEqual([
      { actor: consultant.id, detail: { kind: 'annotated-image', sha256: shas[0], marks: 1 } },
    ]);
  });

  test('an export that the core refuses shows its message in the status region', async ({ app }) => {
    const grey = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer();
    const { caseId, shas } = await seedCaseWithImages(app, [grey], { consultant });
    const viewer = new ViewerPage(app.page);
    await viewer.openCase(caseId);
    await viewer.waitSharp();
    // The cached original is damaged after it was derived (a disk error): the export says so.
    corruptCachedOriginal(app.dataDir, shas[0] ?? '');
    await viewer.key('Control+s');
    await expect(viewer.exportStatus).toContainText(/Export failed: .+/, { timeout: 30_000 });
    expect(
      readCache(app, (db) => db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.exported'`).get()),
    ).toEqual({ n: 0 });
  });

  test('swipe overlays the second image on the first after a two-point registration', async ({ app }) => {
    const viewer = await openComparePair(app);
    const stages = app.page.getByTestId('viewer-stage');
    await expect(app.page.getByRole('button', { name: 'Swipe' })).toBeDisabled();
    await app.page.getByRole('button', { name: /Register/ }).click();
    for (const [x, y] of [
      [0.3, 0.3],
      [0.7, 0.6],
    ] as const) {
      for (const i of [0, 1]) {
        const box = await stages.nth(i).boundingBox();
        if (!box) throw new Error('stage hidden');
        await app.page.mouse.click(box.x + box.width * x, box.y + box.height * y);
      }
    }
    await expect(app.page.getByText(/2 on the first, 2 on the second/)).toBeVisible();
    await app.page.getByRole('button', { name: 'Done picking' }).click();
    await app.page.getByRole('button', { name: 'Swipe' }).click();
    // One viewer now shows both: left of the split the second image, right the first.
    await expect(stages).toHaveCount(1);
    const split = app.page.getByLabel('Split');
    await split.fill('0');
    await viewer.waitSharp();
    const first = await viewer.stagePixels();
    await split.fill('1');
    const overlaid = await viewer.stagePixels();
    // With the split at the right edge the second (registered) image covers the first.
    expect(meanDiff(first.data, overlaid.data)).toBeGreaterThan(5);
    await split.fill('0');
    const back = await viewer.stagePixels();
    expect(meanDiff(first.data, back.data)).toBeLessThan(1);
  });
});
