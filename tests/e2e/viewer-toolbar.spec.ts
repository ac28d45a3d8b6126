import { readFileSync } from 'node:fs';
import { dermoscopyFixtures } from '../support/fixtures';
import { expect, test } from './fixtures/desk-app';
import { consultant } from './pages/triage-data';
import { ViewerPage } from './pages/viewer-page';
import { seedCaseWithImages } from './pages/viewer-seed';
import { WorklistPage } from './pages/worklist-page';

/**
 * The viewer's toolbar must leave the image its room: at most two rows in the case view at the
 * consultant's usual window sizes, with the most controls it shows in compare (two images,
 * registration done, swipe on with its split slider).
 */
const sizes = [
  { width: 1920, height: 1080 },
  { width: 1280, height: 720 },
] as const;

for (const size of sizes) {
  test(`the viewer toolbar fits in two rows at ${size.width}x${size.height}`, async ({ app }) => {
    await app.page.setViewportSize(size);
    const files = dermoscopyFixtures()
      .slice(0, 2)
      .map((f) => readFileSync(f));
    const { caseId } = await seedCaseWithImages(app, files, { consultant });
    const worklist = new WorklistPage(app.page);
    await worklist.filter('All').click();
    await worklist.row(caseId).click();
    const viewer = new ViewerPage(app.page);
    await viewer.waitSharp();
    await app.page.getByLabel('Compare').check();
    await expect(app.page.getByTestId('viewer-stage')).toHaveCount(2);
    await viewer.register([
      [0.3, 0.3],
      [0.7, 0.6],
    ]);
    await app.page.getByRole('button', { name: 'Swipe' }).click();
    await expect(app.page.getByLabel('Split')).toBeVisible();

    const rows = await viewer.toolbarRows();
    expect(rows.controls).toBeGreaterThan(15);
    expect(rows.tops.length, `row tops ${JSON.stringify(rows.tops)}`).toBeLessThanOrEqual(2);
  });
}
