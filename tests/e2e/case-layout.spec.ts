import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dermoscopyFixtures } from '../support/fixtures';
import { expect, test } from './fixtures/desk-app';
import { CasePage } from './pages/case-page';
import { consultant } from './pages/triage-data';
import { seedCaseWithImages } from './pages/viewer-seed';
import { WorklistPage } from './pages/worklist-page';

/**
 * The case view, image first, at the two screen sizes consultants use. With
 * DERMDESK_SCREENSHOTS=1 the spec also writes docs/screenshots/case-view-<width>.png, so the
 * pictures in the docs are what these assertions saw.
 */
const docsDir = resolve(import.meta.dirname, '../../docs/screenshots');

for (const size of [
  { width: 1920, height: 1080 },
  { width: 1280, height: 720 },
]) {
  test.describe(`case view at ${size.width}x${size.height}`, () => {
    test.use({ viewport: size });

    test('the first image is drawn on screen without scrolling; referral and decision beside it', async ({ app }) => {
      const files = dermoscopyFixtures()
        .slice(0, 3)
        .map((f) => readFileSync(f));
      const { caseId } = await seedCaseWithImages(app, files, { consultant });
      const page = app.page;
      await new WorklistPage(page).row(caseId).click();
      const stage = page.getByTestId('viewer-stage').first();
      await expect(stage).toHaveAttribute('data-sharp', 'true', { timeout: 20_000 });
      // The view as it opens (before any key), for the docs.
      if (process.env['DERMDESK_SCREENSHOTS'] === '1')
        await page.screenshot({ path: join(docsDir, `case-view-${size.width}.png`) });

      // Drawn: the stage is inside the window, wide and tall enough to read, and the page itself
      // does not scroll (each column scrolls on its own).
      const box = await stage.boundingBox();
      if (!box) throw new Error('viewer stage has no box');
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(size.width);
      expect(box.y + box.height).toBeLessThanOrEqual(size.height);
      expect(box.width).toBeGreaterThanOrEqual(size.width * 0.35);
      expect(box.height).toBeGreaterThanOrEqual(size.height * 0.4);
      const scroll = await page.evaluate(() => ({
        page: document.scrollingElement!.scrollHeight - window.innerHeight,
        pane: document.getElementById('case-pane')!.scrollHeight - document.getElementById('case-pane')!.clientHeight,
      }));
      expect(scroll).toEqual({ page: 0, pane: 0 });

      // The photograph's pixels are on the canvas, not an empty grey box: the middle of the stage
      // varies as a photograph does (a flat fill has no spread at all).
      const spread = await stage.evaluate((el) => {
        const canvas = el.querySelector('canvas');
        const ctx = canvas?.getContext('2d');
        if (!canvas || !ctx) return 0;
        const { data } = ctx.getImageData(canvas.width / 4, canvas.height / 4, canvas.width / 2, canvas.height / 2);
        let n = 0;
        let sum = 0;
        let sq = 0;
        for (let i = 0; i < data.length; i += 4 * 7) {
          const y = 0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!;
          n++;
          sum += y;
          sq += y * y;
        }
        return Math.sqrt(sq / n - (sum / n) ** 2);
      });
      expect(spread).toBeGreaterThan(3);

      // The decision is beside the image, its outcomes on screen.
      const view = new CasePage(page);
      await expect(view.decisionForm).toBeInViewport();

      // The referral is one key away whatever its state: h folds or opens it, and it is remembered.
      const referral = page.getByTestId('referral-column');
      await expect(referral).toBeVisible();
      const openAtStart = (await page.getByTestId('body-map').count()) > 0;
      expect(openAtStart).toBe(size.width >= 1400);
      if (!openAtStart) {
        await page.locator('#case-pane').focus();
        await page.keyboard.press('h');
      }
      const bodyMap = page.getByTestId('body-map');
      await expect(bodyMap).toBeInViewport();
      const mapBox = await bodyMap.boundingBox();
      expect(mapBox?.width ?? 0).toBeGreaterThanOrEqual(240);
      // The image is still on screen with the referral open.
      const withReferral = await stage.boundingBox();
      expect(withReferral && withReferral.y + withReferral.height).toBeLessThanOrEqual(size.height);

      if (!openAtStart) {
        await page.keyboard.press('h');
        await expect(bodyMap).toHaveCount(0);
      }

      // A diagnosis adds its leaflet, whose long URL has no break in it: the decision column still
      // fits its width (it never scrolls sideways, which would cut off the start of every line).
      await view.diagnosisSearch.fill('basal cell');
      await page.getByRole('option', { name: /^Basal cell carcinoma of skin/ }).click();
      await expect(page.getByRole('button', { name: /Remove leaflet/ }).first()).toBeVisible();
      const sideways = await page
        .locator('.decision-column')
        .evaluate((el) => ({ overflow: el.scrollWidth - el.clientWidth, scrolled: el.scrollLeft }));
      expect(sideways).toEqual({ overflow: 0, scrolled: 0 });
    });
  });
}
