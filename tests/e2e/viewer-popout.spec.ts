import { readFileSync } from 'node:fs';
import { dermoscopyFixtures } from '../support/fixtures';
import { expect, skipOnTarget, test } from './fixtures/desk-app';
import { consultant, patient } from './pages/triage-data';
import { seedCaseWithImages } from './pages/viewer-seed';
import { WorklistPage } from './pages/worklist-page';

/**
 * "Pop out viewer" on the test host: the browser page opens the viewer as a second page (the
 * Electron shell opens its own window instead). A viewer on another screen is away from the case
 * it belongs to, so it must name the patient: a wrong-patient hazard otherwise.
 */
test.describe('pop-out viewer', () => {
  test('opens as a second page that names the patient and follows the case open in the main window', async ({
    app,
  }) => {
    skipOnTarget(app, 'electron', 'the shell opens the viewer window itself (viewer-window.ts)');
    const [a, b] = dermoscopyFixtures().map((f) => readFileSync(f));
    const first = await seedCaseWithImages(app, [a ?? Buffer.alloc(0)], { consultant });
    const second = await seedCaseWithImages(app, [b ?? Buffer.alloc(0)], {
      patient: { ...patient('Turing', 'Alan', 9), nhsNumber: '9434765919' },
    });
    const worklist = new WorklistPage(app.page);
    await worklist.filter('All').click();
    await worklist.row(first.caseId).click();

    const opened = app.page.context().waitForEvent('page');
    await app.page.getByRole('button', { name: 'Pop out viewer' }).click();
    const popout = await opened;
    await expect(app.page.getByTestId('popout-status')).toContainText('open in its own window');
    await expect(popout.getByTestId('viewer-window')).toHaveAttribute('data-case-id', first.caseId);
    await expect(popout.getByTestId('viewer-patient-name')).toHaveText('LOVELACE, Ada');
    await expect(popout.getByTestId('viewer-patient-nhs')).toHaveText(/^\d{3} \d{3} \d{4}$/);
    await expect(popout.getByTestId('viewer-stage')).toHaveAttribute('data-preview-drawn', 'true', {
      timeout: 20_000,
    });

    // The main window moves to another patient's case: the pop-out's name and number follow.
    await worklist.row(second.caseId).click();
    await expect(popout.getByTestId('viewer-window')).toHaveAttribute('data-case-id', second.caseId);
    await expect(popout.getByTestId('viewer-patient-name')).toHaveText('TURING, Alan');
    await expect(popout.getByTestId('viewer-patient-nhs')).toHaveText('943 476 5919');
    await popout.close();
  });

  test('says so clearly when the browser blocks the window', async ({ app }) => {
    skipOnTarget(app, 'electron', 'the shell opens the viewer window itself (viewer-window.ts)');
    // A pop-up blocker: window.open answers null, as Chromium does when it refuses a window.
    await app.page.addInitScript(() => {
      window.open = () => null;
    });
    const { caseId } = await seedCaseWithImages(app, [readFileSync(dermoscopyFixtures()[0] ?? '')], { consultant });
    const worklist = new WorklistPage(app.page);
    await worklist.filter('All').click();
    await worklist.row(caseId).click();
    await app.page.getByRole('button', { name: 'Pop out viewer' }).click();
    await expect(app.page.getByTestId('popout-status')).toHaveText(
      /The browser blocked the viewer window\. Allow pop-ups for DermDesk, or use the desktop app/,
    );
    expect(app.page.context().pages()).toHaveLength(1);
  });

  test('a cold pop-out fetches and decodes its first thumbnail while the viewer code is still loading', async ({
    app,
  }) => {
    skipOnTarget(app, 'electron', 'the page is opened at its URL here, with its code held back (the test host)');
    const { caseId, shas } = await seedCaseWithImages(app, [readFileSync(dermoscopyFixtures()[0] ?? '')], {
      consultant,
    });
    const { origin, hash } = new URL(app.page.url());
    const token = new URLSearchParams(hash.slice(1)).get('token') ?? '';
    const popout = await app.page.context().newPage();
    const asked: string[] = [];
    popout.on('request', (r) => asked.push(new URL(r.url()).pathname));
    // The viewer's code (React, Konva, the viewer) is held back until the thumbnail is decoded.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await popout.route(/\/assets\/window-root-[^/]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await popout.goto(`${origin}/#${new URLSearchParams({ view: 'viewer', case: caseId, token }).toString()}`);
    const marks = (): Promise<string[]> =>
      popout.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
    await expect.poll(marks, { timeout: 20_000 }).toContain('dd:thumb-decoded');
    expect(await marks()).not.toContain('dd:viewer-code-loaded');
    expect(asked).toContain('/rpc/images.forCase');
    expect(asked).toContain(`/img/${shas[0]}/thumb`);
    await expect(popout.getByTestId('viewer-window')).toHaveCount(0);

    release();
    await expect(popout.getByTestId('viewer-patient-name')).toHaveText('LOVELACE, Ada');
    await expect(popout.getByTestId('viewer-stage')).toHaveAttribute('data-preview-drawn', 'true', {
      timeout: 20_000,
    });
    await popout.close();
  });

  test('at 1280x720 with the viewer popped out, the main window still shows its thumbnails', async ({ app }) => {
    skipOnTarget(app, 'electron', 'the shell opens the viewer window itself (viewer-window.ts)');
    await app.page.setViewportSize({ width: 1280, height: 720 });
    const [a, b] = dermoscopyFixtures().map((f) => readFileSync(f));
    const { caseId } = await seedCaseWithImages(app, [a ?? Buffer.alloc(0), b ?? Buffer.alloc(0)], { consultant });
    const worklist = new WorklistPage(app.page);
    await worklist.filter('All').click();
    await worklist.row(caseId).click();
    const opened = app.page.context().waitForEvent('page');
    await app.page.getByRole('button', { name: 'Pop out viewer' }).click();
    const popout = await opened;
    await expect(app.page.getByTestId('popout-status')).toContainText('open in its own window');
    // The status sentence used to squeeze the strip to nothing: the thumbnails vanished.
    const strip = app.page.getByRole('list', { name: 'Referral images' });
    const stripBox = await strip.boundingBox();
    const thumbs = app.page.getByTestId('image-thumb');
    await expect(thumbs).toHaveCount(2);
    for (let i = 0; i < 2; i++) {
      const box = await thumbs.nth(i).boundingBox();
      expect(box && stripBox && box.x >= stripBox.x && box.x + box.width <= stripBox.x + stripBox.width + 1).toBe(true);
    }
    await popout.close();
  });
});
