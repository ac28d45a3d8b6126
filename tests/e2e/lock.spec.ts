import sharp from 'sharp';
import type { RunningHub } from '../../src/hub/start-hub';
import { CONSULTANT, seedConsultant, startTestHub } from '../integration/sync-support';
import { makeTempDir } from '../support/temp-dir';
import { expect, test } from './fixtures/desk-app';
import { SyncPage } from './pages/sync-page';
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
