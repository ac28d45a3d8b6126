import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures/desk-app';
import { CasePage } from './pages/case-page';
import { caseReceived, consultant, seriousAxeViolations } from './pages/triage-data';
import { WorklistPage } from './pages/worklist-page';

/**
 * The letter to the GP previewed inside the app (issue 12): the core's PDF drawn by pdf.js on
 * canvases in the renderer, before signing (marked as a draft) and after. No file, no new window.
 */

/** How many of the first page's pixels are not white (a blank canvas has none). */
function inkedPixels(page: Locator): Promise<number> {
  return page.evaluate((canvas: HTMLCanvasElement) => {
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 200 || data[i + 1]! < 200 || data[i + 2]! < 200) n++;
    return n;
  });
}

async function pickBcc(page: Page, view: CasePage): Promise<void> {
  await view.outcome(/^Discharge/).check();
  await view.diagnosisSearch.fill('basal cell');
  await page.getByRole('option', { name: /^Basal cell carcinoma of skin/ }).click();
}

test('preview of a draft and of the signed decision: drawn pages with the diagnosis, Esc closes', async ({ app }) => {
  const c = caseReceived(0);
  await app.seed([c], { consultant });
  const page = app.page;
  await new WorklistPage(page).row(c.id).click();
  const view = new CasePage(page);
  await expect(view.decisionForm).toBeVisible();
  await pickBcc(page, view);
  const pagesBefore = page.context().pages().length;

  // Draft: the key opens it from the case (not while typing in a field).
  await page.locator('#case-pane').focus();
  await page.keyboard.press('g');
  const dialog = page.getByRole('dialog', { name: 'Letter to the GP: preview' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: /Close/ })).toBeFocused();
  await expect(dialog.getByTestId('letter-draft-mark')).toHaveText('DRAFT — not signed');
  const text = dialog.getByTestId('letter-text');
  await expect(text).toContainText('Basal cell carcinoma of skin (SNOMED CT 254701007)');
  await expect(text).toContainText('DRAFT — not signed');
  await expect(text).not.toContainText('Dr Grace Hopper');
  const first = dialog.getByTestId('letter-page').first();
  await expect(first).toHaveAttribute('aria-label', /^Page 1 of \d$/);
  expect(await inkedPixels(first)).toBeGreaterThan(2000);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  expect(page.context().pages()).toHaveLength(pagesBefore);

  // Signed: the same letter, signed, without the draft mark; the button opens it too.
  await view.signButton.click();
  await view.confirmSign.click();
  await expect(view.signed).toBeVisible();
  await page.getByRole('button', { name: /Preview letter/ }).click();
  await expect(dialog).toBeVisible();
  await expect(text).toContainText('Basal cell carcinoma of skin (SNOMED CT 254701007)');
  await expect(text).toContainText('Dr Grace Hopper');
  await expect(text).not.toContainText('DRAFT');
  await expect(dialog.getByTestId('letter-draft-mark')).toHaveCount(0);
  expect(await inkedPixels(dialog.getByTestId('letter-page').first())).toBeGreaterThan(2000);
  await dialog.getByRole('button', { name: /Close/ }).click();
  await expect(dialog).toHaveCount(0);
});

test('a draft without an outcome says what is missing instead of a letter', async ({ app }) => {
  const c = caseReceived(0);
  await app.seed([c], { consultant });
  const page = app.page;
  await new WorklistPage(page).row(c.id).click();
  await expect(new CasePage(page).decisionForm).toBeVisible();
  await page.getByRole('button', { name: /Preview the letter/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Letter to the GP: preview' });
  await expect(dialog.getByRole('alert')).toContainText('Could not preview the letter');
  await expect(dialog.getByTestId('letter-page')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});
