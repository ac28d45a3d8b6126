import { readFileSync } from 'node:fs';
import { dermoscopyFixtures } from '../support/fixtures';
import { expect, test } from './fixtures/desk-app';
import { CasePage } from './pages/case-page';
import { consultant } from './pages/triage-data';
import { ViewerPage } from './pages/viewer-page';
import { seedCaseWithImages } from './pages/viewer-seed';
import { WorklistPage } from './pages/worklist-page';

test.describe('one key map, two modes', () => {
  test('r rotates in the viewer and sets an outcome on the form; the mode and the effect are on screen', async ({
    app,
  }) => {
    const files = dermoscopyFixtures()
      .slice(0, 1)
      .map((f) => readFileSync(f));
    const { caseId } = await seedCaseWithImages(app, files, { consultant });
    const page = app.page;
    await new WorklistPage(page).row(caseId).click();
    const viewer = new ViewerPage(page);
    const view = new CasePage(page);
    const mode = page.getByTestId('key-mode');
    const routine = view.outcome('Routine face-to-face appointment');
    await viewer.waitSharp();
    await expect(mode).toHaveAttribute('data-mode', 'case');

    // Click the image, press r: the image turns, the outcome is untouched.
    await viewer.stage.click();
    await expect(mode).toHaveAttribute('data-mode', 'viewer');
    await expect(mode).toContainText('Image viewer keys');
    await page.keyboard.press('r');
    await expect.poll(async () => (await viewer.camera()).rotation).toBe(90);
    await expect(routine).not.toBeChecked();

    // Click the referral, press r: the keys are the form's now, and the screen says so.
    await page.getByTestId('case-view').getByRole('heading', { level: 2 }).click();
    await expect(mode).toHaveAttribute('data-mode', 'case');
    await expect(mode).toContainText('Worklist and decision keys');
    await page.keyboard.press('r');
    await expect(routine).toBeChecked();
    expect((await viewer.camera()).rotation).toBe(90);
    await expect(page.getByTestId('key-mode-last')).toHaveText('r: Outcome: Routine face-to-face appointment');

    // i (or F6) goes back to the images; their letters are the viewer's again.
    await page.keyboard.press('i');
    await expect(mode).toHaveAttribute('data-mode', 'viewer');
    await page.keyboard.press('d');
    await expect(view.outcome(/^Discharge/)).not.toBeChecked();
    await page.keyboard.press('F6');
    await expect(mode).toHaveAttribute('data-mode', 'case');
    await expect(page.locator('.worklist')).toBeFocused();

    // The sheet lists each mode's keys under that mode.
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcuts-case')).toContainText('Outcome: Routine face-to-face appointment');
    await expect(page.getByTestId('shortcuts-viewer')).toContainText('Rotate 90°');
    await expect(page.getByTestId('shortcuts-viewer')).not.toContainText('Outcome:');
  });
});
