import { expect, test } from './fixtures/desk-app';
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
    await test.info().attach('locked-screen', { body: await page.screenshot(), contentType: 'image/png' });
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
