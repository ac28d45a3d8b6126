import sharp from 'sharp';
import type { RunningHub } from '../../src/hub/start-hub';
import { CONSULTANT, seedConsultant, startTestHub } from '../integration/sync-support';
import { makeTempDir } from '../support/temp-dir';
import { expect, test } from './fixtures/desk-app';
import { CasePage } from './pages/case-page';
import { SyncPage } from './pages/sync-page';
import { WorklistPage } from './pages/worklist-page';
import { caseReceived, consultant, patient } from './pages/triage-data';

test.describe('workstation lock', () => {
  test('locking removes every patient detail from the page and shows only the lock screen', async ({ app }) => {
    const record = caseReceived(1, { patient: patient('Lockwood', 'Lena', 31) });
    await app.seed([record], { consultant });
    const { page } = app;
    await expect(page.getByText('LOCKWOOD, Lena').first()).toBeVisible();

    await page.keyboard.press('Control+l');
    await expect(page.getByTestId('lock-screen')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'DermDesk is locked' })).toBeVisible();

    const html = await page.content();
    for (const secret of ['LOCKWOOD', 'Lena', record.patient.nhsNumber, record.referral.presentingComplaint]) {
      expect(html, `"${secret}" must not be in the locked page`).not.toContain(secret);
    }
    // Screenshot check: what is on screen once locked is pixel for pixel what a page that never
    // loaded any patient data shows (the same page reloaded while locked), so nothing of the
    // patient lingers in a canvas, an overlay or a stale layer that the DOM check cannot see.
    const locked = await page.screenshot({ animations: 'disabled', caret: 'hide' });
    await test.info().attach('locked-screen', { body: locked, contentType: 'image/png' });
    await page.reload();
    await expect(page.getByTestId('lock-screen')).toBeVisible();
    await page.mouse.move(0, 0);
    const neverLoaded = await page.screenshot({ animations: 'disabled', caret: 'hide' });
    expect(await differingPixels(locked, neverLoaded)).toBe(0);
  });

  test('a page left open cannot fetch patient data while locked, even after a reload', async ({ app }) => {
    await app.seed([caseReceived(1, { patient: patient('Reload', 'Rhys', 32) })], { consultant });
    await app.page.keyboard.press('Control+l');
    await expect(app.page.getByTestId('lock-screen')).toBeVisible();
    await app.page.reload();
    await expect(app.page.getByTestId('lock-screen')).toBeVisible();
    expect(await app.page.content()).not.toContain('RELOAD');
    // Without a stored credential (never signed in here) the lock screen says how to get back in.
    await expect(app.page.getByText(/sign in to the hub again to unlock/)).toBeVisible();
  });
});

test.describe('unlocking after signing in to a real hub', () => {
  const hubDir = makeTempDir('dermdesk-e2e-lock-hub-');
  let hub: RunningHub;
  test.beforeAll(async () => {
    hub = await startTestHub(hubDir.path);
    await seedConsultant(hub);
  });
  test.afterAll(async () => {
    await hub.close();
    hubDir.remove();
  });

  test('the hub password unlocks offline; a wrong one is refused and the screen stays locked', async ({ app }) => {
    const sync = new SyncPage(app.page);
    await sync.signIn(hub.url, CONSULTANT.username, CONSULTANT.password);
    await expect(sync.consultant).toHaveText(CONSULTANT.displayName);
    await hub.close(); // offline from here on: unlocking must not need the hub

    await app.page.keyboard.press('Control+l');
    const password = app.page.getByLabel('Your password');
    await password.fill('not-the-password');
    await app.page.getByRole('button', { name: 'Unlock' }).click();
    await expect(app.page.getByRole('alert')).toHaveText('That password is not right. Try again.');
    await expect(app.page.getByTestId('lock-screen')).toBeVisible();

    await password.fill(CONSULTANT.password);
    await app.page.keyboard.press('Enter');
    await expect(app.page.getByTestId('lock-screen')).toBeHidden();
    await expect(sync.consultant).toHaveText(CONSULTANT.displayName);
  });
});

test.describe('unlocking where the consultant was', () => {
  const hubDir = makeTempDir('dermdesk-e2e-lock-place-hub-');
  let hub: RunningHub;
  test.beforeAll(async () => {
    hub = await startTestHub(hubDir.path);
    await seedConsultant(hub);
  });
  test.afterAll(async () => {
    await hub.close();
    hubDir.remove();
  });

  test('unlocking reopens the case that was open, with the list as it was; "locked" is said once', async ({ app }) => {
    const sync = new SyncPage(app.page);
    await sync.signIn(hub.url, CONSULTANT.username, CONSULTANT.password);
    await expect(sync.consultant).toHaveText(CONSULTANT.displayName);
    const first = caseReceived(0, { patient: patient('Ahead', 'Amy', 41) });
    const second = caseReceived(1, { patient: patient('Second', 'Sam', 42) });
    const third = caseReceived(2, { patient: patient('Third', 'Theo', 43) });
    await app.seed([first, second, third]);
    const { page } = app;
    const worklist = new WorklistPage(page);
    await worklist.filter('All').click();
    await worklist.row(second.id).click();
    const view = new CasePage(page);
    await expect(view.view).toContainText('SECOND, Sam');
    await view.outcome(/^Discharge/).check();
    // Typed a moment before locking: saved before the core locks, not lost with the unmount.
    await page.getByLabel('Advice to the GP').fill('Emollients twice daily.');

    await page.keyboard.press('Control+l');
    await expect(page.getByTestId('lock-screen')).toBeVisible();
    expect(await page.content()).not.toContain('SECOND');
    // Announced once: one live region, and the words are not repeated in the page.
    const live = page.locator('[role="status"], [role="alert"], [aria-live]:not([aria-live="off"])');
    await expect(live.filter({ hasText: 'DermDesk is locked' })).toHaveCount(1);
    expect(((await page.locator('body').innerText()).match(/DermDesk is locked/g) ?? []).length).toBe(1);

    await page.getByLabel('Your password').fill(CONSULTANT.password);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('lock-screen')).toBeHidden();
    await expect(view.view).toContainText('SECOND, Sam');
    await expect(worklist.filter('All')).toHaveAttribute('aria-pressed', 'true');
    // The list's selection is the reopened case's row too (it used to fall back to the first row:
    // the list, reloading while the core was already locked, remembered its clamped index 0).
    await expect(worklist.selected()).toHaveAttribute('data-case-id', second.id);
    await expect(view.outcome(/^Discharge/)).toBeChecked();
    await expect(page.getByLabel('Advice to the GP')).toHaveValue('Emollients twice daily.');
    // The keys act on the reopened case at once.
    await expect(page.locator('#case-pane')).toBeFocused();
  });
});

/** How many pixels differ between two same-sized screenshots. */
async function differingPixels(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((png) => sharp(png).raw().toBuffer({ resolveWithObject: true })));
  if (!x || !y || x.info.width !== y.info.width || x.info.height !== y.info.height) return Number.POSITIVE_INFINITY;
  let differing = 0;
  const channels = x.info.channels;
  for (let i = 0; i < x.data.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      if (x.data[i + c] !== y.data[i + c]) {
        differing++;
        break;
      }
    }
  }
  return differing;
}
