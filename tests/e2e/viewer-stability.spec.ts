import { readFileSync } from 'node:fs';
import { dermoscopyFixtures } from '../support/fixtures';
import { expect, test } from './fixtures/desk-app';
import { CasePage } from './pages/case-page';
import { consultant } from './pages/triage-data';
import { ViewerPage, type ViewerLayoutSample } from './pages/viewer-page';
import { seedCaseWithImages } from './pages/viewer-seed';
import { WorklistPage } from './pages/worklist-page';

/**
 * A case left open must not change by itself. The viewer once sized its stage from the box it
 * was observing, a box that the stage itself made taller: each resize grew it a few pixels more,
 * until the viewer was tens of thousands of pixels tall, the image a grey speck and the page
 * frozen. These tests open a case through the worklist, as a consultant does, and sample the
 * viewer's box and the page's height for half a minute.
 */
const sizes = [
  { width: 1920, height: 1080, watchMs: 25_000 },
  { width: 1280, height: 720, watchMs: 20_000 },
] as const;

for (const size of sizes) {
  test.describe(`a case left open at ${size.width}x${size.height}`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test('the viewer keeps its size, the page its height, and the image stays drawn', async ({ app }) => {
      test.setTimeout(size.watchMs + 60_000);
      const files = dermoscopyFixtures()
        .slice(0, 2)
        .map((f) => readFileSync(f));
      const { caseId } = await seedCaseWithImages(app, files, { consultant });
      const worklist = new WorklistPage(app.page);
      await worklist.filter('All').click();
      await worklist.row(caseId).click();
      await expect(new CasePage(app.page).view).toBeVisible();
      const viewer = new ViewerPage(app.page);
      await viewer.waitSharp();

      const samples = await viewer.sampleLayout(size.watchMs);
      // A page that stopped answering gives few samples: at least one a second must have come back.
      expect(samples.length, `samples: ${JSON.stringify(samples)}`).toBeGreaterThanOrEqual(
        Math.floor(size.watchMs / 1000),
      );
      const first = samples[0] as ViewerLayoutSample;
      // A real viewer, no taller than the window: not a sliver, not an ever-growing column.
      expect(first.stage?.height ?? 0).toBeGreaterThan(200);
      expect(first.stage?.height ?? Infinity).toBeLessThanOrEqual(size.height);
      expect(first.stage?.width ?? 0).toBeGreaterThan(200);
      const changed = samples.filter(
        (s) =>
          JSON.stringify([s.workspace, s.stage, s.canvasHeight, s.scrollHeight, s.paneScrollHeight]) !==
          JSON.stringify([
            first.workspace,
            first.stage,
            first.canvasHeight,
            first.scrollHeight,
            first.paneScrollHeight,
          ]),
      );
      expect(changed, `layout moved by itself: first ${JSON.stringify(first)}`).toEqual([]);
      expect(samples.every((s) => s.previewDrawn)).toBe(true);
      // Drawn, not a flat grey box: the dermoscopy photograph has plenty of tonal detail.
      expect(await viewer.stageDetail()).toBeGreaterThan(10);
    });
  });
}
