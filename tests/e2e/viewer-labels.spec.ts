import sharp from 'sharp';
import { expect, test } from './fixtures/desk-app';
import { ViewerPage } from './pages/viewer-page';
import { seedCaseWithImages } from './pages/viewer-seed';

/**
 * Marks are yellow. On pale skin yellow alone fades into the background, and a soft dark shadow
 * alone vanishes on dark skin: every label and measurement is lettered in yellow with a dark
 * outline drawn behind the fill. These tests draw a label and a measurement on a flat pale and a
 * flat dark skin tone and read the screen around them.
 */
const skins = [
  { name: 'pale', rgb: { r: 246, g: 226, b: 212 } },
  { name: 'dark', rgb: { r: 70, g: 42, b: 30 } },
] as const;

async function flatImage(rgb: { r: number; g: number; b: number }): Promise<Buffer> {
  return sharp({ create: { width: 1600, height: 1200, channels: 3, background: rgb } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

interface Counts {
  /** Near-black pixels: the outline. */
  outline: number;
  /** Yellow pixels: the fill. */
  fill: number;
}

async function countAround(
  viewer: ViewerPage,
  at: { x: number; y: number },
  size: { width: number; height: number },
): Promise<Counts> {
  const { data, width } = await viewer.stagePixels();
  let outline = 0;
  let fill = 0;
  for (let y = at.y; y < at.y + size.height; y++) {
    for (let x = at.x; x < at.x + size.width; x++) {
      const i = (y * width + x) * 3;
      const [r, g, b] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
      if (r < 40 && g < 40 && b < 40) outline++;
      if (r > 200 && g > 170 && b < 90) fill++;
    }
  }
  return { outline, fill };
}

for (const skin of skins) {
  test(`a text label and a measurement are outlined on ${skin.name} skin`, async ({ app }) => {
    const { caseId } = await seedCaseWithImages(app, [await flatImage(skin.rgb)]);
    const viewer = new ViewerPage(app.page);
    await viewer.openCase(caseId);
    await viewer.waitSharp();
    const box = await viewer.stage.boundingBox();
    if (!box) throw new Error('viewer stage not visible');

    // The image is fitted in the middle of the stage: the label goes well inside it.
    const at = { x: Math.round(box.width * 0.4), y: Math.round(box.height * 0.3) };
    const region = { width: 160, height: 40 };
    // The background really is that skin tone: nothing dark, nothing yellow, before any mark.
    expect(await countAround(viewer, at, region)).toEqual({ outline: 0, fill: 0 });

    await viewer.key('t');
    await app.page.getByLabel('Label text').fill('Biopsy site');
    await app.page.mouse.click(box.x + at.x, box.y + at.y);
    await expect(viewer.marks).toHaveCount(1);
    await expect
      .poll(async () => (await countAround(viewer, at, region)).fill, { message: 'the label is lettered in yellow' })
      .toBeGreaterThan(15);
    const label = await countAround(viewer, at, region);
    expect(label.outline, 'the yellow letters have a dark outline').toBeGreaterThan(label.fill / 3);

    await viewer.key('m');
    await viewer.drag([0.3, 0.6], [0.6, 0.6]);
    await expect(viewer.marks).toHaveCount(2);
    // The measurement's length is written just below the middle of the line.
    const mid = { x: Math.round(box.width * 0.45), y: Math.round(box.height * 0.6) };
    const measure = await countAround(viewer, { x: mid.x, y: mid.y + 4 }, { width: 90, height: 30 });
    expect(measure.fill).toBeGreaterThan(15);
    expect(measure.outline).toBeGreaterThan(measure.fill / 3);
  });
}
